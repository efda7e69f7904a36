// SPDX-License-Identifier: Apache-2.0

package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/auth"
)

type ctxKey int

// ctxState holds the request's *requestState.
const ctxState ctxKey = iota

// requestState is what the middleware learns of a request: observe sets
// id, authorize sets body, app and user, all before the route's handler
// runs; nothing changes them afterwards. One value in the context instead
// of one per field, and authorize fills it in place instead of copying the
// request again.
type requestState struct {
	id   string
	body []byte
	app  *iswigo.App
	user *iswigo.User
}

// stateOf returns the state of the request served with ctx (nil outside one).
func stateOf(ctx context.Context) *requestState {
	st, _ := ctx.Value(ctxState).(*requestState)
	return st
}

// requestBody returns the body read by the endpoint middleware.
func requestBody(r *http.Request) []byte {
	if st := stateOf(r.Context()); st != nil {
		return st.body
	}
	return nil
}

// requestApp returns the application that signed the request (signed and
// userAuth routes only; never nil there).
func requestApp(r *http.Request) *iswigo.App {
	if st := stateOf(r.Context()); st != nil {
		return st.app
	}
	return nil
}

// requestUser returns the user of the access token (userAuth routes only;
// never nil there).
func requestUser(r *http.Request) *iswigo.User {
	if st := stateOf(r.Context()); st != nil {
		return st.user
	}
	return nil
}

// RequestID returns the id of the request being served ("" outside one).
func RequestID(ctx context.Context) string {
	if st := stateOf(ctx); st != nil {
		return st.id
	}
	return ""
}

// logger returns the server's logger with the request id.
func (s *Server) logger(r *http.Request) *slog.Logger {
	return s.Logger.With("request_id", RequestID(r.Context()))
}

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer (flush).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observed is what observe allocates for a request, in one piece.
type observed struct {
	w        statusWriter
	state    requestState
	idHeader [1]string // the X-Request-Id header's value slice
}

// observe gives each request an id (X-Request-Id, also in the response),
// logs one line when it ends, and turns a panic into a 500 in the error
// envelope with nothing internal in the body.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			id = newRequestID()
		}
		o := &observed{w: statusWriter{ResponseWriter: w}, state: requestState{id: id}, idHeader: [1]string{id}}
		w.Header()["X-Request-Id"] = o.idHeader[:] // Set, without allocating the slice
		ctx := context.WithValue(r.Context(), ctxState, &o.state)
		r = r.WithContext(iswigo.WithClientAddr(ctx, s.resolveClientIP(r)))
		sw := &o.w
		if len(r.RequestURI) > MaxRequestTarget {
			s.writeError(sw, r, iswigo.Errorf(iswigo.ETOOLONG, "Request target longer than %d bytes", MaxRequestTarget))
			s.logTooLong(r, id, sw.status)
			return
		}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.logger(r).Error("panic", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if sw.status == 0 {
					s.writeError(sw, r, errors.New("panic"))
				}
			}
			end := time.Now()
			if s.Metrics != nil {
				s.Metrics.ObserveRequest(r.Method, r.Pattern, sw.status, end.Sub(start))
			}
			s.logRequest(r, &o.state, sw, start, end)
		}()
		next.ServeHTTP(sw, r)
	})
}

// logRequest writes the request's line at Info. It hands the record to
// the logger's handler itself, as Logger.LogAttrs would, but without
// taking the caller's program counter (no handler of ours logs the source).
func (s *Server) logRequest(r *http.Request, st *requestState, sw *statusWriter, start, end time.Time) {
	h := s.Logger.Handler()
	if !h.Enabled(r.Context(), slog.LevelInfo) {
		return
	}
	app := ""
	if st.app != nil {
		app = st.app.Name
	}
	rec := slog.NewRecord(end, slog.LevelInfo, "request", 0)
	rec.AddAttrs(slog.String("request_id", st.id),
		slog.String("method", r.Method), slog.String("path", loggedPath(r)), slog.String("route", r.Pattern),
		slog.Int("status", sw.status), slog.Int64("bytes", sw.bytes),
		slog.Float64("duration_ms", float64(end.Sub(start).Microseconds())/1000),
		slog.String("remote", clientIP(r)), slog.String("app", app))
	_ = h.Handle(r.Context(), rec)
}

// logTooLong logs a refused over-long request without its target.
func (s *Server) logTooLong(r *http.Request, id string, status int) {
	s.Logger.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("request_id", id),
		slog.String("method", r.Method), slog.Int("target_bytes", len(r.RequestURI)), slog.Int("status", status),
		slog.String("remote", clientIP(r)))
}

