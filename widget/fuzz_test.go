// SPDX-License-Identifier: Apache-2.0

package widget_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"unicode/utf8"

	"github.com/iswigo/iswigo/api"
	"github.com/iswigo/iswigo/widget"
)

// funnelPaths are the flow's endpoints that read a body (the progress
// stream is long-lived and reads none).
var funnelPaths = []string{"terms", "email", "email/code", "providers", "form", "connections", "connections/create",
	"connections/update", "connections/sync", "connections/status", "connections/step-form", "connections/step", "connections/result"}

// FuzzFunnelBodies posts arbitrary bodies to every endpoint of the funnel
// with a live session: never a 5xx, errors in the envelope with their own
// status, and invalid UTF-8 in a JSON string a 400.
func FuzzFunnelBodies(f *testing.F) {
	seeds := []string{`{}`, `{"accept":true}`, `{"email":"a@example.com"}`, `{"code":"123456"}`, `{"type":"bank"}`,
		`{"provider_id":999}`, `{"provider_id":999,"values":{"login":"fuzz-hector","password":"123456"}}`,
		`{"connection_id":"01a23121-8599-705c-9c78-c105a623db79"}`, `{"values":{"sms":"1234"}}`, `[]`, `null`, `{"a":1} 2`,
		"{\"values\":{\"login\":\"\xff\"}}", ``}
	for i := range funnelPaths {
		for _, s := range seeds {
			f.Add(uint8(i), []byte(s))
		}
	}
	e := newEnv(f)
	_, c := e.readyUser(f, "fuzz@example.com")
	session, _ := e.session(f, c, map[string]any{"action": "create", "type": "bank"})
	f.Fuzz(func(t *testing.T, path uint8, body []byte) {
		p := funnelPaths[int(path)%len(funnelPaths)]
		req, err := http.NewRequest("POST", e.http.URL+"/widget/api/"+p, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(widget.SessionHeader, session)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 500 {
			t.Fatalf("%s %q: %d %s", p, body, resp.StatusCode, data)
		}
		if resp.StatusCode >= 400 {
			var env api.ErrorBody
			if err := json.Unmarshal(data, &env); err != nil || env.Error.Code != resp.StatusCode || env.Error.Description == "" {
				t.Fatalf("%s %q: %d with body %q, not the error envelope", p, body, resp.StatusCode, data)
			}
		}
		if json.Valid(body) && !utf8.Valid(body) && resp.StatusCode != 400 {
			t.Fatalf("%s %q: invalid UTF-8 answered %d %s", p, body, resp.StatusCode, data)
		}
	})
}
