// SPDX-License-Identifier: Apache-2.0

// Package ebfake is a fake Enable Banking API for tests, written from its
// published API reference (https://enablebanking.com/docs/api/reference):
// it checks every request's JWT against the application's public key,
// lists a few banks (one decoupled), starts authorizations whose "bank"
// page redirects to the callback with a code, creates sessions, and serves
// balances and transactions in pages. Tests steer it: book the pending
// transaction, expire sessions, answer 429 once.
package ebfake

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The fake's banks.
const (
	RedirectBank  = "Banque Exemple" // FR, redirect, personal and business
	DecoupledBank = "Banka Mobil"    // FR, decoupled (approval in the app)
	GermanBank    = "Beispielbank"   // DE, redirect, personal only
)

// Server is the fake. Its exported fields may be changed between requests.
type Server struct {
	*httptest.Server
	AppID string
	Key   *rsa.PublicKey
	// DecoupledPolls is how many polls of a decoupled authorization page
	// answer "waiting" before the bank approves. Defaults to 2.
	DecoupledPolls int

	mu       sync.Mutex
	auths    map[string]*authorization // by id
	codes    map[string]*authorization // by code, until used
	sessions map[string]*session       // by id
	accounts map[string]*account       // by uid
	booked   bool                      // the pending transaction is booked
	throttle bool                      // the next transactions request answers 429
	// Counters, for assertions.
	TransactionPages int
	Throttled        int
	DateFroms        []string
	PSUHeaders       []string // "ip|user agent" of requests that carried them
	t                testing.TB
}

type authorization struct {
	id, state, redirectURL, country, bank, psuType, method string
	validUntil                                             time.Time
	polls                                                  int
	code                                                   string
}

type session struct {
	id         string
	validUntil time.Time
	expired    bool
}

type account struct {
	uid, session, kind string
}

// New starts the fake for appID, verifying JWTs with key.
func New(t testing.TB, appID string, key *rsa.PublicKey) *Server {
	s := &Server{AppID: appID, Key: key, DecoupledPolls: 2, auths: map[string]*authorization{}, codes: map[string]*authorization{},
		sessions: map[string]*session{}, accounts: map[string]*account{}, throttle: true, t: t}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /aspsps", s.api(s.aspsps))
	mux.HandleFunc("POST /auth", s.api(s.auth))
	mux.HandleFunc("POST /sessions", s.api(s.createSession))
	mux.HandleFunc("GET /accounts/{uid}/balances", s.api(s.balances))
	mux.HandleFunc("GET /accounts/{uid}/transactions", s.api(s.transactions))
	mux.HandleFunc("GET /bank/authorize", s.bankPage)
	mux.HandleFunc("GET /bank/approve", s.bankAnswer(true))
	mux.HandleFunc("GET /bank/deny", s.bankAnswer(false))
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// BookPending books the pending transaction (it gets its entry reference).
func (s *Server) BookPending() { s.mu.Lock(); s.booked = true; s.mu.Unlock() }

// SetDecoupledPolls sets how many polls the decoupled bank waits before
// it approves.
func (s *Server) SetDecoupledPolls(n int) { s.mu.Lock(); s.DecoupledPolls = n; s.mu.Unlock() }

// ThrottleOnce makes the next transactions request answer 429.
func (s *Server) ThrottleOnce() { s.mu.Lock(); s.throttle = true; s.mu.Unlock() }

// ExpireSessions makes every session answer EXPIRED_SESSION.
func (s *Server) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ss := range s.sessions {
		ss.expired = true
	}
}

// Counts returns the transaction pages served, the 429s sent and the
// date_from of every transactions request.
func (s *Server) Counts() (pages, throttled int, dateFroms []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.TransactionPages, s.Throttled, append([]string(nil), s.DateFroms...)
}

// PSU returns the "ip|user agent" pairs received.
func (s *Server) PSU() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.PSUHeaders...)
}

type apiError struct {
	status int
	code   string
}

func (s *Server) api(h func(r *http.Request) (any, *apiError)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var out any
		var e *apiError
		if e = s.checkJWT(r); e == nil {
			if ip := r.Header.Get("Psu-Ip-Address"); ip != "" {
				s.mu.Lock()
				s.PSUHeaders = append(s.PSUHeaders, ip+"|"+r.Header.Get("Psu-User-Agent"))
				s.mu.Unlock()
			}
			out, e = h(r)
		}
		w.Header().Set("Content-Type", "application/json")
		if e != nil {
			if e.status == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "1")
			}
			w.WriteHeader(e.status)
			json.NewEncoder(w).Encode(map[string]any{"code": e.status, "message": "fake error", "error": e.code,
				"detail": "Jean Dupont FR7630006000011234567890189"}) // personal data never to be logged
			return
		}
		json.NewEncoder(w).Encode(out)
	}
}

