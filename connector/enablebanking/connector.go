// SPDX-License-Identifier: Apache-2.0

package enablebanking

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/iswigo/iswigo"
)

// Transactions asked for: 90 days on a new session (what PSD2 banks give
// without a fresh authentication, and the first sync has one), then from
// the last sync's day minus an overlap, so that late-booked transactions
// are not missed (ingest skips those already stored).
const (
	firstSyncDays = 90
	overlapDays   = 7
	// maxPages bounds the continuation of one account's listing.
	maxPages = 1000
)

// bankConnector synchronizes connections of one bank.
type bankConnector struct {
	client *client
	bank   aspsp
}

// Provider implements iswigo.Connector (the catalogue entry's description
// is the one published).
func (b *bankConnector) Provider() iswigo.Provider { return b.bank.provider() }

// Sync implements iswigo.Connector. A session still valid is reused; a
// lapsed one needs the person (errno 9 in the background, a new
// authorization when they are present).
func (b *bankConnector) Sync(ctx context.Context, s iswigo.SyncSession) error {
	st := loadState(s.State())
	var person psu
	if pc, ok := s.(iswigo.PSUContextSession); ok {
		person.ip, person.userAgent = pc.PSUContext()
	}
	now := s.Now()
	if st.SessionID != "" && (st.ValidUntil.IsZero() || now.Before(st.ValidUntil)) {
		err := b.fetch(ctx, s, &st, person)
		if err == nil || !sessionGone(err) || !s.Interactive() {
			return err
		}
	} else if !s.Interactive() {
		if st.SessionID != "" {
			return iswigo.Fail(iswigo.ErrnoAuthExpired, "consent lapsed at %s", st.ValidUntil.Format(time.RFC3339))
		}
		return iswigo.Fail(iswigo.ErrnoSCARequired, "the bank's authorization needs the person")
	}
	if err := progress(ctx, s, 5, "connecting", 0); err != nil {
		return err
	}
	if err := b.authorize(ctx, s, &st, person); err != nil {
		return err
	}
	return b.fetch(ctx, s, &st, person)
}

// authRequest is the body of POST /auth.
type authRequest struct {
	Access struct {
		ValidUntil string `json:"valid_until"`
	} `json:"access"`
	ASPSP struct {
		Name    string `json:"name"`
		Country string `json:"country"`
	} `json:"aspsp"`
	State                 string            `json:"state"`
	RedirectURL           string            `json:"redirect_url"`
	PSUType               string            `json:"psu_type"`
	AuthMethod            string            `json:"auth_method,omitempty"`
	Credentials           map[string]string `json:"credentials,omitempty"`
	CredentialsAutosubmit *bool             `json:"credentials_autosubmit,omitempty"`
}

type authResponse struct {
	URL             string `json:"url"`
	AuthorizationID string `json:"authorization_id"`
}

