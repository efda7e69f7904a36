// SPDX-License-Identifier: Apache-2.0

package widget

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/internal/httpwire"
)

// maxBodyBytes bounds the body of a flow request.
const maxBodyBytes = 64 << 10

// apiHandler is one endpoint of the flow, run as the request's session.
// It writes its response, or returns an error for the error envelope.
type apiHandler func(w http.ResponseWriter, r *http.Request, sc *sessionContext) error

// apiRoutes returns the flow's endpoints, by path below BasePath + "api/".
// Every one is POST, authorized by the SessionHeader alone.
func (h *Handler) apiRoutes() map[string]apiHandler {
	return map[string]apiHandler{
		"terms":                 h.handleTerms,
		"email":                 h.handleEmail,
		"email/code":            h.handleEmailCode,
		"providers":             h.handleProviderSearch,
		"form":                  h.handleForm,
		"connections":           h.handleConnections,
		"connections/create":    h.handleCreate,
		"connections/update":    h.handleUpdate,
		"connections/sync":      h.handleSync,
		"connections/status":    h.handleStatus,
		"connections/step-form": h.handleStepForm,
		"connections/step":      h.handleStep,
		"connections/result":    h.handleResult,
		"connections/stream":    h.handleStream,
		"simplefin/token":       h.handleSimpleFINToken,
		"statements/upload":     h.handleStatementUpload,
		"statements/list":       h.handleStatementList,
	}
}

// serveAPI runs the endpoint name.
func (h *Handler) serveAPI(w http.ResponseWriter, r *http.Request, name string) {
	w.Header().Set("Cache-Control", "no-store")
	route, ok := h.routes[name]
	if !ok {
		h.writeError(w, r, nil, iswigo.Errorf(iswigo.ENOTFOUND, "Not found"))
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		h.writeError(w, r, nil, iswigo.Errorf(iswigo.ENOTALLOWED, "Method not allowed"))
		return
	}
	sc, err := h.authenticate(r)
	if err != nil {
		h.writeError(w, r, sc, err)
		return
	}
	if err := route(w, r, sc); err != nil {
		h.writeError(w, r, sc, err)
	}
}

// errorBody is the error envelope of the API, plus the failing field of
// a validation error when there is one.
type errorBody struct {
	Error struct {
		Code        int    `json:"code"`
		Description string `json:"description"`
		Field       string `json:"field,omitempty"`
	} `json:"error"`
}

// writeError writes err in the error envelope; internal errors are logged.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, sc *sessionContext, err error) {
	code := iswigo.ErrorCode(err)
	if code == iswigo.EINTERNAL {
		h.logError(r, sc, err)
	}
	var e *iswigo.Error
	if errors.As(err, &e) && e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	var body errorBody
	body.Error.Code = httpwire.StatusOf(code)
	body.Error.Description = iswigo.ErrorMessage(err)
	if code == iswigo.EINVALID {
		body.Error.Field = invalidField(body.Error.Description)
	}
	writeJSON(w, body.Error.Code, body)
}

// invalidField returns the field a validation message names: "login" in
// "Invalid login: at least 6 characters".
func invalidField(msg string) string {
	rest, ok := strings.CutPrefix(msg, "Invalid ")
	if !ok {
		return ""
	}
	field, _, ok := strings.Cut(rest, ":")
	if !ok || strings.ContainsAny(field, " ") {
		return ""
	}
	return field
}

// logError logs an internal error with the request id and, at most, a
// prefix of the session id.
func (h *Handler) logError(r *http.Request, sc *sessionContext, err error) {
	attrs := []any{"error", err, "path", r.URL.Path}
	if id := r.Header.Get("X-Request-Id"); id != "" {
		attrs = append(attrs, "request_id", id)
	}
	if sc != nil && sc.session != nil {
		attrs = append(attrs, "session", sessionPrefix(sc.session.ID))
	}
	h.Logger.Error("widget: internal error", attrs...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// decode reads r's JSON body into v: at most maxBodyBytes, with the
// application/json content type, one value. Unknown fields are ignored.
func decode(r *http.Request, v any) error {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		return iswigo.Errorf(iswigo.EUNSUPPORTED, "Content-Type must be application/json")
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBodyBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return iswigo.Errorf(iswigo.ETOOLARGE, "Request body too large")
	} else if err != nil {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid body: expected a JSON object of the documented form")
	}
	if err := httpwire.CheckJSONUTF8(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid body: expected a JSON object of the documented form")
	}
	if _, err := dec.Token(); err != io.EOF {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid body: trailing data")
	}
	return nil
}

// clientIP returns the client's address as the API's middleware resolved
// it (trusted proxies included).
func clientIP(r *http.Request) string { return iswigo.ClientAddr(r) }

// statusJSON is a connection's synchronization state, as the API's
// status routes write it, with its provider.
type statusJSON struct {
	ConnectionID         string  `json:"connection_id"`
	ProviderID           int     `json:"provider_id"`
	LastSynchronizedTime *string `json:"last_synchronized_time"`
	Status               string  `json:"status"`
	Step                 *string `json:"step"`
	Progression          *int    `json:"progression"`
	Errno                *int    `json:"errno,omitempty"`
	// RedirectURL (step "redirect") and Message (step "decoupled"); on
	// "error", Message and ActionURL are the provider's words and page.
	RedirectURL string `json:"redirect_url,omitempty"`
	Message     string `json:"message,omitempty"`
	ActionURL   string `json:"action_url,omitempty"`
	// ProgressMessage is a message key of the sync in progress (with
	// ProgressCount), translated by the page.
	ProgressMessage string `json:"progress_message,omitempty"`
	ProgressCount   int    `json:"progress_count,omitempty"`
}

// timeLayout is the API's layout of connection times.
const timeLayout = "2006-01-02 15:04:05"

func statusOfConnection(c *iswigo.Connection) statusJSON {
	s := statusJSON{ConnectionID: c.ID, ProviderID: c.ProviderID, Status: c.Status}
	if !c.LastSynchronizedAt.IsZero() {
		t := c.LastSynchronizedAt.UTC().Format(timeLayout)
		s.LastSynchronizedTime = &t
	}
	switch c.Status {
	case iswigo.StatusWaitingUser:
		step := c.Step
		s.Step = &step
		s.RedirectURL, s.Message = c.RedirectURL, c.StepMessage
	case iswigo.StatusInProgress:
		p := c.Progression
		s.Progression = &p
		s.ProgressMessage, s.ProgressCount = c.ProgressKey, c.ProgressCount
	case iswigo.StatusError:
		e := int(c.Errno)
		s.Errno = &e
		s.Message, s.ActionURL = c.StepMessage, c.ActionURL
	}
	return s
}
