// SPDX-License-Identifier: Apache-2.0

package widget

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"net/http"
	"time"

	"github.com/iswigo/iswigo"
)

// The simplefin action: a page that gives the user a SimpleFIN setup token
// to paste into a SimpleFIN application (Actual Budget, Firefly III's data
// importer…), sharing all the user's accounts. It has its own page and
// script, apart from the connection flow.

// simplefinPageData is what assets/simplefin.html renders.
type simplefinPageData struct {
	Lang    string
	CSS, JS string
	Icon    string
	// AppName, Logo and Initial are the header's (see appHeader).
	AppName, Logo, Initial string
	Data                   *flowData
}

// T returns the text of key in the page's language.
func (p simplefinPageData) T(key string) string { return simplefinMessages[p.Lang][key] }

// initSimpleFIN loads the action's page and script (called by init).
func (h *Handler) initSimpleFIN() {
	b, err := assetFS.ReadFile("assets/simplefin.js")
	if err != nil {
		panic("widget: missing embedded asset simplefin.js")
	}
	sum := sha256.Sum256(b)
	h.assets["simplefin.js"] = asset{body: b, contentType: "text/javascript; charset=utf-8", version: hex.EncodeToString(sum[:6])}
	h.simplefinPage = template.Must(template.ParseFS(assetFS, "assets/simplefin.html"))
}

// writeSimpleFINPage serves the page of a usable simplefin session.
func (h *Handler) writeSimpleFINPage(w http.ResponseWriter, r *http.Request, lang string, app *iswigo.App, data *flowData, ancestors string) {
	data.Strings = simplefinMessages[lang]
	p := simplefinPageData{Lang: lang, Data: data,
		CSS:  h.BasePath + "flow.css?v=" + h.assets["flow.css"].version,
		JS:   h.BasePath + "simplefin.js?v=" + h.assets["simplefin.js"].version,
		Icon: h.BasePath + "favicon.svg?v=" + h.assets["favicon.svg"].version}
	p.AppName, p.Logo, p.Initial = appHeader(app, data)
	var buf bytes.Buffer
	if err := h.simplefinPage.Execute(&buf, p); err != nil {
		h.Logger.Error("widget: render simplefin page", "error", err, "request_id", w.Header().Get("X-Request-Id"))
		http.Error(w, "Internal server error", http.StatusInternalServerError)
		return
	}
	sendPage(w, r, http.StatusOK, lang, buf.Bytes(), ancestors)
}

// handleSimpleFINToken creates a setup token of the session's user,
// sharing all the user's accounts. Only a simplefin session may.
func (h *Handler) handleSimpleFINToken(w http.ResponseWriter, r *http.Request, sc *sessionContext) error {
	if sc.session.Action != iswigo.FunnelSimpleFIN || h.SimpleFIN == nil {
		return iswigo.Errorf(iswigo.EFORBIDDEN, "Not available in this session")
	}
	lifetime := h.SimpleFINTokenLifetime
	if lifetime <= 0 {
		lifetime = iswigo.SimpleFINTokenLifetime
	}
	t, claimURL, err := iswigo.IssueSimpleFINToken(r.Context(), h.SimpleFIN, sc.user, nil, h.SimpleFINPublicURL, h.Now(), lifetime)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"token_id": t.ID, "setup_token": iswigo.SimpleFINSetupToken(claimURL),
		"expires_at": t.ExpiresAt.UTC().Format(time.RFC3339)})
	return nil
}
