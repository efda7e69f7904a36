// SPDX-License-Identifier: Apache-2.0

package widget

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/iswigo/iswigo"
)

// pageData is what assets/page.html renders.
type pageData struct {
	Lang string
	// CSS, JS and Icon are the URLs of the flow's stylesheet, script and icon.
	CSS, JS, Icon string
	// StatementsJS is the URL of the statement upload screen's script.
	StatementsJS string
	// Message, when set, is the key of the heading of a page that only
	// says something (unknown or ended session, unknown page), and Text
	// the key of its paragraph.
	Message, Text string
	// TermsVersion says which terms the user accepts ("" = unknown).
	TermsVersion string
	// Data is given to the page's script; nil on a page without script.
	Data *flowData
	// AppName and Logo (an https URL, or "" for the monogram Initial) are
	// the header's; TermsIntro and TermsReads the terms screen's sentences
	// naming the application, TermsURL and PrivacyURL its links.
	AppName, Logo, Initial string
	TermsIntro, TermsReads string
	TermsURL, PrivacyURL   string
}

// brandJSON is the application's branding the page's script applies.
type brandJSON struct {
	Name   string `json:"name"`
	Accent string `json:"accent,omitempty"`
}

// brand fills p's header and terms texts from app (nil: iswigo's own).
func (p *pageData) brand(app *iswigo.App) {
	p.AppName, p.Logo, p.Initial = appHeader(app, p.Data)
	if app != nil {
		p.TermsURL, p.PrivacyURL = app.Branding.TermsURL, app.Branding.PrivacyURL
	}
	p.TermsIntro = replace(p.T("terms_intro"), "app", p.AppName)
	p.TermsReads = replace(p.T("terms_reads"), "app", p.AppName)
}

// appHeader returns what a page's header shows of app (nil: iswigo's
// own): its name, logo URL and initial (the monogram without a logo), and
// gives data (when not nil) the branding the page's script applies.
func appHeader(app *iswigo.App, data *flowData) (name, logo, initial string) {
	name = "Iswigo"
	if app != nil {
		b := app.Branding
		name, logo = b.DisplayName, b.LogoURL
		if name == "" {
			name = app.Name
		}
		if data != nil {
			data.App = &brandJSON{Name: name, Accent: b.AccentColor}
		}
	}
	if r := []rune(name); len(r) > 0 {
		initial = strings.ToUpper(string(r[0]))
	}
	return name, logo, initial
}

// T returns the text of key in the page's language.
func (p pageData) T(key string) string { return messages[p.Lang][key] }

// flowData is the state the page's script starts from (JSON in the page).
type flowData struct {
	Session string `json:"session,omitempty"`
	UserID  string `json:"user_id,omitempty"`
	Action  string `json:"action,omitempty"`
	Base    string `json:"base"`
	Lang    string `json:"lang"`
	// Origins are the origins allowed to embed the page: the only ones
	// the page posts its events to.
	Origins       []string `json:"origins"`
	NeedsTerms    bool     `json:"needs_terms,omitempty"`
	NeedsEmail    bool     `json:"needs_email,omitempty"`
	Email         string   `json:"email,omitempty"`
	CodePending   bool     `json:"code_pending,omitempty"`
	ProviderID    int      `json:"provider_id,omitempty"`
	ConnectionIDs []string `json:"connection_ids"`
	// State is "" for a usable session, "ended" for a deleted or expired
	// one, "unknown" when the link names no session, "restore" when it
	// names none at all (the page may still hold one from before a reload).
	State string `json:"state,omitempty"`
	// Resume names the connection whose sync the page follows at once:
	// the person comes back from their bank's authorization page.
	Resume string `json:"resume,omitempty"`
	// App is the application's branding; nil on pages without a session.
	App     *brandJSON        `json:"app,omitempty"`
	Strings map[string]string `json:"strings"`
}

