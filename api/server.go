// SPDX-License-Identifier: Apache-2.0

// Package api serves the Iswigo HTTP API (under /v1) and the operational
// endpoints, and holds the Go client of that API. It speaks only the root
// package's types to the rest of the program.
package api

import (
	"context"
	_ "embed"
	"log/slog"
	"net/http"
	"net/netip"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/auth"
)

// Server is the HTTP API. Its fields are set before Handler is called and
// not changed afterwards.
type Server struct {
	Apps    iswigo.AppService
	Users   iswigo.UserService
	Limiter iswigo.RateLimiter
	Tokens  iswigo.TokenService
	Mailer  iswigo.Mailer

	Providers   iswigo.ProviderService
	Connections iswigo.ConnectionService
	Bank        iswigo.BankService
	Events      iswigo.EventService
	Funnel      iswigo.FunnelService
	Documents   iswigo.DocumentService
	// Callbacks resumes redirect steps at GET /callback (nil = no route).
	Callbacks iswigo.CallbackService
	// SimpleFIN stores SimpleFIN tokens (nil = the SimpleFIN routes 404).
	SimpleFIN iswigo.SimpleFINService
	// SimpleFINTokenLifetime is how long a setup token may be claimed.
	// Defaults to iswigo.SimpleFINTokenLifetime (24 hours).
	SimpleFINTokenLifetime time.Duration
	// Statements imports statement files (nil = the routes answer 404).
	Statements iswigo.StatementService

	// Widget serves the funnel pages and agent.js under /widget/ (nil = none).
	Widget http.Handler
	// WidgetURL is the base URL of the funnel pages in funnel URIs.
	// Defaults to PublicURL + "/widget/".
	WidgetURL string
	// FunnelLifetime is how long a funnel session lives. Defaults to one hour.
	FunnelLifetime time.Duration
	// ReadyChecks are the checks of /readyz by name ("database", "jobs"):
	// ready when all return nil.
	ReadyChecks map[string]func(ctx context.Context) error
	// Metrics counts requests (nil = not counted); MetricsHandler, when set,
	// is served at GET /metrics.
	Metrics        iswigo.Metrics
	MetricsHandler http.Handler
	// Logger receives one line per request. Defaults to slog.Default().
	Logger *slog.Logger
	// PublicURL is the base of absolute links (pagination), without a
	// trailing slash, e.g. "https://api.example.com".
	PublicURL string
	// PasswordParams are the argon2id parameters of new password hashes.
	// Defaults to auth.DefaultPasswordParams.
	PasswordParams *auth.PasswordParams
	// PasswordHashing bounds the argon2id computations running at once
	// (503 with Retry-After past its queue). Defaults to
	// auth.NewHashLimiter's defaults: half of GOMAXPROCS (at least one) at once.
	PasswordHashing *auth.HashLimiter
	// AppCacheTTL is how long an application (and its secret) is cached in
	// memory; a rotated secret takes at most this long to apply. Defaults
	// to 5 seconds.
	AppCacheTTL time.Duration
	// Now returns the current time. Defaults to time.Now.
	Now func() time.Time
	// TrustedProxies are the proxies whose X-Forwarded-For is believed when
	// resolving a client's address (rate limits, logs). Empty: none.
	TrustedProxies []netip.Prefix
	// HealthOnly serves only the public routes (health, keys, document):
	// for processes of the worker role.
	HealthOnly bool

	once     sync.Once
	handler  http.Handler
	appCache appCache
}

// authLevel says what a route requires.
type authLevel int

const (
	public   authLevel = iota // no signature (health, keys, documentation)
	signed                    // X-Iswigo-App and X-Iswigo-Signature
	userAuth                  // signed, plus a Bearer access token
	// simplefinOpen and simplefinBasic are SimpleFIN's routes, outside /v1,
	// which authenticate themselves: the claim by the setup token's secret
	// in its path, the Account Set by HTTP Basic (simplefinBasic).
	simplefinOpen
	simplefinBasic
)

// route is one endpoint. handler returns an error to be written in the
// error envelope; it writes the response itself otherwise.
type route struct {
	method, pattern string
	auth            authLevel
	handler         func(w http.ResponseWriter, r *http.Request) error
}