// authorize runs POST /auth, the person's authorization (redirect or
// decoupled), then POST /sessions with the code, and stores the session.
func (b *bankConnector) authorize(ctx context.Context, s iswigo.SyncSession, st *state, person psu) error {
	creds := s.Credentials()
	psuType := creds["psu_type"]
	if psuType == "" {
		psuType = b.bank.defaultPSUType()
	}
	validity := time.Duration(b.bank.MaximumConsentValidity) * time.Second
	if validity <= 0 {
		validity = 90 * 24 * time.Hour
	}
	req := authRequest{RedirectURL: "", PSUType: psuType, State: ""}
	req.Access.ValidUntil = s.Now().Add(validity).UTC().Format(time.RFC3339)
	req.ASPSP.Name, req.ASPSP.Country = b.bank.Name, b.bank.Country
	var query map[string]string
	if m := b.bank.decoupledMethod(psuType); m != nil {
		var err error
		if query, err = b.decoupled(ctx, s, req, m, creds, person); err != nil {
			return err
		}
	} else {
		rs, ok := s.(iswigo.RedirectSession)
		if !ok {
			return fmt.Errorf("enable banking needs a session with redirect steps")
		}
		var err error
		query, err = rs.Redirect(ctx, func(ctx context.Context, callbackURL, state string) (string, error) {
			req.RedirectURL, req.State = callbackURL, state
			var resp authResponse
			if err := b.client.do(ctx, "POST", "/auth", nil, req, &resp, person); err != nil {
				return "", failure("start authorization", err)
			}
			return resp.URL, nil
		})
		if err != nil {
			return err
		}
	}
	code := query["code"]
	if code == "" {
		return iswigo.Fail(iswigo.ErrnoWrongStepAnswer, "the bank sent no authorization code")
	}
	var sess struct {
		SessionID string           `json:"session_id"`
		Accounts  []sessionAccount `json:"accounts"`
		Access    struct {
			ValidUntil time.Time `json:"valid_until"`
		} `json:"access"`
	}
	if err := b.client.do(ctx, "POST", "/sessions", nil, map[string]string{"code": code}, &sess, person); err != nil {
		return failure("create session", err)
	}
	if sess.SessionID == "" {
		return iswigo.Fail(iswigo.ErrnoBug, "create session: no session id")
	}
	*st = state{SessionID: sess.SessionID, ValidUntil: sess.Access.ValidUntil.UTC()}
	for _, a := range sess.Accounts {
		if a.UID != "" && a.Currency != "" {
			st.Accounts = append(st.Accounts, a.stateAccount(psuType == "business"))
		}
	}
	if err := b.save(ctx, s, st); err != nil {
		return err
	}
	if cs, ok := s.(iswigo.ConsentSession); ok {
		if err := cs.SetConsentExpiration(ctx, st.ValidUntil); err != nil {
			return err
		}
	}
	return progress(ctx, s, 20, "accounts_found", len(st.Accounts))
}

// progress reports progress with a message key when the session narrates.
func progress(ctx context.Context, s iswigo.SyncSession, percent int, key string, count int) error {
	if pm, ok := s.(iswigo.ProgressMessageSession); ok {
		return pm.ProgressMessage(ctx, percent, key, count)
	}
	return s.Progress(ctx, percent)
}

// decoupled authorizes with the bank's decoupled method: the person's
// credentials (their user id) are submitted with POST /auth, the bank
// pushes the approval to its app, and Enable Banking's authorization page
// answers with a redirect to the callback, code included, once approved.
// The connector polls that page without following the redirect, and
// checks the state it chose itself.
func (b *bankConnector) decoupled(ctx context.Context, s iswigo.SyncSession, req authRequest, m *authMethod,
	creds map[string]string, person psu) (map[string]string, error) {
	ds, ok := s.(iswigo.DecoupledSession)
	if !ok || b.client.cfg.CallbackURL == "" {
		return nil, fmt.Errorf("enable banking: decoupled banks need a session with decoupled steps and a callback URL")
	}
	var raw [24]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, err
	}
	state := base64.RawURLEncoding.EncodeToString(raw[:])
	submit := true
	req.State, req.RedirectURL, req.AuthMethod, req.CredentialsAutosubmit = state, b.client.cfg.CallbackURL, m.Name, &submit
	req.Credentials = map[string]string{}
	for _, c := range m.Credentials {
		if v := creds[c.Name]; v != "" {
			req.Credentials[c.Name] = v
		}
	}
	if !s.Interactive() {
		return nil, iswigo.Fail(iswigo.ErrnoSCARequired, "the bank's approval needs the person")
	}
	var resp authResponse
	if err := b.client.do(ctx, "POST", "/auth", nil, req, &resp, person); err != nil {
		return nil, failure("start authorization", err)
	}
	var query map[string]string
	poll := func(ctx context.Context) (bool, error) {
		q, err := b.client.followOnce(ctx, resp.URL)
		if err != nil || q == nil {
			return false, err
		}
		if subtle.ConstantTimeCompare([]byte(q["state"]), []byte(state)) != 1 {
			return false, iswigo.Fail(iswigo.ErrnoBug, "decoupled authorization: the state came back changed")
		}
		if q["error"] != "" && q["code"] == "" {
			return false, iswigo.Fail(iswigo.ErrnoWrongStepAnswer, "authorization refused at the bank: %.40q", q["error"])
		}
		query = q
		return true, nil
	}
	msg := "Approve the access in your " + b.bank.Name + " app."
	if err := ds.Decoupled(ctx, msg, b.client.cfg.DecoupledPoll, poll); err != nil {
		return nil, err
	}
	return query, nil
}

