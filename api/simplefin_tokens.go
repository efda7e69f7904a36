// SPDX-License-Identifier: Apache-2.0

package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/iswigo/iswigo"
)

// SimpleFINToken is the wire form of a SimpleFIN token in lists. Its
// secrets are never shown again after its creation.
type SimpleFINToken struct {
	TokenID string `json:"token_id"`
	// Accounts are the shared account ids; null = all accounts.
	Accounts []string `json:"accounts"`
	// Status is "unclaimed", "expired" (never claimed, past expires_at) or
	// "active" (claimed: its access URL works until the token is deleted).
	Status       string      `json:"status"`
	CreatedAt    rfc3339Time `json:"created_at"`
	ExpiresAt    rfc3339Time `json:"expires_at"`
	ClaimedAt    rfc3339Time `json:"claimed_at"`
	LastAccessAt rfc3339Time `json:"last_access_at"`
}

// SimpleFINSetup is the answer to POST /v1/simplefin/tokens: the setup
// token, shown once.
type SimpleFINSetup struct {
	TokenID    string      `json:"token_id"`
	SetupToken string      `json:"setup_token"`
	ClaimURL   string      `json:"claim_url"`
	ExpiresAt  rfc3339Time `json:"expires_at"`
	Accounts   []string    `json:"accounts"`
}

// rfc3339Time writes a time as RFC 3339 with +00:00 (as token
// expirations), or null for the zero time.
type rfc3339Time time.Time

func (t rfc3339Time) MarshalJSON() ([]byte, error) {
	tt := time.Time(t)
	if tt.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + tt.UTC().Format(iswigo.EventTimeLayout) + `"`), nil
}

func (t *rfc3339Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = rfc3339Time{}
		return nil
	}
	v, err := time.Parse(`"`+iswigo.EventTimeLayout+`"`, string(b))
	*t = rfc3339Time(v)
	return err
}

// Time returns t as a time.Time (zero for null).
func (t rfc3339Time) Time() time.Time { return time.Time(t) }

func simplefinTokenJSON(t *iswigo.SimpleFINToken, now time.Time) SimpleFINToken {
	status := "unclaimed"
	switch {
	case !t.ClaimedAt.IsZero():
		status = "active"
	case !now.Before(t.ExpiresAt):
		status = "expired"
	}
	return SimpleFINToken{t.ID, t.AccountIDs, status, rfc3339Time(t.CreatedAt), rfc3339Time(t.ExpiresAt),
		rfc3339Time(t.ClaimedAt), rfc3339Time(t.LastAccessAt)}
}

// simplefinTokenLifetime returns how long a new setup token may be claimed.
func (s *Server) simplefinTokenLifetime() time.Duration {
	if s.SimpleFINTokenLifetime > 0 {
		return s.SimpleFINTokenLifetime
	}
	return iswigo.SimpleFINTokenLifetime
}

// requireSimpleFIN returns ENOTFOUND when the server has no SimpleFIN store.
func (s *Server) requireSimpleFIN() error {
	if s.SimpleFIN == nil {
		return iswigo.Errorf(iswigo.ENOTFOUND, "Not found")
	}
	return nil
}

// handleCreateSimpleFINToken creates a setup token for the user, sharing
// all accounts or those of the optional body {"accounts": [ids]}.
func (s *Server) handleCreateSimpleFINToken(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireSimpleFIN(); err != nil {
		return err
	}
	u := requestUser(r)
	var accounts []string
	if len(requestBody(r)) > 0 {
		var body struct {
			Accounts json.RawMessage `json:"accounts"`
		}
		if err := decodeJSON(r, &body); err != nil {
			return err
		}
		if len(body.Accounts) > 0 && string(body.Accounts) != "null" {
			if err := json.Unmarshal(body.Accounts, &accounts); err != nil {
				return iswigo.Errorf(iswigo.EINVALID, "Invalid accounts: expected an array of account ids")
			}
			var err error
			if accounts, err = s.userAccountIDs(r, u, accounts); err != nil {
				return err
			}
		}
	}
	t, claimURL, err := iswigo.IssueSimpleFINToken(r.Context(), s.SimpleFIN, u, accounts, s.PublicURL, s.Now(), s.simplefinTokenLifetime())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, SimpleFINSetup{t.ID, iswigo.SimpleFINSetupToken(claimURL), claimURL, rfc3339Time(t.ExpiresAt), t.AccountIDs})
	return nil
}

// userAccountIDs checks that ids (at least one, at most
// iswigo.MaxSimpleFINAccounts) are the user's accounts and returns them
// normalized, without duplicates.
func (s *Server) userAccountIDs(r *http.Request, u *iswigo.User, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid accounts: name at least one account, or leave accounts out to share all")
	}
	if len(ids) > iswigo.MaxSimpleFINAccounts {
		return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid accounts: at most %d", iswigo.MaxSimpleFINAccounts)
	}
	out := []string{}
	seen := map[string]bool{}
	for _, id := range ids {
		a, err := s.Bank.FindAccountByID(r.Context(), u.AppID, u.ID, id)
		if iswigo.ErrorCode(err) == iswigo.ENOTFOUND {
			return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid accounts: unknown account %q", truncate(id, 64))
		} else if err != nil {
			return nil, err
		}
		if !seen[a.ID] {
			seen[a.ID] = true
			out = append(out, a.ID)
		}
	}
	return out, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func (s *Server) handleListSimpleFINTokens(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireSimpleFIN(); err != nil {
		return err
	}
	u := requestUser(r)
	tokens, err := s.SimpleFIN.FindSimpleFINTokens(r.Context(), u.AppID, u.ID)
	if err != nil {
		return err
	}
	now := s.Now()
	out := make([]SimpleFINToken, len(tokens))
	for i, t := range tokens {
		out[i] = simplefinTokenJSON(t, now)
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": out})
	return nil
}

func (s *Server) handleDeleteSimpleFINToken(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireSimpleFIN(); err != nil {
		return err
	}
	u := requestUser(r)
	if err := s.SimpleFIN.DeleteSimpleFINToken(r.Context(), u.AppID, u.ID, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
