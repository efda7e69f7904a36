// SPDX-License-Identifier: Apache-2.0

package widget_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/widget"
)

// stream reads the progress stream of connection id until an event of
// one of the names in until (a status or another event), and returns the
// statuses seen.
func (e *testEnv) stream(t *testing.T, session, id string, until ...string) ([]map[string]any, string) {
	t.Helper()
	return e.streamThen(t, session, id, nil, until...)
}

// streamThen is stream that calls first after the first status.
func (e *testEnv) streamThen(t *testing.T, session, id string, first func(), until ...string) ([]map[string]any, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	b, _ := json.Marshal(map[string]any{"connection_ids": []string{id}})
	req, _ := http.NewRequestWithContext(ctx, "POST", e.http.URL+"/widget/api/connections/stream", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(widget.SessionHeader, session)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream; charset=utf-8" {
		t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var seen []map[string]any
	sc := bufio.NewScanner(resp.Body)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "event: "); ok {
			event = v
		} else if v, ok := strings.CutPrefix(line, "data: "); ok {
			if event == "status" {
				var st map[string]any
				if err := json.Unmarshal([]byte(v), &st); err != nil {
					t.Fatal(err)
				}
				seen = append(seen, st)
				if first != nil {
					first()
					first = nil
				}
				for _, u := range until {
					if u == st["status"] {
						return seen, u
					}
				}
			} else {
				return seen, event
			}
		}
	}
	t.Fatalf("stream ended without %v (seen %v): %v", until, seen, sc.Err())
	return nil, ""
}

// TestFlowEndpoints goes through the whole create flow with the JSON and
// SSE endpoints alone: terms, e-mail code, providers, credentials, the
// SMS step, the result.
func TestFlowEndpoints(t *testing.T) {
	e := newEnv(t)
	u, c := e.user(t, "hector@example.com")
	sid, _ := e.session(t, c, map[string]any{"action": "create", "type": "bank"})

	// Nothing happens before the terms and the e-mail.
	out := e.mustCall(t, sid, "connections/create", map[string]any{"provider_id": 999,
		"values": map[string]string{"login": "smsuser", "password": "123456"}}, 403)
	if !strings.Contains(out["error"].(map[string]any)["description"].(string), "terms") {
		t.Fatalf("create before the terms: %v", out)
	}
	e.mustCall(t, sid, "terms", map[string]any{"accept": false}, 400)
	out = e.mustCall(t, sid, "terms", map[string]any{"accept": true}, 200)
	if out["terms_of_service"] != iswigo.DateOf(time.Now()).String() {
		t.Fatalf("terms: %v", out)
	}
	e.mustCall(t, sid, "connections/create", map[string]any{"provider_id": 999, "values": map[string]string{}}, 403)

	out = e.mustCall(t, sid, "email", map[string]any{"email": "not an address"}, 400)
	if f := out["error"].(map[string]any)["field"]; f != "email" {
		t.Fatalf("invalid email: field %v", f)
	}
	e.mustCall(t, sid, "email", map[string]any{"email": "hector.contact@example.com"}, 200)
	code := e.lastCode(t, "hector.contact@example.com")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	e.mustCall(t, sid, "email/code", map[string]any{"code": wrong}, 400)
	e.mustCall(t, sid, "email/code", map[string]any{"code": code}, 200)
	got, err := e.db.FindUserByID(context.Background(), e.app.ID, u.ID)
	if err != nil || !got.EmailValidated || got.EmailValidation != "hector.contact@example.com" || got.TermsOfService.IsZero() {
		t.Fatalf("user after terms and e-mail: %+v, %v", got, err)
	}

	// Words in any order, each starting a word of the name, ignoring case
	// and accents.
	for q, want := range map[string]string{
		"sandbox b":      "Sandbox Bank,Sandbox Bank & Documents,Sandbox SecureKey Bank",
		"DOCUMENTS bánk": "Sandbox Bank & Documents",
		"secure sandbox": "Sandbox SecureKey Bank",
		"andbox":         "",
	} {
		out = e.mustCall(t, sid, "providers", map[string]any{"query": q}, 200)
		names := []string{}
		for _, p := range out["providers"].([]any) {
			names = append(names, p.(map[string]any)["name"].(string))
		}
		if strings.Join(names, ",") != want {
			t.Fatalf("banks named like %q: %v; want %s", q, names, want)
		}
	}
	out = e.mustCall(t, sid, "providers", map[string]any{"query": ""}, 200)
	for _, p := range out["providers"].([]any) {
		if p.(map[string]any)["provider_id"] == 996.0 {
			t.Fatal("a bank session lists the energy supplier")
		}
	}
	form := e.mustCall(t, sid, "form", map[string]any{"provider_id": 999}, 200)
	if form["provider_name"] != "Sandbox Bank" || len(form["inputs"].([]any)) != 2 {
		t.Fatalf("form: %v", form)
	}

	// Validation errors name their field, as the API's.
	for _, tc := range []struct {
		values map[string]string
		field  string
	}{
		{map[string]string{"password": "123456"}, "login"},
		{map[string]string{"login": "smsus", "password": "123456"}, "login"},
		{map[string]string{"login": "smsuser"}, "password"},
		{map[string]string{"login": "smsuser", "password": strings.Repeat("9", 33)}, "password"},
	} {
		out := e.mustCall(t, sid, "connections/create", map[string]any{"provider_id": 999, "values": tc.values}, 400)
		if f := out["error"].(map[string]any)["field"]; f != tc.field {
			t.Fatalf("create %v: field %v; want %s (%v)", tc.values, f, tc.field, out)
		}
	}
	e.mustCall(t, sid, "connections/create", map[string]any{"provider_id": 12345,
		"values": map[string]string{"login": "smsuser", "password": "123456"}}, 400)

	st := e.mustCall(t, sid, "connections/create", map[string]any{"provider_id": 999,
		"values": map[string]string{"login": "smsuser", "password": "123456", "extra": "dropped"}}, 201)
	id := st["connection_id"].(string)
	if st["status"] != "pending" {
		t.Fatalf("created: %v", st)
	}
	seen, end := e.stream(t, sid, id, "waiting user")
	if end != "waiting user" || seen[len(seen)-1]["step"] != "sms" {
		t.Fatalf("stream until the step: %v", seen)
	}
	step := e.mustCall(t, sid, "connections/step-form", map[string]any{"connection_id": id}, 200)
	if step["step"] != "sms" || !strings.Contains(step["title"].([]any)[1].(map[string]any)["text"].(string), "Sandbox Bank") {
		t.Fatalf("step form: %v", step)
	}
	out = e.mustCall(t, sid, "connections/step", map[string]any{"connection_id": id, "values": map[string]string{"sms": "12a4"}}, 400)
	if f := out["error"].(map[string]any)["field"]; f != "sms" {
		t.Fatalf("step answer: field %v", f)
	}
	e.mustCall(t, sid, "connections/step", map[string]any{"connection_id": id, "values": map[string]string{"sms": "1234"}}, 200)
	seen, end = e.stream(t, sid, id, "finished", "error")
	if end != "finished" {
		t.Fatalf("stream until the end: %v", seen)
	}
	// The stream tells nothing more once every connection is done.
	if _, end := e.stream(t, sid, id, "none"); end != "end" {
		t.Fatalf("stream of a finished connection ended with %q", end)
	}
	res := e.mustCall(t, sid, "connections/result", map[string]any{"connection_id": id}, 200)
	if len(res["accounts"].([]any)) == 0 {
		t.Fatalf("result: %v", res)
	}
	creds, err := e.db.FindConnectionCredentials(context.Background(), e.app.ID, u.ID, id)
	if err != nil || len(creds) != 2 || creds["login"] != "smsuser" {
		t.Fatalf("stored credentials: %v %v", creds, err)
	}
	conn, err := c.Connection(context.Background(), id)
	if err != nil || conn.Login != iswigo.MaskLogin("smsuser") {
		t.Fatalf("connection through the API: %+v %v", conn, err)
	}
	status, err := c.ConnectionStatus(context.Background(), id)
	if err != nil || status.Status != "finished" {
		t.Fatalf("status through the API: %+v %v", status, err)
	}
}

