// SPDX-License-Identifier: Apache-2.0

// Package widget serves the funnel: the hosted connection flow that an
// application opens for its user with a funnel session (terms of service,
// e-mail validation, provider choice, credentials, live synchronization,
// additional steps, result), its JSON and Server-Sent Events endpoints, and
// agent.js, the script that embeds the flow in the application's page.
//
// The pages are html/template documents with a little plain JavaScript,
// embedded in the binary: no build step, no third-party resource, no cookie.
// The session id is the only credential of the flow. The page receives it
// once in its URL, then sends it in the X-Iswigo-Session header of its
// requests; it stops working when the session is deleted or expires.
package widget

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/profile"
)

// SessionHeader carries the funnel session id on the flow's JSON requests.
const SessionHeader = "X-Iswigo-Session"

// Handler serves everything under BasePath: the flow page, its assets,
// agent.js and the flow's endpoints. Its fields are set before the first
// request and not changed afterwards. It is safe for concurrent use.
type Handler struct {
	Sessions    iswigo.FunnelService
	Apps        iswigo.AppService
	Users       iswigo.UserService
	Providers   iswigo.ProviderService
	Connections iswigo.ConnectionService
	// Profile applies the e-mail validation rules, the same as the API's.
	Profile *profile.Service
	// Bank and Documents, when set, let the result screen say what a
	// synchronization found.
	Bank      iswigo.BankService
	Documents iswigo.DocumentService
	// SimpleFIN, when set, serves the simplefin action: setup tokens on
	// SimpleFINPublicURL (the API's public URL), claimable for
	// SimpleFINTokenLifetime (default 24 hours).
	SimpleFIN              iswigo.SimpleFINService
	SimpleFINPublicURL     string
	SimpleFINTokenLifetime time.Duration
	// Statements, when set, lets the flow upload statement files to the
	// connections of providers fed by them (statements.go).
	Statements iswigo.StatementService
	// Usage, when set, lists the application's most used providers first.
	Usage iswigo.ProviderUsageService
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Now defaults to time.Now.
	Now func() time.Time
	// BasePath is the path the handler is mounted at, with both slashes.
	// Defaults to "/widget/".
	BasePath string
	// PublicURL is the absolute URL of the funnel pages (what funnel URIs
	// start with): where iswigo's callback sends the browser back after a
	// redirect step begun in the funnel. "" = back to a plain page.
	PublicURL string
	// PollInterval is how often the progress stream reads the connections.
	// Defaults to 250 milliseconds.
	PollInterval time.Duration
	// StreamDuration bounds one progress stream; the page then opens
	// another. Defaults to 1 minute.
	StreamDuration time.Duration

	once     sync.Once
	page     *template.Template
	assets   map[string]asset
	routes   map[string]apiHandler
	stop     chan struct{} // closed by Shutdown
	stopOnce sync.Once

	simplefinPage *template.Template // the page of the simplefin action
}

//go:embed assets
var assetFS embed.FS

// asset is a static file served under BasePath.
type asset struct {
	body        []byte
	contentType string
	version     string // a hash of body, for cache-busting URLs
	gz          []byte // body compressed with gzip; nil if not text
}

func (h *Handler) init() {
	h.once.Do(func() {
		if h.Logger == nil {
			h.Logger = slog.Default()
		}
		if h.Now == nil {
			h.Now = time.Now
		}
		if h.BasePath == "" {
			h.BasePath = "/widget/"
		}
		if !strings.HasSuffix(h.BasePath, "/") {
			h.BasePath += "/"
		}
		if h.PollInterval <= 0 {
			h.PollInterval = 250 * time.Millisecond
		}
		if h.StreamDuration <= 0 {
			h.StreamDuration = time.Minute
		}
		h.stop = make(chan struct{})
		h.assets = map[string]asset{}
		for name, ct := range map[string]string{
			"agent.js":      "text/javascript; charset=utf-8",
			"flow.js":       "text/javascript; charset=utf-8",
			"statements.js": "text/javascript; charset=utf-8",
			"flow.css":      "text/css; charset=utf-8",
			"favicon.svg":   "image/svg+xml",
		} {
			b, err := assetFS.ReadFile("assets/" + name)
			if err != nil {
				panic("widget: missing embedded asset " + name)
			}
			sum := sha256.Sum256(b)
			a := asset{body: b, contentType: ct, version: hex.EncodeToString(sum[:6])}
			if compressible(ct) {
				a.gz = gzipBytes(b)
			}
			h.assets[name] = a
		}
		h.page = template.Must(template.ParseFS(assetFS, "assets/page.html"))
		h.initSimpleFIN()
		h.routes = h.apiRoutes()
	})
}

