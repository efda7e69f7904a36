package api

import (
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"math/big"
	"net/http"
	"time"

	"github.com/iswigo/iswigo"
)

// Limits of the e-mail validation.
const (
	validationCodeLifetime = time.Hour
	// validationMailLimit codes may be sent per user per validationMailWindow.
	validationMailLimit  = 5
	validationMailWindow = time.Hour
	// validationTryLimit POSTs per user or address per window, whatever their outcome.
	validationTryLimit  = 10
	validationTryWindow = 15 * time.Minute
)

// startValidation gives u a new pending code for email. It reports whether
// the code must be e-mailed (non-PSD2 applications; PSD2 applications read
// it from GET /v1/profile/validation).
func (s *Server) startValidation(r *http.Request, u *iswigo.User, app *iswigo.App, email string) (bool, error) {
	mailKeys := []string{"validation-mail:user:" + u.ID}
	if !app.PSD2 {
		if err := s.checkRateLimits(r.Context(), mailKeys, validationMailLimit, validationMailWindow); err != nil {
			return false, err
		}
	}
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return false, err
	}
	u.EmailValidation = email
	u.EmailValidated = false
	u.ValidationCode = fmt.Sprintf("%06d", n.Int64())
	u.ValidationExpiresAt = s.Now().Add(validationCodeLifetime).UTC().Truncate(time.Second)
	u.ValidationAttempts = 0
	if !app.PSD2 {
		s.recordFailures(r.Context(), r, mailKeys)
	}
	return !app.PSD2, nil
}

// sendValidationCode e-mails u's pending code to the address being validated.
func (s *Server) sendValidationCode(r *http.Request, u *iswigo.User) error {
	msg := iswigo.Message{
		To:      u.EmailValidation,
		Subject: "Your validation code: " + u.ValidationCode,
		Body: fmt.Sprintf("Hello,\n\nYour validation code is %s.\nIt is valid for one hour.\n\n"+
			"If you did not ask for it, ignore this message.\n", u.ValidationCode),
	}
	if err := s.Mailer.Send(r.Context(), msg); err != nil {
		return fmt.Errorf("send validation code: %w", err)
	}
	return nil
}

func (s *Server) handleGetValidation(w http.ResponseWriter, r *http.Request) error {
	u, app := requestUser(r), requestApp(r)
	v := Validation{Email: optional(u.EmailValidation), Validated: u.EmailValidated}
	if app.PSD2 && u.ValidationPending(s.Now()) {
		v.Token = u.ValidationCode
		v.TokenExpiration = u.ValidationExpiresAt.UTC().Format(iswigo.EventTimeLayout)
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

type validateRequest struct {
	Token string `json:"token"`
}

// handleValidate proves the pending address with its code (PSD2 only).
// A code is burnt after iswigo.MaxValidationAttempts wrong tries.
func (s *Server) handleValidate(w http.ResponseWriter, r *http.Request) error {
	u, app := *requestUser(r), requestApp(r)
	if !app.PSD2 {
		return iswigo.Errorf(iswigo.EFORBIDDEN, "Only for PSD2 compliant applications")
	}
	var req validateRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	keys := []string{"validation:user:" + u.ID, "validation:ip:" + clientIP(r)}
	if err := s.checkRateLimits(r.Context(), keys, validationTryLimit, validationTryWindow); err != nil {
		return err
	}
	s.recordFailures(r.Context(), r, keys)
	if err := s.validateCode(r, &u, req.Token); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, true)
	return nil
}

// validateCode checks code against u's pending code and stores the outcome:
// validated, or one more wrong attempt. Wrong, expired or burnt → EINVALID.
func (s *Server) validateCode(r *http.Request, u *iswigo.User, code string) error {
	if !u.ValidationPending(s.Now()) {
		return iswigo.Errorf(iswigo.EINVALID, "No validation pending, or the token expired: ask for a new one")
	}
	if subtle.ConstantTimeCompare([]byte(code), []byte(u.ValidationCode)) != 1 {
		u.ValidationAttempts++
		if err := s.Users.UpdateUser(r.Context(), u); err != nil {
			return err
		}
		return iswigo.Errorf(iswigo.EINVALID, "Invalid validation token")
	}
	u.EmailValidated = true
	u.ValidationCode, u.ValidationExpiresAt, u.ValidationAttempts = "", time.Time{}, 0
	return s.Users.UpdateUser(r.Context(), u)
}