// TestStreamEnds ends the progress stream when the session ends and when
// the server shuts down.
func TestStreamEnds(t *testing.T) {
	e := newEnv(t)
	u, c := e.readyUser(t, "ada@example.com")
	sid, _ := e.session(t, c, map[string]any{"action": "create", "type": "bank"})
	st := e.mustCall(t, sid, "connections/create", map[string]any{"provider_id": 999,
		"values": map[string]string{"login": "smswaiting", "password": "123456"}}, 201)
	id := st["connection_id"].(string)
	waitStatus(t, e, u, id, iswigo.StatusWaitingUser)

	start := time.Now()
	_, end := e.streamThen(t, sid, id, func() {
		if err := c.DeleteFunnelSession(context.Background(), sid); err != nil {
			t.Error(err)
		}
	}, "none")
	if end != "ended" || time.Since(start) > 5*time.Second {
		t.Fatalf("a deleted session's stream ended with %q after %v", end, time.Since(start))
	}

	sid2, _ := e.session(t, c, map[string]any{"action": "status"})
	e.widget.Shutdown()
	if _, end := e.stream(t, sid2, id, "none"); end != "again" {
		t.Fatalf("after Shutdown, a stream ended with %q", end)
	}
}

// TestProviderFilters lists and creates only the providers of the
// session's type, country and provider.
func TestProviderFilters(t *testing.T) {
	e := newEnv(t)
	_, c := e.readyUser(t, "ada@example.com")
	ids := func(sid string) []any {
		var out []any
		for _, p := range e.mustCall(t, sid, "providers", map[string]any{}, 200)["providers"].([]any) {
			out = append(out, p.(map[string]any)["provider_id"])
		}
		return out
	}
	creds := map[string]string{"login": "user1234", "password": "123456"}
	for _, tc := range []struct {
		body map[string]any
		want string
	}{
		{map[string]any{"action": "create", "type": "document"}, "[997 996]"},
		{map[string]any{"action": "create bank", "country": "fr"}, "[999 997 998]"},
		{map[string]any{"action": "create", "country": "DE"}, "[]"},
		{map[string]any{"action": "create", "provider": 998}, "[998]"},
	} {
		sid, _ := e.session(t, c, tc.body)
		if got := fmt.Sprint(ids(sid)); got != tc.want {
			t.Errorf("%v lists %s; want %s", tc.body, got, tc.want)
		}
		if !strings.Contains(tc.want, "999") {
			e.mustCall(t, sid, "form", map[string]any{"provider_id": 999}, 400)
			e.mustCall(t, sid, "connections/create", map[string]any{"provider_id": 999, "values": creds}, 400)
		}
	}
}
