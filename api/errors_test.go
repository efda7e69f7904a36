// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
)

// TestSignatureExamples sends the worked examples of iswigo-facts.md §1
// to a server whose application has the examples' secret: each correctly
// signed request gets past the signature (to its route, or 404 for routes
// of later issues), and each wrongly signed one gets 401.
func TestSignatureExamples(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		app := e.createApp(t, "examples", true)
		app.Secret = "my-s3cr3t-key"
		if err := e.db.UpdateApp(context.Background(), app); err != nil {
			t.Fatal(err)
		}
		e.server.AppCacheTTL = 1 // no caching across the update above
		cases := []struct {
			method, target, body, sig string
		}{
			{"GET", "/v1/providers?range=0-19", "", "$5$ef31bc1391a68dbdc5f468a5cd606414f4bbe0ba6f57d8ddecd47f736d8c0f0f"},
			{"POST", "/v1/users", `{"email":"hector.berlioz@iswigo.com","password":"Str0ng!Passw0rd"}`, "$5$7ecaa36116a4d5a9a2a25ec2f3ac34e0d01d5ee886384a79969c0266b7c3c507"},
			{"GET", "/v1/providers", "", "$5$06e02f08eb858e23882e3886d47544b971548c6bc240c3b95fae5145c2b2af33"},
			{"DELETE", "/v1/connections/82db2f8b-67ae-443f-b64a-44a2ac846f37", "", "$5$883fa280498cc2372182c003db524e393cf106dad604a4184fb7e699f274bdcc"},
			{"GET", "/v1/providers?range=0-19&filters[type]=document", "", "$5$9e789ac4e3070a7c96acaf29c31316341ef20b9f8d9417017500c8ba77473d72"},
			{"GET", "/v1/providers?range=0-19&filters%5Btype%5D=document", "", "$5$e9d79b761c22c88f26e6139cc6dde96bb72a72fabf5105cafbc701ddb57ee501"},
			{"POST", "/v1/funnel", `{"action":"create","type":"bank"}`, "$5$2e22d2559ecbb61a508aee19f030b6e15da05a82a928df28f33662516a4073fe"},
		}
		for i, tc := range cases {
			h := map[string]string{"X-Iswigo-App": "examples", "X-Iswigo-Signature": tc.sig}
			if tc.body != "" {
				h["Content-Type"] = "application/json"
			}
			status, _, body := e.raw(t, tc.method, tc.target, h, []byte(tc.body))
			if status == http.StatusUnauthorized && strings.Contains(string(body), iswigo.MsgInvalidClient) {
				t.Errorf("example %d (%s %s): signature refused: %s", i, tc.method, tc.target, body)
			}
			// Another example's signature (E1 for E2 and so on) is refused.
			h["X-Iswigo-Signature"] = cases[(i+1)%len(cases)].sig
			status, _, body = e.raw(t, tc.method, tc.target, h, []byte(tc.body))
			wantEnvelope(t, status, body, http.StatusUnauthorized, iswigo.MsgInvalidClient)
		}
		// The trailing "+" of an empty body is part of the signed string.
		status, _, body := e.raw(t, "GET", "/v1/providers?range=0-19", map[string]string{"X-Iswigo-App": "examples",
			"X-Iswigo-Signature": "$5$766b7eac37524fc20d8d5fd8f83fb9e0e6daed6894fdcce1b5ebc6c69b7f2c9b"}, nil)
		wantEnvelope(t, status, body, http.StatusUnauthorized, iswigo.MsgInvalidClient)
	})
}

func TestSignatureRefused(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		good := signed(e.psd2App, "GET", "/v1/users", nil)
		for name, h := range map[string]map[string]string{
			"no headers":     {},
			"no signature":   {"X-Iswigo-App": e.psd2App.Name},
			"no app":         {"X-Iswigo-Signature": good["X-Iswigo-Signature"]},
			"unknown app":    {"X-Iswigo-App": "nobody", "X-Iswigo-Signature": good["X-Iswigo-Signature"]},
			"other app":      {"X-Iswigo-App": e.plainApp.Name, "X-Iswigo-Signature": good["X-Iswigo-Signature"]},
			"upper-case hex": {"X-Iswigo-App": e.psd2App.Name, "X-Iswigo-Signature": strings.ToUpper(good["X-Iswigo-Signature"])},
			"signed POST":    {"X-Iswigo-App": e.psd2App.Name, "X-Iswigo-Signature": signed(e.psd2App, "POST", "/v1/users", nil)["X-Iswigo-Signature"]},
		} {
			status, _, body := e.raw(t, "GET", "/v1/users", h, nil)
			if status != 401 {
				t.Errorf("%s: status %d", name, status)
				continue
			}
			wantEnvelope(t, status, body, http.StatusUnauthorized, iswigo.MsgInvalidClient)
		}
		// The body is signed: a changed body is refused.
		body := []byte(`{"email":"a@example.com","password":"Str0ng!Passw0rd"}`)
		h := signed(e.psd2App, "POST", "/v1/users", body)
		status, _, resp := e.raw(t, "POST", "/v1/users", h, bytes.Replace(body, []byte("a@"), []byte("b@"), 1))
		wantEnvelope(t, status, resp, http.StatusUnauthorized, iswigo.MsgInvalidClient)
		// The query is signed.
		h = signed(e.psd2App, "GET", "/v1/users?range=0-19", nil)
		status, _, resp = e.raw(t, "GET", "/v1/users?range=0-99", h, nil)
		wantEnvelope(t, status, resp, http.StatusUnauthorized, iswigo.MsgInvalidClient)
		// Unknown routes under /v1 need a signature too.
		status, _, resp = e.raw(t, "GET", "/v1/nothing-here", nil, nil)
		wantEnvelope(t, status, resp, http.StatusUnauthorized, iswigo.MsgInvalidClient)
	})
}