// handlePage serves the flow page of the session named by ?session=.
func (h *Handler) handlePage(w http.ResponseWriter, r *http.Request) {
	lang := language(r)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		h.writePage(w, r, http.StatusMethodNotAllowed, pageData{Lang: lang, Message: "notfound_h"}, "'none'")
		return
	}
	data := &flowData{Base: h.BasePath, Lang: lang, Origins: []string{}, ConnectionIDs: []string{}, Strings: messages[lang]}
	id := r.URL.Query().Get("session")
	if id == "" {
		data.State = "restore"
		h.writePage(w, r, http.StatusNotFound, pageData{Lang: lang, Message: "unknown_h", Text: "unknown_p", Data: data}, "*")
		return
	}
	sc, err := h.loadSession(r.Context(), id)
	switch iswigo.ErrorCode(err) {
	case "":
	case iswigo.EUNAUTHORIZED:
		// Nothing to protect on this page: any site may show it, so that
		// the widget says why it is empty.
		data.State = "unknown"
		h.writePage(w, r, http.StatusNotFound, pageData{Lang: lang, Message: "unknown_h", Text: "unknown_p", Data: data}, "*")
		return
	case codeGone:
		data.State = "ended"
		ancestors := "'none'"
		if sc != nil {
			data.UserID = sc.session.UserID
			if sc.app != nil {
				data.Origins = allowedOrigins(sc.app.Origins)
				ancestors = frameAncestors(sc.app.Origins)
			}
		}
		p := pageData{Lang: lang, Message: "ended_h", Text: "ended_p", Data: data}
		if sc != nil {
			p.brand(sc.app)
		}
		h.writePage(w, r, http.StatusGone, p, ancestors)
		return
	default:
		h.logError(r, sc, err)
		h.writePage(w, r, http.StatusInternalServerError, pageData{Lang: lang, Message: "error_generic"}, "'none'")
		return
	}
	s, app, u := sc.session, sc.app, sc.user
	data.Session, data.UserID, data.Action = s.ID, u.ID, s.Action
	data.Origins = allowedOrigins(app.Origins)
	if s.Action == iswigo.FunnelSimpleFIN {
		h.writeSimpleFINPage(w, r, lang, app, data, frameAncestors(app.Origins))
		return
	}
	data.NeedsTerms = needsTerms(u, app)
	data.NeedsEmail = !u.EmailValidated
	data.Email = u.EmailValidation
	if data.Email == "" {
		data.Email = u.Email
	}
	data.CodePending = u.ValidationPending(h.Now())
	data.ProviderID = s.ProviderID
	if s.ConnectionIDs != nil {
		data.ConnectionIDs = s.ConnectionIDs
	}
	if id := r.URL.Query().Get("connection_id"); iswigo.ValidID(id) {
		data.Resume = id // back from a bank's authorization (GET /callback)
	}
	p := pageData{Lang: lang, Data: data}
	p.brand(app)
	if !app.LastTermsOfService.IsZero() {
		p.TermsVersion = replace(p.T("terms_version"), "date", formatDate(app.LastTermsOfService, lang))
	}
	h.writePage(w, r, http.StatusOK, p, frameAncestors(app.Origins))
}

// needsTerms reports whether u must accept app's terms of service.
func needsTerms(u *iswigo.User, app *iswigo.App) bool {
	return u.TermsOfService.IsZero() || u.TermsOfService.Before(app.LastTermsOfService)
}

// writePage renders p with the page's security headers; ancestors is the
// frame-ancestors source list.
func (h *Handler) writePage(w http.ResponseWriter, r *http.Request, status int, p pageData, ancestors string) {
	if p.Lang == "" {
		p.Lang = language(r)
	}
	if p.AppName == "" {
		p.brand(nil)
	}
	p.CSS = h.BasePath + "flow.css?v=" + h.assets["flow.css"].version
	p.JS = h.BasePath + "flow.js?v=" + h.assets["flow.js"].version
	p.StatementsJS = h.BasePath + "statements.js?v=" + h.assets["statements.js"].version
	p.Icon = h.BasePath + "favicon.svg?v=" + h.assets["favicon.svg"].version
	var buf bytes.Buffer
	if err := h.page.Execute(&buf, p); err != nil {
		h.Logger.Error("widget: render page", "error", err, "request_id", w.Header().Get("X-Request-Id"))
		http.Error(w, "Internal server error", http.StatusInternalServerError)
		return
	}
	sendPage(w, r, status, p.Lang, buf.Bytes(), ancestors)
}

// sendPage writes a rendered page with the page's security headers.
func sendPage(w http.ResponseWriter, r *http.Request, status int, lang string, body []byte, ancestors string) {
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Content-Security-Policy", pageCSP(ancestors))
	if ancestors == "'none'" {
		hd.Set("X-Frame-Options", "DENY")
	}
	hd.Set("Cache-Control", "no-store")
	hd.Set("Content-Language", lang)
	hd.Set("Vary", "Accept-Language, Accept-Encoding")
	if acceptsGzip(r) {
		hd.Set("Content-Encoding", "gzip")
		body = gzipBytes(body)
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// replace fills the placeholder {name} of s with v.
func replace(s, name, v string) string {
	return strings.ReplaceAll(s, "{"+name+"}", v)
}

var monthNames = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
}

// formatDate writes d as people of lang read it.
func formatDate(d iswigo.Date, lang string) string {
	t := d.Time()
	month := monthNames[lang][t.Month()-1]
	if lang == "fr" {
		day := strconv.Itoa(t.Day())
		if t.Day() == 1 {
			day = "1er"
		}
		return day + " " + month + " " + strconv.Itoa(t.Year())
	}
	return month + " " + strconv.Itoa(t.Day()) + ", " + strconv.Itoa(t.Year())
}