// loggedPath returns the request path as logged: a funnel session id is a
// credential, so only its first 8 characters are kept; a SimpleFIN setup
// token's secret is not logged at all.
func loggedPath(r *http.Request) string {
	if tok := r.PathValue("token"); tok != "" && strings.HasPrefix(r.Pattern, "POST /simplefin/claim/") {
		return strings.Replace(r.URL.Path, tok, "…", 1)
	}
	if id := r.PathValue("id"); id != "" && strings.HasPrefix(r.Pattern, "DELETE /v1/funnel/") && len(id) > 8 {
		return strings.Replace(r.URL.Path, id, id[:8]+"…", 1)
	}
	return r.URL.Path
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// recorder captures what the mux would answer for an unmatched request.
type recorder struct {
	header http.Header
	status int
	body   strings.Builder
}

func (rec *recorder) Header() http.Header         { return rec.header }
func (rec *recorder) WriteHeader(code int)        { rec.status = code }
func (rec *recorder) Write(b []byte) (int, error) { return rec.body.Write(b) }

// notFound answers unknown routes (404) and wrong methods (405, with
// Allow) in the error envelope instead of the mux's plain text.
func (s *Server) notFound(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/v1/") {
			// Unauthenticated callers learn nothing about which routes exist.
			body, err := readBody(r)
			if err == nil {
				_, err = s.verifySignature(r, body)
			}
			if err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		rec := &recorder{header: http.Header{}}
		h.ServeHTTP(rec, r)
		switch rec.status {
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", rec.header.Get("Allow"))
			s.writeError(w, r, iswigo.Errorf(iswigo.ENOTALLOWED, "Method not allowed"))
		case http.StatusNotFound, 0:
			s.writeError(w, r, iswigo.Errorf(iswigo.ENOTFOUND, "Not found"))
		default: // a redirect to the cleaned path
			for k, v := range rec.header {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.status)
			io.WriteString(w, rec.body.String())
		}
	})
}

// endpoint wraps a route: it reads the body (at most MaxBodyBytes, or
// the route's bodyLimit),
// verifies the request signature and the access token as the route
// requires, then runs the handler and writes its error, if any.
func (s *Server) endpoint(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.authorize(rt, r); err != nil {
			s.writeError(w, r, err)
			return
		}
		if err := rt.handler(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// authorize checks rt's requirements and records the body, app and user
// in the request's state (r is updated in place when it has none: a
// handler served without observe).
func (s *Server) authorize(rt route, r *http.Request) error {
	st := stateOf(r.Context())
	if st == nil {
		st = &requestState{}
		*r = *r.WithContext(context.WithValue(r.Context(), ctxState, st))
	}
	limit, jsonBody := bodyLimit(rt)
	body, err := readBodyLimit(r, limit)
	if err != nil {
		return err
	}
	st.body = body
	if rt.auth == public || rt.auth == simplefinOpen || rt.auth == simplefinBasic {
		return nil
	}
	app, err := s.verifySignature(r, body)
	if err != nil {
		return err
	}
	st.app = app
	if rt.auth == userAuth {
		user, err := s.verifyToken(r.Context(), r, app)
		if err != nil {
			return err
		}
		st.user = user
	}
	if !jsonBody {
		return nil
	}
	return requireJSONContentType(r)
}

// readBody reads the request body, at most MaxBodyBytes (ETOOLARGE beyond).
func readBody(r *http.Request) ([]byte, error) { return readBodyLimit(r, MaxBodyBytes) }

// readBodyLimit reads the request body, at most limit bytes (ETOOLARGE beyond).
func readBodyLimit(r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return []byte{}, nil // what io.ReadAll returns for an empty body, without its buffer
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, limit))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, iswigo.Errorf(iswigo.ETOOLARGE, "Request body too large: at most %d bytes", limit)
		}
		return nil, iswigo.Errorf(iswigo.EINVALID, "Could not read the request body")
	}
	return body, nil
}

// dummySecret stands in for an unknown app's secret so that an unknown
// app costs the same work as a wrong signature.
const dummySecret = "iswigo-unknown-application-0123456789abcdef"

// verifySignature checks X-Iswigo-App and X-Iswigo-Signature against what
// came on the wire: the method, the raw request target, the raw body.
func (s *Server) verifySignature(r *http.Request, body []byte) (*iswigo.App, error) {
	invalid := errInvalidClient
	name, sig := r.Header.Get("X-Iswigo-App"), r.Header.Get("X-Iswigo-Signature")
	if name == "" || sig == "" || !iswigo.ValidAppName(name) {
		return nil, invalid
	}
	app, err := s.findApp(r.Context(), name)
	secret := dummySecret
	if err == nil {
		secret = app.Secret
	} else if iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
		return nil, err
	}
	ok := auth.VerifySignature(secret, r.Method, requestTarget(r), body, sig)
	if !ok || app == nil {
		return nil, invalid
	}
	return app, nil
}

// errInvalidClient and errInvalidToken answer a request whose signature or
// token is refused. They are made once: writeError only reads them.
var (
	errInvalidClient = iswigo.Errorf(iswigo.EUNAUTHORIZED, iswigo.MsgInvalidClient)
	errInvalidToken  = iswigo.Errorf(iswigo.EUNAUTHORIZED, iswigo.MsgInvalidToken)
)

// requestTarget returns the path and query exactly as the client sent them.
func requestTarget(r *http.Request) string {
	target := r.RequestURI
	if strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") {
		// absolute-form: keep the path and query only
		if i := strings.Index(target[strings.Index(target, "//")+2:], "/"); i >= 0 {
			return target[strings.Index(target, "//")+2+i:]
		}
		return "/"
	}
	return target
}

// verifyToken checks the Bearer token: signature, expiry, application, and
// that it was issued to the user's current token version.
func (s *Server) verifyToken(ctx context.Context, r *http.Request, app *iswigo.App) (*iswigo.User, error) {
	invalid := errInvalidToken
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, invalid
	}
	claims, err := s.Tokens.Verify(ctx, strings.TrimSpace(token))
	if err != nil {
		return nil, invalid
	}
	if claims.App != app.Name {
		return nil, invalid
	}
	user, err := s.Users.FindUserByID(ctx, app.ID, claims.UserID)
	if iswigo.ErrorCode(err) == iswigo.ENOTFOUND {
		return nil, invalid
	} else if err != nil {
		return nil, err
	}
	if user.TokenVersion != claims.TokenVersion {
		return nil, invalid
	}
	return user, nil
}
