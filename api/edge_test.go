// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/iswigo/iswigo/api"
)

// TestLongTarget: a request target over 8 KiB is a 414 in the envelope,
// before anything else.
func TestLongTarget(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		// Not through the OpenAPI-checked client: the document lists 414
		// among the answers before routing (x-unrouted-responses).
		target := "/v1/users?q=" + strings.Repeat("a", api.MaxRequestTarget)
		req, _ := http.NewRequest("GET", e.http.URL+target, nil)
		for k, v := range signed(e.psd2App, "GET", target, nil) {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		wantEnvelope(t, resp.StatusCode, body, 414, "Request target longer than 8192 bytes")
		ok := "/v1/users?q=" + strings.Repeat("a", api.MaxRequestTarget-len("/v1/users?q="))
		if status, _, body := e.raw(t, "GET", ok, signed(e.psd2App, "GET", ok, nil), nil); status != 200 {
			t.Fatalf("a target of exactly 8 KiB: %d %s", status, body)
		}
	})
}

// TestHeadersTooLarge: headers over the limit get net/http's own 431,
// turned into the error envelope by api.Listener.
func TestHeadersTooLarge(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		srv := httptest.NewUnstartedServer(e.server.Handler())
		srv.Listener = api.Listener(srv.Listener)
		srv.Config.MaxHeaderBytes = api.MaxHeaderBytes
		srv.Start()
		defer srv.Close()
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		go conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("b", 2*api.MaxHeaderBytes) + "\r\n\r\n"))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var env api.ErrorBody
		if err := json.NewDecoder(resp.Body).Decode(&env); err != nil || resp.StatusCode != 431 || env.Error.Code != 431 ||
			resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("%d %q %+v (%v)", resp.StatusCode, resp.Header.Get("Content-Type"), env, err)
		}
		// Under the limit, the same server answers normally.
		resp2, err := http.Get(srv.URL + "/healthz")
		if err != nil || resp2.StatusCode != 200 {
			t.Fatalf("healthz: %v %v", resp2, err)
		}
		resp2.Body.Close()
	})
}

// TestLinkDoesNotRepeatTheQuery: a list request repeating a parameter a
// thousand times gets page links that keep only the list's own parameters,
// each once: the Link header stays small whatever the request sends.
func TestLinkDoesNotRepeatTheQuery(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		e.user(t, e.psd2, "one@example.com")
		e.user(t, e.psd2, "two@example.com")
		target := "/v1/users?" + strings.Repeat("x=1&", 1000) + "range=0-0&filters%5Btype%5D=a&filters[type]=b&" + strings.Repeat("y", 2000) + "=1"
		status, h, body := e.raw(t, "GET", target, signed(e.psd2App, "GET", target, nil), nil)
		if status != 200 {
			t.Fatalf("%d %s", status, body)
		}
		link := h.Get("Link")
		if !strings.Contains(link, `rel="next"`) || strings.Contains(link, "x=1") || strings.Contains(link, "yyy") ||
			strings.Count(link, "filters%5Btype%5D=a") != strings.Count(link, "<") || strings.Contains(link, "=b") || len(link) > 1024 {
			t.Fatalf("Link (%d bytes for a %d-byte target): %s", len(link), len(target), link)
		}
	})
}

// TestLinkEveryRel pins the whole Link header of a middle page: first,
// prev, next and last, each with the list parameters the request gave
// (as written, once) and the page's size.
func TestLinkEveryRel(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		for _, email := range []string{"l1@example.com", "l2@example.com", "l3@example.com", "l4@example.com", "l5@example.com"} {
			e.user(t, e.psd2, email)
		}
		target := "/v1/users?filters%5Btype%5D=a&range=2-3&x=1&filters[min_date]=2020-01-01"
		status, h, body := e.raw(t, "GET", target, signed(e.psd2App, "GET", target, nil), nil)
		if status != 200 {
			t.Fatalf("%d %s", status, body)
		}
		base := e.http.URL + "/v1/users?filters%5Btype%5D=a&filters[min_date]=2020-01-01&range="
		want := `<` + base + `0-1>; rel="first",<` + base + `0-1>; rel="prev",<` + base + `4-5>; rel="next",<` + base + `4-5>; rel="last"`
		if got := h.Get("Link"); got != want {
			t.Fatalf("Link =\n%s\nwant\n%s", got, want)
		}
		if h.Get("Accept-Range") != "users 2" || h.Get("Content-Range") != "2-3/5" {
			t.Fatalf("Accept-Range %q, Content-Range %q", h.Get("Accept-Range"), h.Get("Content-Range"))
		}
	})
}
