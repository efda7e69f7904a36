// SPDX-License-Identifier: Apache-2.0

package api

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/auth"
)

// handleAuthenticate exchanges an email and password for an access token.
// A wrong password and an unknown email give the same answer after the
// same work; after passwordFailureLimit failures for one email or one
// client address within the window, 429.
func (s *Server) handleAuthenticate(w http.ResponseWriter, r *http.Request) error {
	var req credentialsRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	app := requestApp(r)
	ctx := r.Context()
	keys := []string{"authenticate:email:" + app.ID + ":" + strings.ToLower(req.Email), "authenticate:ip:" + clientIP(r)}
	if err := s.checkRateLimits(ctx, keys, passwordFailureLimit, passwordFailureWindow); err != nil {
		return err
	}
	invalid := iswigo.Errorf(iswigo.EINVALID, iswigo.MsgInvalidGrant)
	u, err := s.Users.FindUserByEmail(ctx, app.ID, req.Email)
	if iswigo.ErrorCode(err) == iswigo.ENOTFOUND || req.Email == "" {
		if err := s.hashing(ctx, func() { auth.DummyCheckPassword(req.Password, *s.PasswordParams) }); err != nil {
			return err
		}
		s.recordFailures(ctx, r, keys)
		return invalid
	} else if err != nil {
		return err
	}
	ok, err := s.checkPassword(ctx, u.PasswordHash, req.Password)
	if err != nil {
		return err
	}
	if !ok {
		s.recordFailures(ctx, r, keys)
		return invalid
	}
	token, _, err := s.Tokens.Issue(ctx, app.Name, u.ID, u.TokenVersion)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Token{TokenType: "Bearer", ExpiresIn: int(iswigo.TokenLifetime.Seconds()) - 1, AccessToken: token})
	return nil
}

// hashing runs fn, an argon2id computation, in one of the process's
// bounded slots (s.PasswordHashing). When none frees up in time it returns
// EUNAVAILABLE with Retry-After, without running fn.
func (s *Server) hashing(ctx context.Context, fn func()) error {
	err := s.PasswordHashing.Do(ctx, fn)
	if errors.Is(err, auth.ErrHashingBusy) {
		e := iswigo.Errorf(iswigo.EUNAVAILABLE, "Too many password checks at once: retry later")
		e.RetryAfter = s.PasswordHashing.RetryAfter()
		return e
	}
	return err
}

// checkPassword is auth.CheckPassword in a hashing slot.
func (s *Server) checkPassword(ctx context.Context, encoded, password string) (ok bool, err error) {
	if herr := s.hashing(ctx, func() { ok, err = auth.CheckPassword(encoded, password) }); herr != nil {
		return false, herr
	}
	return ok, err
}

// hashPassword is auth.HashPassword with s.PasswordParams in a hashing slot.
func (s *Server) hashPassword(ctx context.Context, password string) (hash string, err error) {
	if herr := s.hashing(ctx, func() { hash, err = auth.HashPassword(password, *s.PasswordParams) }); herr != nil {
		return "", herr
	}
	return hash, err
}
