// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var (
	uuidRe  = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	tokenRe = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`)
	codeRe  = regexp.MustCompile(`"token":"\d{6}"`)
	baseRe  = regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
)

// normalize replaces what differs between runs: ids (numbered in order of
// first appearance), tokens and validation codes. It indents the JSON.
func normalize(t *testing.T, body []byte) []byte {
	t.Helper()
	ids := map[string]string{}
	body = uuidRe.ReplaceAllFunc(body, func(id []byte) []byte {
		if _, ok := ids[string(id)]; !ok {
			ids[string(id)] = "<id" + strconv.Itoa(len(ids)+1) + ">"
		}
		return []byte(ids[string(id)])
	})
	body = tokenRe.ReplaceAll(body, []byte("<jwt>"))
	body = codeRe.ReplaceAll(body, []byte(`"token":"<code>"`))
	body = baseRe.ReplaceAll(body, []byte("<server>"))
	var out bytes.Buffer
	if err := json.Indent(&out, body, "", "    "); err != nil {
		t.Fatalf("not JSON: %s", body)
	}
	return append(out.Bytes(), '\n')
}

// golden compares a response body with testdata/<name>.json.
func golden(t *testing.T, name string, body []byte) {
	t.Helper()
	got := normalize(t, body)
	path := filepath.Join("testdata", name+".json")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGolden ./api/ -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s:\n%s", name, path, got)
	}
}

// TestGolden pins the bodies of the reference's examples, produced by the
// real server on the reference's own date (the store's clock is frozen at
// 2020-04-24 15:36:48 UTC, so the sandbox data are those of that day).
func TestGolden(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		frozen := time.Date(2020, 4, 24, 15, 36, 48, 0, time.UTC)
		e.db.Now = func() time.Time { return frozen }
		e.server.Now = func() time.Time { return frozen }
		call := func(name string, client *api.Client, method, target string, body any, wantStatus int) []byte {
			t.Helper()
			resp, data, err := client.Do(ctx, method, target, body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != wantStatus {
				t.Fatalf("%s: %d %s", name, resp.StatusCode, data)
			}
			if name != "" {
				golden(t, name, data)
			}
			return data
		}
		creds := map[string]string{"email": "hector.berlioz@iswigo.com", "password": "Str0ng!Passw0rd"}
		created := call("users-create-201", e.psd2, "POST", "/v1/users", creds, 201)
		call("users-create-409", e.psd2, "POST", "/v1/users", creds, 409)
		call("authenticate-400", e.psd2, "POST", "/v1/authenticate", map[string]string{"email": creds["email"], "password": "Bad!Passw0rd"}, 400)
		var tok api.Token
		json.Unmarshal(call("authenticate-200", e.psd2, "POST", "/v1/authenticate", creds, 200), &tok)
		var u api.User
		json.Unmarshal(created, &u)
		user := e.psd2.WithToken(tok.AccessToken)
		call("profile-get", user, "GET", "/v1/profile", nil, 200)
		call("profile-validation-empty", user, "GET", "/v1/profile/validation", nil, 200)
		call("profile-put", user, "PUT", "/v1/profile", map[string]string{"email": "hector@berlioz.com", "terms_of_service": "2020-01-01"}, 200)
		call("profile-validation-pending", user, "GET", "/v1/profile/validation", nil, 200)
		var v api.Validation
		json.Unmarshal(call("", user, "GET", "/v1/profile/validation", nil, 200), &v)
		call("profile-validation-post", user, "POST", "/v1/profile/validation", map[string]string{"token": v.Token}, 200)
		call("profile-validation-validated", user, "GET", "/v1/profile/validation", nil, 200)
		call("users-list", e.psd2, "GET", "/v1/users", nil, 200)
		call("users-get", e.psd2, "GET", "/v1/users/"+u.UserID, nil, 200)
		call("users-email-400", e.psd2, "PUT", "/v1/users/"+u.UserID+"/email", map[string]string{"email": "berlioz@iswigo.com", "password": "Bad!Passw0rd"}, 400)
		call("users-email-200", e.psd2, "PUT", "/v1/users/"+u.UserID+"/email", map[string]string{"email": "berlioz@iswigo.com", "password": "Str0ng!Passw0rd"}, 200)

		call("providers-get-999", e.psd2, "GET", "/v1/providers/999", nil, 200)
		call("providers-list-document", e.psd2, "GET", "/v1/providers?range=0-19&filters[type]=document", nil, 200)
		var conn api.Connection
		json.Unmarshal(call("connections-create-201", user, "POST", "/v1/connections",
			map[string]any{"provider": 999, "login": "123456789", "password": "123456", "parameter3": nil, "parameter4": nil}, 201), &conn)
		call("connections-step-400", user, "POST", "/v1/connections/"+conn.ConnectionID+"/step", map[string]string{"sms": "1234"}, 400)
		waitStatus(t, user, conn.ConnectionID, isStatus(iswigo.StatusFinished))
		call("connections-status-finished", user, "GET", "/v1/connections/"+conn.ConnectionID+"/status", nil, 200)
		call("connections-get", user, "GET", "/v1/connections/"+conn.ConnectionID, nil, 200)
		accounts := call("bank-accounts", user, "GET", "/v1/bank/accounts", nil, 200)
		var list []api.Account
		json.Unmarshal(accounts, &list)
		var checking string
		for _, a := range list {
			if a.Type == "account" {
				checking = a.AccountID
			}
		}
		txs := call("bank-transactions", user, "GET", "/v1/bank/accounts/"+checking+"/transactions?range=0-5", nil, 200)
		var tlist []api.Transaction
		json.Unmarshal(txs, &tlist)
		call("bank-transaction", user, "GET", "/v1/bank/accounts/"+checking+"/transactions/"+tlist[0].TransactionID, nil, 200)

		sms, _ := user.CreateConnection(ctx, 999, map[string]string{"login": "sms-hector", "password": "123456"})
		waitStatus(t, user, sms.ConnectionID, isStatus(iswigo.StatusWaitingUser))
		call("connections-status-waiting", user, "GET", "/v1/connections/"+sms.ConnectionID+"/status", nil, 200)
		call("connections-step-200", user, "POST", "/v1/connections/"+sms.ConnectionID+"/step", map[string]string{"sms": "1234"}, 200)
		waitStatus(t, user, sms.ConnectionID, isStatus(iswigo.StatusFinished))
		wrong, _ := user.CreateConnection(ctx, 999, map[string]string{"login": "987654321", "password": "654321"})
		waitStatus(t, user, wrong.ConnectionID, isStatus(iswigo.StatusError))
		call("connections-status-error", user, "GET", "/v1/connections/"+wrong.ConnectionID+"/status", nil, 200)

		energy, _ := user.CreateConnection(ctx, 996, map[string]string{"login": "hector@berlioz.com", "password": "123456"})
		waitStatus(t, user, energy.ConnectionID, isStatus(iswigo.StatusFinished))
		call("connections-list-document", user, "GET", "/v1/connections?filters[type]=document", nil, 200)
		call("documents-list", user, "GET", "/v1/documents?range=0-1", nil, 200)
		call("funnel-create-201", user, "POST", "/v1/funnel", map[string]any{"action": "create bank", "connections": []string{}}, 201)
		call("events-list", e.psd2, "GET", "/v1/events?range=0-1", nil, 200)
	})
}
