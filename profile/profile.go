// SPDX-License-Identifier: Apache-2.0

// Package profile holds the rules of a user's profile that both the API
// and the funnel apply: e-mail validation codes (issue, send, check, burn)
// and the rate limits around them.
package profile

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"math/big"
	"net/mail"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
)

// Limits of the e-mail validation.
const (
	// CodeLifetime is how long a validation code is accepted.
	CodeLifetime = time.Hour
	// MailLimit codes may be e-mailed per user per MailWindow.
	MailLimit  = 5
	MailWindow = time.Hour
	// TryLimit checks of a code per user or client address per TryWindow,
	// whatever their outcome.
	TryLimit  = 10
	TryWindow = 15 * time.Minute
)

// Service applies the profile rules. Its fields are set once.
type Service struct {
	Users   iswigo.UserService
	Mailer  iswigo.Mailer
	Limiter iswigo.RateLimiter
	// Now defaults to time.Now.
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// StartValidation gives u a new pending code for email, in memory (the
// caller stores u). It reports whether the code must be e-mailed: for
// non-PSD2 applications, whose users get it by mail (at most MailLimit
// per MailWindow, else ETOOMANY); PSD2 applications read it from
// GET /v1/profile/validation.
func (s *Service) StartValidation(ctx context.Context, u *iswigo.User, app *iswigo.App, email string) (bool, error) {
	mailKeys := []string{"validation-mail:user:" + u.ID}
	if !app.PSD2 {
		if err := CheckRateLimits(ctx, s.Limiter, mailKeys, MailLimit, MailWindow); err != nil {
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
	u.ValidationExpiresAt = s.now().Add(CodeLifetime).UTC().Truncate(time.Second)
	u.ValidationAttempts = 0
	if !app.PSD2 {
		if err := s.Limiter.RecordFailure(ctx, mailKeys[0]); err != nil {
			return false, err
		}
	}
	return !app.PSD2, nil
}

// SendCode e-mails u's pending code to the address being validated.
func (s *Service) SendCode(ctx context.Context, u *iswigo.User) error {
	msg := iswigo.Message{
		To:      u.EmailValidation,
		Subject: "Your validation code: " + u.ValidationCode,
		Body: fmt.Sprintf("Hello,\n\nYour validation code is %s.\nIt is valid for one hour.\n\n"+
			"If you did not ask for it, ignore this message.\n", u.ValidationCode),
	}
	if err := s.Mailer.Send(ctx, msg); err != nil {
		return fmt.Errorf("send validation code: %w", err)
	}
	return nil
}

// RequestValidation starts the validation of email for u, stores u and
// sends the code when the application's users get it by mail.
func (s *Service) RequestValidation(ctx context.Context, u *iswigo.User, app *iswigo.App, email string) error {
	send, err := s.StartValidation(ctx, u, app, email)
	if err != nil {
		return err
	}
	if err := s.Users.UpdateUser(ctx, u); err != nil {
		return err
	}
	if send {
		return s.SendCode(ctx, u)
	}
	return nil
}

// Validate checks code against u's pending code, counting the try against
// the user and the client address (TryLimit per TryWindow, else ETOOMANY),
// and stores the outcome: validated, or one more wrong attempt. A wrong,
// expired or burnt code (iswigo.MaxValidationAttempts wrong tries) is
// EINVALID.
func (s *Service) Validate(ctx context.Context, u *iswigo.User, code, clientAddr string) error {
	keys := []string{"validation:user:" + u.ID, "validation:ip:" + clientAddr}
	if err := CheckRateLimits(ctx, s.Limiter, keys, TryLimit, TryWindow); err != nil {
		return err
	}
	for _, k := range keys {
		if err := s.Limiter.RecordFailure(ctx, k); err != nil {
			return err
		}
	}
	if !u.ValidationPending(s.now()) {
		return iswigo.Errorf(iswigo.EINVALID, "No validation pending, or the token expired: ask for a new one")
	}
	if subtle.ConstantTimeCompare([]byte(code), []byte(u.ValidationCode)) != 1 {
		u.ValidationAttempts++
		if err := s.Users.UpdateUser(ctx, u); err != nil {
			return err
		}
		return iswigo.Errorf(iswigo.EINVALID, "Invalid validation token")
	}
	u.EmailValidated = true
	u.ValidationCode, u.ValidationExpiresAt, u.ValidationAttempts = "", time.Time{}, 0
	return s.Users.UpdateUser(ctx, u)
}

// CheckRateLimits returns ETOOMANY, with RetryAfter, when any key has
// reached limit failures within window.
func CheckRateLimits(ctx context.Context, limiter iswigo.RateLimiter, keys []string, limit int, window time.Duration) error {
	for _, key := range keys {
		wait, err := limiter.RetryAfter(ctx, key, limit, window)
		if err != nil {
			return err
		}
		if wait > 0 {
			e := iswigo.Errorf(iswigo.ETOOMANY, "Too many attempts, try again later")
			e.RetryAfter = int((wait + time.Second - 1) / time.Second)
			return e
		}
	}
	return nil
}

// ValidateEmail returns EINVALID naming field unless s is a plain e-mail
// address (no display name, no IP-literal domain), at most 254 characters.
func ValidateEmail(field, s string) error {
	invalid := iswigo.Errorf(iswigo.EINVALID, "Invalid %s: expected an e-mail address", field)
	if s == "" || len(s) > 254 || strings.TrimSpace(s) != s {
		return invalid
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return invalid
	}
	_, domain, _ := strings.Cut(s, "@")
	if domain == "" || strings.HasPrefix(domain, "[") {
		return invalid
	}
	return nil
}