func (s *Server) routes() []route {
	return []route{
		{"GET", "/healthz", public, s.handleHealthz},
		{"GET", "/readyz", public, s.handleReadyz},
		{"GET", "/.well-known/jwks.json", public, s.handleJWKS},
		{"GET", "/v1/openapi.yaml", public, s.handleOpenAPI},
		{"GET", "/callback", public, s.handleCallback},

		{"POST", "/v1/users", signed, s.handleCreateUser},
		{"GET", "/v1/users", signed, s.handleListUsers},
		{"GET", "/v1/users/{id}", signed, s.handleGetUser},
		{"PUT", "/v1/users/{id}/email", signed, s.handleUpdateUserEmail},
		{"PUT", "/v1/users/{id}/password", signed, s.handleUpdateUserPassword},
		{"DELETE", "/v1/users/{id}", userAuth, s.handleDeleteUser},
		{"POST", "/v1/authenticate", signed, s.handleAuthenticate},

		{"GET", "/v1/profile", userAuth, s.handleGetProfile},
		{"PUT", "/v1/profile", userAuth, s.handleUpdateProfile},
		{"GET", "/v1/profile/validation", userAuth, s.handleGetValidation},
		{"POST", "/v1/profile/validation", userAuth, s.handleValidate},

		{"GET", "/v1/providers", signed, s.handleListProviders},
		{"GET", "/v1/providers/{id}", signed, s.handleGetProvider},

		{"POST", "/v1/connections", userAuth, s.handleCreateConnection},
		{"GET", "/v1/connections", userAuth, s.handleListConnections},
		{"POST", "/v1/connections/sync", userAuth, s.handleSyncAll},
		{"GET", "/v1/connections/{id}", userAuth, s.handleGetConnection},
		{"PUT", "/v1/connections/{id}", userAuth, s.handleUpdateConnection},
		{"DELETE", "/v1/connections/{id}", userAuth, s.handleDeleteConnection},
		{"POST", "/v1/connections/{id}/sync", userAuth, s.handleSyncConnection},
		{"GET", "/v1/connections/{id}/status", userAuth, s.handleConnectionStatus},
		{"POST", "/v1/connections/{id}/step", userAuth, s.handleConnectionStep},
		{"POST", "/v1/connections/{id}/statements", userAuth, s.handleUploadStatement},
		{"GET", "/v1/connections/{id}/statements", userAuth, s.handleListStatements},

		{"GET", "/v1/bank/accounts", userAuth, s.handleListAccounts},
		{"GET", "/v1/bank/accounts/{id}", userAuth, s.handleGetAccount},
		{"GET", "/v1/bank/accounts/{id}/transactions", userAuth, s.handleListTransactions},
		{"GET", "/v1/bank/accounts/{id}/transactions/{tid}", userAuth, s.handleGetTransaction},

		{"GET", "/v1/documents", userAuth, s.handleListDocuments},
		{"GET", "/v1/documents/{id}", userAuth, s.handleGetDocument},
		{"GET", "/v1/documents/{id}/download", userAuth, s.handleDownloadDocument},

		{"POST", "/v1/funnel", userAuth, s.handleCreateFunnel},
		{"DELETE", "/v1/funnel/{id}", userAuth, s.handleDeleteFunnel},

		{"GET", "/v1/events", signed, s.handleListEvents},
		{"GET", "/v1/events/{id}", signed, s.handleGetEvent},

		{"POST", "/v1/simplefin/tokens", userAuth, s.handleCreateSimpleFINToken},
		{"GET", "/v1/simplefin/tokens", userAuth, s.handleListSimpleFINTokens},
		{"DELETE", "/v1/simplefin/tokens/{id}", userAuth, s.handleDeleteSimpleFINToken},
		{"GET", "/simplefin/info", simplefinOpen, s.handleSimpleFINInfo},
		{"POST", "/simplefin/claim/{token}", simplefinOpen, s.handleSimpleFINClaim},
		{"GET", "/simplefin/accounts", simplefinBasic, s.handleSimpleFINAccounts},
	}
}

// Routes returns "METHOD pattern" for every route the server serves.
func (s *Server) Routes() []string {
	var out []string
	for _, rt := range s.routes() {
		out = append(out, rt.method+" "+rt.pattern)
	}
	return out
}

// Handler returns the server's http.Handler.
func (s *Server) Handler() http.Handler {
	s.once.Do(func() {
		if s.Logger == nil {
			s.Logger = slog.Default()
		}
		if s.Now == nil {
			s.Now = time.Now
		}
		if s.PasswordParams == nil {
			p := auth.DefaultPasswordParams
			s.PasswordParams = &p
		}
		if s.PasswordHashing == nil {
			s.PasswordHashing = auth.NewHashLimiter(auth.HashLimiterParams{})
		}
		if s.AppCacheTTL == 0 {
			s.AppCacheTTL = 5 * time.Second
		}
		// mux serves the routes, and what matches none goes to its
		// catch-all, where diag (the same routes only) tells a wrong
		// method (405) from an unknown path (404): a matched request is
		// routed once.
		mux, diag := http.NewServeMux(), http.NewServeMux()
		handle := func(pattern string, h http.Handler) { mux.Handle(pattern, h); diag.Handle(pattern, h) }
		for _, rt := range s.routes() {
			if s.HealthOnly && rt.auth != public {
				continue
			}
			handle(rt.method+" "+rt.pattern, s.endpoint(rt))
		}
		if s.Widget != nil && !s.HealthOnly {
			handle("/widget/", s.Widget)
		}
		if s.MetricsHandler != nil {
			handle("GET /metrics", s.MetricsHandler)
		}
		unmatched := s.notFound(diag)
		mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Pattern = "" // logged and counted as unmatched, as before the catch-all
			unmatched.ServeHTTP(w, r)
		}))
		s.handler = s.observe(mux)
	})
	return s.handler
}

// Wrap returns h behind the server's outer middleware (request id,
// client address, panic recovery, request log, metrics): for handlers
// served on another listener, such as the funnel on its own host name.
func (s *Server) Wrap(h http.Handler) http.Handler {
	s.Handler() // defaults
	return s.observe(h)
}

//go:embed openapi.yaml
var openAPIDocument []byte

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/yaml")
	w.Write(openAPIDocument)
	return nil
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// handleReadyz runs every ready check and reports each: 200 when all
// pass, 503 in the error envelope otherwise (the failing checks named).
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	checks := map[string]string{}
	var failed []string
	for name, check := range s.ReadyChecks {
		if err := check(ctx); err != nil {
			s.logger(r).Warn("not ready", "check", name, "error", err)
			checks[name] = "failing"
			failed = append(failed, name)
		} else {
			checks[name] = "ok"
		}
	}
	if len(failed) > 0 {
		sort.Strings(failed)
		return iswigo.Errorf(iswigo.EUNAVAILABLE, "Not ready: %s", strings.Join(failed, ", "))
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ready", "checks": checks})
	return nil
}

func (s *Server) handleJWKS(w http.ResponseWriter, r *http.Request) error {
	b, err := s.Tokens.JWKS(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(b)
	return nil
}