func TestErrorEnvelopes(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		app := e.psd2App
		status, _, body := e.raw(t, "GET", "/v1/nothing-here", signed(app, "GET", "/v1/nothing-here", nil), nil)
		wantEnvelope(t, status, body, http.StatusNotFound, "Not found")
		status, _, body = e.raw(t, "GET", "/nothing", nil, nil)
		wantEnvelope(t, status, body, http.StatusNotFound, "Not found")
		status, h, body := e.raw(t, "PATCH", "/v1/users", signed(app, "PATCH", "/v1/users", nil), nil)
		wantEnvelope(t, status, body, http.StatusMethodNotAllowed, "Method not allowed")
		if !strings.Contains(h.Get("Allow"), "GET") || !strings.Contains(h.Get("Allow"), "POST") {
			t.Fatalf("Allow = %q", h.Get("Allow"))
		}
		big := append([]byte(`{"email":"`), bytes.Repeat([]byte("a"), api.MaxBodyBytes)...)
		status, _, body = e.raw(t, "POST", "/v1/users", signed(app, "POST", "/v1/users", big), big)
		wantEnvelope(t, status, body, http.StatusRequestEntityTooLarge, "too large")

		good := []byte(`{"email":"a@example.com","password":"Str0ng!Passw0rd"}`)
		h2 := signed(app, "POST", "/v1/users", good)
		h2["Content-Type"] = "text/plain"
		status, _, body = e.raw(t, "POST", "/v1/users", h2, good)
		wantEnvelope(t, status, body, http.StatusUnsupportedMediaType, "application/json")
		delete(h2, "Content-Type")
		status, _, body = e.raw(t, "POST", "/v1/users", h2, good)
		wantEnvelope(t, status, body, http.StatusUnsupportedMediaType, "application/json")

		for raw, msg := range map[string]string{
			`{"email":`:                   "Malformed JSON",
			`{"email":"a@example.com"} x`: "unexpected data",
			`{"email":5}`:                 "Invalid email",
			``:                            "Request body required",
		} {
			status, _, body := e.raw(t, "POST", "/v1/users", signed(app, "POST", "/v1/users", []byte(raw)), []byte(raw))
			wantEnvelope(t, status, body, http.StatusBadRequest, msg)
		}
		// Unknown fields are ignored.
		withExtra := []byte(`{"email":"x@example.com","password":"Str0ng!Passw0rd","favourite":"opera"}`)
		if status, _, body := e.raw(t, "POST", "/v1/users", signed(app, "POST", "/v1/users", withExtra), withExtra); status != 201 {
			t.Fatalf("unknown field: %d %s", status, body)
		}
	})
}

// panickingUsers panics on every list, to exercise the recovery path.
type panickingUsers struct{ iswigo.UserService }

func (panickingUsers) FindUsers(context.Context, string, iswigo.Range) ([]*iswigo.User, int, error) {
	panic("database on fire: secret-internal-detail")
}

func TestPanicIs500(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		e2 := e.variant(t, func(s *api.Server) { s.Users = panickingUsers{e.db} })
		status, h, body := e2.raw(t, "GET", "/v1/users", signed(e.psd2App, "GET", "/v1/users", nil), nil)
		wantEnvelope(t, status, body, http.StatusInternalServerError, "Internal server error")
		if strings.Contains(string(body), "secret-internal-detail") {
			t.Fatal("panic detail in the body")
		}
		id := h.Get("X-Request-Id")
		if id == "" || !strings.Contains(e.logs.String(), id) || !strings.Contains(e.logs.String(), "secret-internal-detail") {
			t.Fatalf("the log does not have the panic with request id %q", id)
		}
	})
}

func TestHealth(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		if status, _, _ := e.raw(t, "GET", "/healthz", nil, nil); status != 200 {
			t.Fatalf("healthz %d", status)
		}
		if status, _, _ := e.raw(t, "GET", "/readyz", nil, nil); status != 200 {
			t.Fatalf("readyz %d", status)
		}
		e2 := e.variant(t, func(s *api.Server) {
			s.ReadyChecks = map[string]func(context.Context) error{"database": e.db.Ready,
				"jobs": func(context.Context) error { return context.DeadlineExceeded }}
		})
		status, _, body := e2.raw(t, "GET", "/readyz", nil, nil)
		wantEnvelope(t, status, body, http.StatusServiceUnavailable, "Not ready: jobs")
		if status, _, body := e.raw(t, "GET", "/v1/openapi.yaml", nil, nil); status != 200 || !bytes.HasPrefix(body, []byte("openapi: 3.1")) {
			t.Fatalf("openapi.yaml: %d %.40s", status, body)
		}
	})
}
