// SPDX-License-Identifier: Apache-2.0

package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/auth"
	"github.com/iswigo/iswigo/profile"
)

// Brute-force limits: failures per key within the window, on every route
// that checks a password (authenticate, change of email or password).
const (
	passwordFailureLimit  = 10
	passwordFailureWindow = 15 * time.Minute
)

// validateEmail applies the e-mail rule shared with the funnel.
var validateEmail = profile.ValidateEmail

type credentialsRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (s *Server) handleCreateUser(w http.ResponseWriter, r *http.Request) error {
	var req credentialsRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := validateEmail("email", req.Email); err != nil {
		return err
	}
	if err := auth.CheckPasswordPolicy(req.Password); err != nil {
		return err
	}
	app := requestApp(r)
	if existing, err := s.Users.FindUserByEmail(r.Context(), app.ID, req.Email); err == nil {
		writeJSON(w, http.StatusConflict, userJSON(existing))
		return nil
	} else if iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
		return err
	}
	hash, err := s.hashPassword(r.Context(), req.Password)
	if err != nil {
		return err
	}
	u := &iswigo.User{AppID: app.ID, Email: req.Email, PasswordHash: hash}
	if err := s.Users.CreateUser(r.Context(), u); iswigo.ErrorCode(err) == iswigo.ECONFLICT {
		// Created concurrently: answer as for a duplicate.
		existing, ferr := s.Users.FindUserByEmail(r.Context(), app.ID, req.Email)
		if ferr != nil {
			return err
		}
		writeJSON(w, http.StatusConflict, userJSON(existing))
		return nil
	} else if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, userJSON(u))
	return nil
}

func (s *Server) handleListUsers(w http.ResponseWriter, r *http.Request) error {
	rng, err := requestRange(r)
	if err != nil {
		return err
	}
	users, total, err := s.Users.FindUsers(r.Context(), requestApp(r).ID, rng)
	if err != nil {
		return err
	}
	out := make([]User, len(users))
	for i, u := range users {
		out[i] = userJSON(u)
	}
	s.writeList(w, r, "users", rng, total, len(out), out)
	return nil
}

func (s *Server) handleGetUser(w http.ResponseWriter, r *http.Request) error {
	u, err := s.Users.FindUserByID(r.Context(), requestApp(r).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, userJSON(u))
	return nil
}

// checkUserPassword verifies password for u, counting failures against
// the brute-force limits. Wrong → EINVALID "Invalid user password".
func (s *Server) checkUserPassword(ctx context.Context, r *http.Request, u *iswigo.User, password string) error {
	keys := []string{"password:user:" + u.ID, "password:ip:" + clientIP(r)}
	if err := s.checkRateLimits(ctx, keys, passwordFailureLimit, passwordFailureWindow); err != nil {
		return err
	}
	ok, err := s.checkPassword(ctx, u.PasswordHash, password)
	if err != nil {
		return err
	}
	if !ok {
		s.recordFailures(ctx, r, keys)
		return iswigo.Errorf(iswigo.EINVALID, iswigo.MsgInvalidPassword)
	}
	return nil
}

// authorizedUser decodes the body into req and returns the user {id} of
// the application once the body's current password is checked.
func (s *Server) authorizedUser(r *http.Request, req any, password func() string) (*iswigo.User, error) {
	if err := decodeJSON(r, req); err != nil {
		return nil, err
	}
	u, err := s.Users.FindUserByID(r.Context(), requestApp(r).ID, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if err := s.checkUserPassword(r.Context(), r, u, password()); err != nil {
		return nil, err
	}
	return u, nil
}

func (s *Server) handleUpdateUserEmail(w http.ResponseWriter, r *http.Request) error {
	var req credentialsRequest
	u, err := s.authorizedUser(r, &req, func() string { return req.Password })
	if err != nil {
		return err
	}
	if err := validateEmail("email", req.Email); err != nil {
		return err
	}
	u.Email = req.Email
	if err := s.Users.UpdateUser(r.Context(), u); iswigo.ErrorCode(err) == iswigo.ECONFLICT {
		return iswigo.Errorf(iswigo.ECONFLICT, "Email already used by another user")
	} else if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, userJSON(u))
	return nil
}

type passwordRequest struct {
	Password    string `json:"password"`
	NewPassword string `json:"new_password"`
}

func (s *Server) handleUpdateUserPassword(w http.ResponseWriter, r *http.Request) error {
	var req passwordRequest
	u, err := s.authorizedUser(r, &req, func() string { return req.Password })
	if err != nil {
		return err
	}
	if err := auth.CheckPasswordPolicy(req.NewPassword); err != nil {
		return iswigo.Errorf(iswigo.EINVALID, "%s", strings.Replace(iswigo.ErrorMessage(err), "Invalid password", "Invalid new_password", 1))
	}
	if u.PasswordHash, err = s.hashPassword(r.Context(), req.NewPassword); err != nil {
		return err
	}
	u.TokenVersion++ // every token issued before dies
	if err := s.Users.UpdateUser(r.Context(), u); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, userJSON(u))
	return nil
}

func (s *Server) handleDeleteUser(w http.ResponseWriter, r *http.Request) error {
	u := requestUser(r)
	if !strings.EqualFold(r.PathValue("id"), u.ID) {
		return iswigo.Errorf(iswigo.ENOTFOUND, "User not found")
	}
	if err := s.Users.DeleteUser(r.Context(), u.AppID, u.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// checkRateLimits returns ETOOMANY with RetryAfter when any key is blocked.
func (s *Server) checkRateLimits(ctx context.Context, keys []string, limit int, window time.Duration) error {
	return profile.CheckRateLimits(ctx, s.Limiter, keys, limit, window)
}

// recordFailures counts a failure for each key; errors are logged, not
// returned, so that the client still gets its answer.
func (s *Server) recordFailures(ctx context.Context, r *http.Request, keys []string) {
	for _, key := range keys {
		if err := s.Limiter.RecordFailure(ctx, key); err != nil {
			s.logger(r).Error("record failure", "error", err)
		}
	}
}