// Shutdown ends the progress streams at once, telling their pages to open
// another (on another process, or by polling), so that http.Server's
// Shutdown need not wait for them: give it to RegisterOnShutdown. The
// handler keeps serving; new streams end at once.
func (h *Handler) Shutdown() {
	h.init()
	h.stopOnce.Do(func() { close(h.stop) })
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.init()
	hd := w.Header()
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Content-Security-Policy", noneCSP) // pages set their own
	rel, ok := strings.CutPrefix(r.URL.Path, h.BasePath)
	if !ok {
		h.writePage(w, r, http.StatusNotFound, pageData{Message: "notfound_h"}, "'none'")
		return
	}
	switch {
	case rel == "":
		h.handlePage(w, r)
	case strings.HasPrefix(rel, "api/"):
		h.serveAPI(w, r, rel[len("api/"):])
	default:
		if a, ok := h.assets[rel]; ok {
			h.serveAsset(w, r, rel, a)
			return
		}
		h.writePage(w, r, http.StatusNotFound, pageData{Message: "notfound_h"}, "'none'")
	}
}

// serveAsset writes an embedded file. A URL carrying the file's version is
// cached for a year; agent.js, loaded by applications at a fixed URL, for
// five minutes.
func (h *Handler) serveAsset(w http.ResponseWriter, r *http.Request, name string, a asset) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "Method not allowed", http.StatusMethodNotAllowed)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", a.contentType)
	if r.URL.Query().Get("v") == a.version {
		hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hd.Set("Cache-Control", "public, max-age=300")
	}
	if name == "agent.js" {
		// Loaded by a <script> of the application's page, another origin.
		hd.Set("Cross-Origin-Resource-Policy", "cross-origin")
	} else {
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
	}
	body, etag := a.body, `"`+a.version+`"`
	if a.gz != nil {
		hd.Set("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			body, etag = a.gz, `"`+a.version+`-gz"`
			hd.Set("Content-Encoding", "gzip")
		}
	}
	hd.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// noneCSP is the Content-Security-Policy of every response but pages.
const noneCSP = "default-src 'none'; frame-ancestors 'none'"

// pageCSP returns the Content-Security-Policy of a page that origins may
// frame: scripts, styles and requests of this origin only, no inline script.
func pageCSP(ancestors string) string {
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https:; connect-src 'self'; " +
		"font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors " + ancestors
}

// frameAncestors returns the frame-ancestors sources of an app's allowed
// origins, 'none' when there is none. Origins that are not a plain
// scheme://host[:port] are left out.
func frameAncestors(origins []string) string {
	valid := allowedOrigins(origins)
	if len(valid) == 0 {
		return "'none'"
	}
	return strings.Join(valid, " ")
}

// allowedOrigins returns the well-formed origins among origins, with a
// lower-case scheme and host, as browsers write location.origin (a port is
// kept as given).
func allowedOrigins(origins []string) []string {
	out := []string{}
	for _, o := range origins {
		u, err := url.Parse(strings.TrimSpace(o))
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(u.Host, " ;,'*") {
			continue
		}
		out = append(out, strings.ToLower(u.Scheme+"://"+u.Host))
	}
	return out
}

// sessionPrefix is what logs show of a session id.
func sessionPrefix(id string) string {
	if len(id) > 8 {
		return id[:8] + "…"
	}
	return id
}
