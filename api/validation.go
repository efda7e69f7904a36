// SPDX-License-Identifier: Apache-2.0

package api

import (
	"net/http"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/profile"
)

// profile returns the profile rules over the server's services.
func (s *Server) profile() *profile.Service {
	return &profile.Service{Users: s.Users, Mailer: s.Mailer, Limiter: s.Limiter, Now: s.Now}
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
	if err := s.profile().Validate(r.Context(), &u, req.Token, clientIP(r)); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, true)
	return nil
}
