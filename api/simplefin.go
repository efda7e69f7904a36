// SPDX-License-Identifier: Apache-2.0

package api

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
)

// SimpleFIN server (https://www.simplefin.org/protocol.html): iswigo is a
// SimpleFIN source whose root URL is PublicURL + "/simplefin". These
// routes use SimpleFIN's own authentication: the setup token's secret in
// the claim path, then HTTP Basic with the access URL's credentials.

// Rate limits of the SimpleFIN routes. The protocol expects at most 24
// reads a day per access URL: bursts are allowed, floods get 429.
const (
	simplefinBurst       = 30 // reads of one access URL per hour
	simplefinDaily       = 240
	simplefinAuthFailure = 20 // failed claims or logins per client address per hour
)

// simplefinRoot returns the SimpleFIN root URL of the server.
func (s *Server) simplefinRoot() string { return strings.TrimSuffix(s.PublicURL, "/") + "/simplefin" }

func (s *Server) handleSimpleFINInfo(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string][]string{"versions": {"1.0"}})
	return nil
}

// validSimpleFINSecret reports whether v may be a secret made by
// iswigo.NewSimpleFINSecret (43 base64url characters).
func validSimpleFINSecret(v string) bool {
	if len(v) != 43 {
		return false
	}
	for _, c := range v {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// handleSimpleFINClaim exchanges a setup token's secret for the access
// URL, once: a second claim, an expired or unknown token → 403.
func (s *Server) handleSimpleFINClaim(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireSimpleFIN(); err != nil {
		return err
	}
	failKey := "simplefin-auth:" + iswigo.ClientAddr(r)
	if err := s.checkRateLimits(r.Context(), []string{failKey}, simplefinAuthFailure, time.Hour); err != nil {
		return err
	}
	secret := r.PathValue("token")
	forbidden := iswigo.Errorf(iswigo.EFORBIDDEN, "Setup token unknown, expired or already claimed")
	if !validSimpleFINSecret(secret) {
		s.recordFailures(r.Context(), r, []string{failKey})
		return forbidden
	}
	username, password := randomHex(16), randomHex(32) // URL-safe in the access URL's userinfo
	passwordHash := iswigo.SimpleFINHash(password)
	t, err := s.SimpleFIN.ClaimSimpleFINToken(r.Context(), iswigo.SimpleFINHash(secret), username, passwordHash, s.Now())
	if iswigo.ErrorCode(err) == iswigo.EFORBIDDEN {
		s.recordFailures(r.Context(), r, []string{failKey})
		return forbidden
	} else if err != nil {
		return err
	}
	u, err := url.Parse(s.simplefinRoot())
	if err != nil {
		return err
	}
	u.User = url.UserPassword(username, password)
	s.logger(r).Info("simplefin token claimed", "token_id", t.ID)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, u.String())
	return nil
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}

// dummyPasswordHash stands in for an unknown username's hash, so that an
// unknown username costs the same comparison as a wrong password.
var dummyPasswordHash = iswigo.SimpleFINHash("iswigo-unknown-simplefin-user")

// simplefinAccess authenticates a read of the Account Set: HTTP Basic
// with a claimed token's credentials (403 otherwise), then the token's
// rate limits (429).
func (s *Server) simplefinAccess(r *http.Request) (*iswigo.SimpleFINToken, error) {
	failKey := "simplefin-auth:" + iswigo.ClientAddr(r)
	if err := s.checkRateLimits(r.Context(), []string{failKey}, simplefinAuthFailure, time.Hour); err != nil {
		return nil, err
	}
	forbidden := iswigo.Errorf(iswigo.EFORBIDDEN, "Authentication failed: access revoked or wrong credentials")
	username, password, ok := r.BasicAuth()
	var t *iswigo.SimpleFINToken
	stored := dummyPasswordHash
	if ok && len(username) == 32 && len(password) <= 128 {
		found, err := s.SimpleFIN.FindSimpleFINAccess(r.Context(), username)
		if err == nil {
			t, stored = found, found.PasswordHash
		} else if iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
			return nil, err
		}
	}
	if subtle.ConstantTimeCompare(iswigo.SimpleFINHash(password), stored) != 1 || t == nil {
		s.recordFailures(r.Context(), r, []string{failKey})
		return nil, forbidden
	}
	key := "simplefin:" + t.ID
	if err := s.checkRateLimits(r.Context(), []string{key}, simplefinBurst, time.Hour); err != nil {
		return nil, err
	}
	if err := s.checkRateLimits(r.Context(), []string{key}, simplefinDaily, 24*time.Hour); err != nil {
		return nil, err
	}
	s.recordFailures(r.Context(), r, []string{key}) // counts the read
	return t, nil
}

func (s *Server) handleSimpleFINAccounts(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireSimpleFIN(); err != nil {
		return err
	}
	t, err := s.simplefinAccess(r) // first: an unauthenticated caller learns nothing else
	if err != nil {
		return err
	}
	q, err := parseSimpleFINQuery(r.URL.Query())
	if err != nil {
		return err
	}
	set, err := s.simplefinAccountSet(r.Context(), t, q)
	if err != nil {
		return err
	}
	access := iswigo.SimpleFINAccess{TokenID: t.ID, UserID: t.UserID, Accounts: len(set.Accounts), BalancesOnly: q.balancesOnly}
	if err := s.SimpleFIN.RecordSimpleFINAccess(r.Context(), t, access, s.Now()); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, set)
	return nil
}
