// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/iswigo/iswigo/api"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// bodyRoutes are the routes that read a JSON body; {user} and {conn} are
// replaced by a user's id and the fuzzing user's connection id.
var bodyRoutes = []struct{ method, target string }{
	{"POST", "/v1/users"},
	{"PUT", "/v1/users/{user}/email"},
	{"PUT", "/v1/users/{user}/password"},
	{"POST", "/v1/authenticate"},
	{"PUT", "/v1/profile"},
	{"POST", "/v1/profile/validation"},
	{"POST", "/v1/connections"},
	{"PUT", "/v1/connections/{conn}"},
	{"POST", "/v1/connections/{conn}/step"},
	{"POST", "/v1/funnel"},
}

// FuzzRouteBodies sends arbitrary bodies to every route that reads one,
// signed and with a valid access token, through the real server: never a
// 5xx, every error in the envelope with its own status, every response as
// api/openapi.yaml documents it, and invalid UTF-8 in a JSON string a 400.
func FuzzRouteBodies(f *testing.F) {
	seeds := []string{
		`{"email":"new@example.com","password":"Str0ng!Passw0rd"}`,
		`{"email":"fuzz@example.com","password":"Str0ng!Passw0rd"}`,
		`{"email":"x@example.com","password":"Str0ng!Passw0rd","new_password":"An0ther!Passw0rd"}`,
		`{"first_name":"Hector","last_name":"Berlioz","terms_of_service":"2020-01-01"}`,
		`{"token":"abc"}`,
		`{"provider":999,"login":"fuzz-hector","password":"123456"}`,
		`{"automatic_sync":false,"login":"fuzz-hector","password":"123456"}`,
		`{"sms":"1234"}`,
		`{"action":"create bank"}`,
		`{"action":"create","type":"bank","provider":999}`,
		`{"action":"edit","connection_ids":["x"]}`,
		"{\"email\":\"a\xffb@example.com\",\"password\":\"Str0ng!Passw0rd\"}",
		"{\"login\":\"\xc3\"}",
		`[]`, `null`, `{}`, `{"a":1}{}`, `{"provider":1e400}`, `{"provider":"999"}`, ``,
	}
	for i := range bodyRoutes {
		for _, s := range seeds {
			f.Add(uint8(i), []byte(s))
		}
	}
	e := newEnv(f, sqldbtest.Open(f, sqldb.SQLite))
	_, c := e.user(f, e.psd2, "fuzz@example.com")
	// {user}'s e-mail and password may change: not the user whose token
	// the other routes use.
	u, _ := e.user(f, e.psd2, "other@example.com")
	conn, err := c.CreateConnection(context.Background(), 999, map[string]string{"login": "fuzz-hector", "password": "123456"})
	if err != nil {
		f.Fatal(err)
	}
	replacer := strings.NewReplacer("{user}", u.UserID, "{conn}", conn.ConnectionID)
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		rt := bodyRoutes[int(route)%len(bodyRoutes)]
		target := replacer.Replace(rt.target)
		h := signed(e.psd2App, rt.method, target, body)
		h["Content-Type"] = "application/json"
		h["Authorization"] = "Bearer " + c.Token
		status, _, resp := e.raw(t, rt.method, target, h, body)
		if status >= 500 && status != 503 {
			t.Fatalf("%s %s %q: %d %s", rt.method, rt.target, body, status, resp)
		}
		if status >= 400 && !(status == 409 && rt.target == "/v1/users") { // 409 there: the existing user
			var env api.ErrorBody
			if err := json.NewDecoder(bytes.NewReader(resp)).Decode(&env); err != nil || env.Error.Code != status || env.Error.Description == "" {
				t.Fatalf("%s %s %q: %d with body %q, not the error envelope", rt.method, rt.target, body, status, resp)
			}
		}
		if json.Valid(body) && !utf8.Valid(body) && status != 400 && status != 429 && status != 401 {
			t.Fatalf("%s %s %q: invalid UTF-8 answered %d %s", rt.method, rt.target, body, status, resp)
		}
	})
}