// checkJWT verifies the Authorization header as Enable Banking does:
// RS256, kid = the application id, iss, aud, iat, exp at most a day
// later (the connector uses an hour).
func (s *Server) checkJWT(r *http.Request) *apiError {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	unauthorized := &apiError{http.StatusUnauthorized, "UNAUTHORIZED_ACCESS"}
	if !ok {
		return unauthorized
	}
	tok, err := jwt.Parse(raw, func(t *jwt.Token) (any, error) {
		if t.Header["kid"] != s.AppID {
			return nil, fmt.Errorf("wrong kid")
		}
		return s.Key, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer("enablebanking.com"), jwt.WithAudience("api.enablebanking.com"),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt())
	if err != nil {
		return unauthorized
	}
	claims := tok.Claims.(jwt.MapClaims)
	iat, err1 := claims.GetIssuedAt()
	exp, err2 := claims.GetExpirationTime()
	if err1 != nil || err2 != nil || iat == nil || exp.Sub(iat.Time) > time.Hour {
		s.t.Errorf("ebfake: token lives more than an hour or has no iat")
		return unauthorized
	}
	return nil
}

func randomID() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (s *Server) aspsps(r *http.Request) (any, *apiError) {
	redirect := func(psu string) map[string]any {
		return map[string]any{"name": "redirect", "title": "Online banking", "psu_type": psu, "approach": "REDIRECT", "hidden_method": false, "credentials": []any{}}
	}
	banks := map[string][]map[string]any{
		"FR": {
			{"name": RedirectBank, "country": "FR", "logo": "https://logos.example/banque.png", "psu_types": []string{"personal", "business"},
				"auth_methods": []any{redirect("personal"), redirect("business")}, "maximum_consent_validity": 180 * 86400, "beta": false,
				"bic": "BEXAFRPP", "required_psu_headers": []string{"psu-ip-address", "psu-user-agent"}},
			{"name": DecoupledBank, "country": "FR", "logo": "https://logos.example/mobil.png", "psu_types": []string{"personal"},
				"auth_methods": []any{map[string]any{"name": "mobile_app", "title": "Mobile app", "psu_type": "personal", "approach": "DECOUPLED",
					"hidden_method": false, "credentials": []any{map[string]any{"name": "userId", "title": "User ID", "required": true, "template": "^[0-9]{6,10}$"}}}},
				"maximum_consent_validity": 90 * 86400, "beta": true},
		},
		"DE": {
			{"name": GermanBank, "country": "DE", "logo": "https://logos.example/beispiel.png", "psu_types": []string{"personal"},
				"auth_methods": []any{redirect("personal")}, "maximum_consent_validity": 90 * 86400, "beta": false},
		},
	}
	list, ok := banks[r.URL.Query().Get("country")]
	if !ok {
		list = []map[string]any{}
	}
	return map[string]any{"aspsps": list}, nil
}

func (s *Server) auth(r *http.Request) (any, *apiError) {
	var req struct {
		Access struct {
			ValidUntil time.Time `json:"valid_until"`
		} `json:"access"`
		ASPSP       struct{ Name, Country string } `json:"aspsp"`
		State       string                         `json:"state"`
		RedirectURL string                         `json:"redirect_url"`
		PSUType     string                         `json:"psu_type"`
		AuthMethod  string                         `json:"auth_method"`
		Credentials map[string]string              `json:"credentials"`
	}
	bad := &apiError{http.StatusBadRequest, "WRONG_REQUEST_PARAMETERS"}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.State == "" || req.Access.ValidUntil.IsZero() {
		return nil, bad
	}
	if u, err := url.Parse(req.RedirectURL); err != nil || u.Host == "" {
		return nil, &apiError{http.StatusBadRequest, "REDIRECT_URI_NOT_ALLOWED"}
	}
	max := 90 * 24 * time.Hour
	if req.ASPSP.Name == RedirectBank {
		max = 180 * 24 * time.Hour
	}
	if req.Access.ValidUntil.After(time.Now().Add(max + time.Hour)) {
		return nil, &apiError{http.StatusUnprocessableEntity, "WRONG_REQUEST_PARAMETERS"}
	}
	if req.ASPSP.Name == DecoupledBank && (req.AuthMethod != "mobile_app" || len(req.Credentials["userId"]) < 6) {
		return nil, bad
	}
	a := &authorization{id: randomID(), state: req.State, redirectURL: req.RedirectURL, country: req.ASPSP.Country,
		bank: req.ASPSP.Name, psuType: req.PSUType, method: req.AuthMethod, validUntil: req.Access.ValidUntil}
	s.mu.Lock()
	s.auths[a.id] = a
	s.mu.Unlock()
	return map[string]any{"url": s.URL + "/bank/authorize?id=" + a.id, "authorization_id": a.id, "psu_id_hash": "h"}, nil
}

var bankPage = template.Must(template.New("bank").Parse(`<!doctype html><html><head><title>{{.Bank}}</title></head>
<body><h1>{{.Bank}}</h1><p>Authorize the access to your accounts?</p>
<a id="approve" href="/bank/approve?id={{.ID}}">Authorize</a> <a id="deny" href="/bank/deny?id={{.ID}}">Refuse</a></body></html>`))

// bankPage is the bank's authorization page: for a redirect bank a page
// with Authorize and Refuse; for the decoupled bank "waiting" until it
// approves (after DecoupledPolls polls), then the redirect to the callback.
func (s *Server) bankPage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	a, ok := s.auths[r.URL.Query().Get("id")]
	if ok && a.method == "mobile_app" {
		a.polls++
		if a.polls > s.DecoupledPolls {
			target := s.approveLocked(a)
			s.mu.Unlock()
			http.Redirect(w, r, target, http.StatusFound)
			return
		}
		s.mu.Unlock()
		w.Write([]byte("Waiting for the approval in the app"))
		return
	}
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	bankPage.Execute(w, map[string]string{"Bank": a.bank, "ID": a.id})
}

