// SPDX-License-Identifier: Apache-2.0

package widget

import (
	"net/http"
	"strings"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/profile"
)

type termsRequest struct {
	Accept bool `json:"accept"`
}

// handleTerms records that the user accepts the terms of service today.
func (h *Handler) handleTerms(w http.ResponseWriter, r *http.Request, sc *sessionContext) error {
	var req termsRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if !req.Accept {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid accept: the terms of service must be accepted")
	}
	u := *sc.user
	u.TermsOfService = iswigo.DateOf(h.Now())
	if err := h.Users.UpdateUser(r.Context(), &u); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"terms_of_service": u.TermsOfService})
	return nil
}

type emailRequest struct {
	Email string `json:"email"`
}

// handleEmail starts the validation of an address: a code is e-mailed to
// it. The funnel always mails the code, also for PSD2 applications (whose
// API users read it from GET /v1/profile/validation instead): the person
// proves the address here.
func (h *Handler) handleEmail(w http.ResponseWriter, r *http.Request, sc *sessionContext) error {
	var req emailRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := profile.ValidateEmail("email", req.Email); err != nil {
		return err
	}
	u := *sc.user
	if u.EmailValidated && u.EmailValidation == req.Email {
		writeJSON(w, http.StatusOK, map[string]any{"email": req.Email, "validated": true})
		return nil
	}
	app := *sc.app
	app.PSD2 = false // mail the code
	if err := h.Profile.RequestValidationIn(r.Context(), &u, &app, req.Email, language(r)); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"email": req.Email, "validated": false})
	return nil
}

type codeRequest struct {
	Code string `json:"code"`
}

// handleEmailCode checks the code with the API's rules: rate limits per
// user and client address, burnt after iswigo.MaxValidationAttempts.
func (h *Handler) handleEmailCode(w http.ResponseWriter, r *http.Request, sc *sessionContext) error {
	var req codeRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	u := *sc.user
	if err := h.Profile.Validate(r.Context(), &u, strings.TrimSpace(req.Code), clientIP(r)); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"email": u.EmailValidation, "validated": true})
	return nil
}
