// SPDX-License-Identifier: Apache-2.0

package api

import (
	"html/template"
	"net/http"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connflow"
)

// callbackPage is the plain page the callback shows when it has nowhere
// to send the browser, or the state is not one it knows.
var callbackPage = template.Must(template.New("callback").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="robots" content="noindex"><title>{{.Title}}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem">
<h1 style="font-size:1.3rem">{{.Title}}</h1><p>{{.Text}}</p></body></html>
`))

// handleCallback is where a provider sends the person back after a
// redirect step: GET /callback?state=…&code=… (or error=…). The state
// names the waiting sync (single use); its query resumes it. The browser
// then goes on to the connection's redirect URI (the funnel, or the PSD2
// app's registered URI, with ?connection_id=…), or gets a plain page.
// An unknown, used, expired or forged state changes nothing: 404.
func (s *Server) handleCallback(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer") // the code must not follow the person to the next site
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	_, next, err := s.flow().Callback(r.Context(), r.URL.Query())
	switch {
	case connflow.IsNoCallbacks(err):
		return err
	case iswigo.ErrorCode(err) == iswigo.EINVALID:
		return s.callbackPage(w, http.StatusBadRequest, "Invalid authorization answer",
			"This link is not a complete answer of your bank. Start again from the application.")
	case iswigo.ErrorCode(err) == iswigo.ENOTFOUND:
		return s.callbackPage(w, http.StatusNotFound, "Authorization unknown or expired",
			"This authorization was already used, has expired, or does not exist. Start again from the application.")
	case err != nil:
		return err
	case next != "":
		w.Header().Set("Location", next)
		w.WriteHeader(http.StatusSeeOther)
		return nil
	}
	return s.callbackPage(w, http.StatusOK, "Authorization received",
		"You may close this window and go back to the application.")
}

func (s *Server) callbackPage(w http.ResponseWriter, status int, title, text string) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	return callbackPage.Execute(w, struct{ Title, Text string }{title, text})
}