// followOnce requests the authorization page without following its
// redirect: nil while it waits (2xx), the callback query once it
// redirects to the callback URL.
func (c *client) followOnce(ctx context.Context, pageURL string) (map[string]string, error) {
	u, err := url.Parse(pageURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, iswigo.Fail(iswigo.ErrnoBug, "decoupled authorization: no page URL")
	}
	req, err := http.NewRequestWithContext(ctx, "GET", pageURL, nil)
	if err != nil {
		return nil, err
	}
	hc := *c.cfg.HTTPClient
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Do(req)
	if err != nil {
		return nil, failure("poll authorization", &transportError{err})
	}
	resp.Body.Close()
	switch {
	case resp.StatusCode/100 == 2:
		return nil, nil
	case resp.StatusCode/100 == 3:
		loc, err := resp.Location()
		if err != nil {
			return nil, iswigo.Fail(iswigo.ErrnoBug, "decoupled authorization: redirect without location")
		}
		cb, _ := url.Parse(c.cfg.CallbackURL)
		if cb == nil || loc.Host != cb.Host || loc.Path != cb.Path {
			return nil, nil // an intermediate page of the bank
		}
		q := map[string]string{}
		for k, v := range loc.Query() {
			q[k] = v[0]
		}
		return q, nil
	}
	return nil, failure("poll authorization", &apiError{Status: resp.StatusCode})
}

func (b *bankConnector) save(ctx context.Context, s iswigo.SyncSession, st *state) error {
	raw, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return s.SaveState(ctx, raw)
}

// fetch reads every account of the session: balance, then booked
// transactions since dateFrom, page after page.
func (b *bankConnector) fetch(ctx context.Context, s iswigo.SyncSession, st *state, person psu) error {
	today := iswigo.DateOf(s.Now())
	from := today.AddDays(-firstSyncDays)
	if last, err := iswigo.ParseDate(st.LastSync); err == nil && st.LastSync != "" {
		from = last.AddDays(-overlapDays)
	}
	for i, a := range st.Accounts {
		var bal struct {
			Balances []balance `json:"balances"`
		}
		if err := b.client.do(ctx, "GET", "/accounts/"+url.PathEscape(a.UID)+"/balances", nil, nil, &bal, person); err != nil {
			return failure("balances", err)
		}
		acc := &iswigo.ConnectorAccount{Key: a.Key, Type: a.Type, Name: a.Name, Number: a.Number, IBAN: a.IBAN,
			Currency: a.Currency, Professional: a.Professional, Balance: pickBalance(bal.Balances, a.Currency)}
		if err := s.PutAccount(ctx, acc); err != nil {
			return err
		}
		q := url.Values{"date_from": {from.String()}}
		for page := 0; ; page++ {
			if page == maxPages {
				return iswigo.Fail(iswigo.ErrnoBug, "transactions: more than %d pages", maxPages)
			}
			var resp struct {
				Transactions    []transaction `json:"transactions"`
				ContinuationKey string        `json:"continuation_key"`
			}
			if err := b.client.do(ctx, "GET", "/accounts/"+url.PathEscape(a.UID)+"/transactions", q, nil, &resp, person); err != nil {
				return failure("transactions", err)
			}
			var txs []iswigo.ConnectorTransaction
			for _, t := range resp.Transactions {
				// Amounts in another currency than the account's are not
				// booked on it as such (none seen in PSD2 listings).
				if ct, ok := t.booked(); ok && ct.Amount.Currency == a.Currency {
					txs = append(txs, ct)
				}
			}
			if err := s.PutTransactions(ctx, a.Key, txs); err != nil {
				return err
			}
			if resp.ContinuationKey == "" {
				break
			}
			q.Set("continuation_key", resp.ContinuationKey)
		}
		if err := progress(ctx, s, 20+80*(i+1)/len(st.Accounts), "transactions", 0); err != nil {
			return err
		}
	}
	st.LastSync = today.String()
	return b.save(ctx, s, st)
}