func (s *Server) approveLocked(a *authorization) string {
	a.code = randomID()
	s.codes[a.code] = a
	delete(s.auths, a.id)
	return a.redirectURL + "?" + url.Values{"code": {a.code}, "state": {a.state}}.Encode()
}

func (s *Server) bankAnswer(approve bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		a, ok := s.auths[r.URL.Query().Get("id")]
		if !ok {
			s.mu.Unlock()
			http.NotFound(w, r)
			return
		}
		var target string
		if approve {
			target = s.approveLocked(a)
		} else {
			delete(s.auths, a.id)
			target = a.redirectURL + "?" + url.Values{"error": {"access_denied"}, "error_description": {"The user refused"}, "state": {a.state}}.Encode()
		}
		s.mu.Unlock()
		http.Redirect(w, r, target, http.StatusFound)
	}
}

func (s *Server) createSession(r *http.Request) (any, *apiError) {
	var req struct{ Code string }
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		return nil, &apiError{http.StatusBadRequest, "WRONG_REQUEST_PARAMETERS"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.codes[req.Code]
	if !ok {
		return nil, &apiError{http.StatusUnprocessableEntity, "WRONG_AUTHORIZATION_CODE"}
	}
	delete(s.codes, req.Code)
	ss := &session{id: randomID(), validUntil: a.validUntil}
	s.sessions[ss.id] = ss
	checking, savings := randomID(), randomID()
	s.accounts[checking] = &account{uid: checking, session: ss.id, kind: "checking"}
	s.accounts[savings] = &account{uid: savings, session: ss.id, kind: "savings"}
	usage := "PRIV"
	if a.psuType == "business" {
		usage = "ORGA"
	}
	return map[string]any{"session_id": ss.id, "psu_type": a.psuType, "aspsp": map[string]string{"name": a.bank, "country": a.country},
		"access": map[string]any{"valid_until": a.validUntil.UTC().Format(time.RFC3339)},
		"accounts": []any{
			map[string]any{"uid": checking, "account_id": map[string]string{"iban": "FR7630006000011234567890189"},
				"name": "M. JEAN DUPONT", "details": "Compte courant", "product": "Compte Essentiel", "cash_account_type": "CACC",
				"currency": "EUR", "usage": usage, "identification_hash": "hash-checking", "identification_hashes": []string{"hash-checking"}},
			map[string]any{"uid": savings, "account_id": map[string]string{"iban": "FR7630006000019876543210143"},
				"name": "M. JEAN DUPONT", "product": "Livret A", "cash_account_type": "SVGS",
				"currency": "EUR", "usage": usage, "identification_hash": "hash-savings", "identification_hashes": []string{"hash-savings"}},
		}}, nil
}

// accountOf returns the account of a valid session.
func (s *Server) accountOf(uid string) (*account, *apiError) {
	a, ok := s.accounts[uid]
	if !ok {
		return nil, &apiError{http.StatusNotFound, "ACCOUNT_DOES_NOT_EXIST"}
	}
	ss := s.sessions[a.session]
	if ss.expired || time.Now().After(ss.validUntil) {
		return nil, &apiError{http.StatusUnauthorized, "EXPIRED_SESSION"}
	}
	return a, nil
}

func (s *Server) balances(r *http.Request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, e := s.accountOf(r.PathValue("uid"))
	if e != nil {
		return nil, e
	}
	amount := "1523.40"
	if a.kind == "savings" {
		amount = "12000.00"
	}
	return map[string]any{"balances": []any{
		map[string]any{"name": "Available", "balance_amount": map[string]string{"currency": "EUR", "amount": "1400.00"}, "balance_type": "ITAV"},
		map[string]any{"name": "Booked", "balance_amount": map[string]string{"currency": "EUR", "amount": amount}, "balance_type": "CLBD"},
	}}, nil
}

// tx builds one transaction as Enable Banking writes it.
func tx(ref, date, amount, indicator, status, counterparty string, remittance ...string) map[string]any {
	t := map[string]any{"transaction_amount": map[string]string{"currency": "EUR", "amount": amount},
		"credit_debit_indicator": indicator, "status": status, "booking_date": date, "value_date": date,
		"remittance_information": remittance, "transaction_id": randomID()} // transaction_id changes every listing
	if ref != "" {
		t["entry_reference"] = ref
	}
	party := map[string]string{"name": counterparty}
	if indicator == "DBIT" {
		t["creditor"] = party
	} else {
		t["debtor"] = party
	}
	return t
}

// history returns the checking account's transactions on or after from,
// newest first: eight booked ones (one without entry reference) and the
// pending one, or booked when BookPending was called.
func (s *Server) history(from string) []map[string]any {
	today := time.Now().UTC()
	day := func(n int) string { return today.AddDate(0, 0, -n).Format(time.DateOnly) }
	all := []map[string]any{
		tx("E-1001", day(2), "54.20", "DBIT", "BOOK", "CARREFOUR MARKET", "CB CARREFOUR 12/11"),
		tx("E-1002", day(4), "2450.00", "CRDT", "BOOK", "ACME SAS", "SALAIRE NOVEMBRE"),
		tx("E-1003", day(6), "9.99", "DBIT", "BOOK", "NETFLIX", "PRLV SEPA NETFLIX"),
		tx("", day(9), "20.00", "DBIT", "BOOK", "", "RETRAIT DAB PARIS 11"),
		tx("E-1005", day(12), "650.00", "DBIT", "BOOK", "SCI DES LILAS", "LOYER"),
		tx("E-1006", day(20), "35.50", "DBIT", "BOOK", "SNCF", "CB SNCF INTERNET"),
		tx("E-1007", day(40), "120.00", "CRDT", "BOOK", "CPAM PARIS", "REMBOURSEMENT SOINS"),
		tx("E-1008", day(80), "61.00", "DBIT", "BOOK", "EDF", "PRLV EDF"),
	}
	if s.booked {
		all = append([]map[string]any{tx("E-1009", day(1), "18.70", "DBIT", "BOOK", "BOULANGERIE", "CB BOULANGERIE")}, all...)
	} else {
		all = append([]map[string]any{tx("", day(0), "18.70", "DBIT", "PDNG", "BOULANGERIE", "CB BOULANGERIE")}, all...)
	}
	var out []map[string]any
	for _, t := range all {
		if t["booking_date"].(string) >= from {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i]["booking_date"].(string) > out[j]["booking_date"].(string) })
	return out
}

// transactionsPage is how many transactions one page holds: the nine of
// the first sync come in three pages.
const transactionsPage = 3

func (s *Server) transactions(r *http.Request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, e := s.accountOf(r.PathValue("uid"))
	if e != nil {
		return nil, e
	}
	if s.throttle {
		s.throttle = false
		s.Throttled++
		return nil, &apiError{http.StatusTooManyRequests, "ASPSP_RATE_LIMIT_EXCEEDED"}
	}
	from := r.URL.Query().Get("date_from")
	if _, err := time.Parse(time.DateOnly, from); err != nil {
		return nil, &apiError{http.StatusUnprocessableEntity, "WRONG_TRANSACTIONS_PERIOD"}
	}
	if a.kind == "savings" {
		return map[string]any{"transactions": []any{
			tx("S-1", time.Now().UTC().AddDate(0, 0, -30).Format(time.DateOnly), "100.00", "CRDT", "BOOK", "M. JEAN DUPONT", "VIREMENT EPARGNE"),
		}}, nil
	}
	s.TransactionPages++
	offset := 0
	if k := r.URL.Query().Get("continuation_key"); k != "" {
		if _, err := fmt.Sscanf(k, "page-%d", &offset); err != nil {
			return nil, &apiError{http.StatusBadRequest, "WRONG_CONTINUATION_KEY"}
		}
	} else {
		s.DateFroms = append(s.DateFroms, from)
	}
	all := s.history(from)
	end := min(offset+transactionsPage, len(all))
	out := map[string]any{"transactions": all[offset:end], "continuation_key": nil}
	if end < len(all) {
		out["continuation_key"] = fmt.Sprintf("page-%d", end)
	}
	return out, nil
}
