// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
)

// waitStatus polls a connection's status until cond holds, failing after
// a timeout. Only for waiting on background syncs.
func waitStatus(t *testing.T, c *api.Client, id string, cond func(api.Status) bool) api.Status {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var st api.Status
	for time.Now().Before(deadline) {
		var err error
		if st, err = c.ConnectionStatus(context.Background(), id); err != nil {
			t.Fatal(err)
		}
		if cond(st) {
			return st
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("connection %s: status %+v after 30s", id, st)
	return st
}

func isStatus(status string) func(api.Status) bool {
	return func(s api.Status) bool { return s.Status == status }
}

func done(s api.Status) bool {
	return s.Status == iswigo.StatusFinished || s.Status == iswigo.StatusError
}

func errnoOf(s api.Status) int {
	if s.Errno == nil {
		return 0
	}
	return int(*s.Errno)
}

func TestProviders(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		all, err := e.psd2.Providers(ctx, "", iswigo.DefaultRange)
		if err != nil || len(all) < 2 {
			t.Fatalf("providers: %v %v", all, err)
		}
		docs, err := e.psd2.Providers(ctx, "document", iswigo.DefaultRange)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range docs {
			if !slices.Contains(p.Type, "document") {
				t.Fatalf("filters[type]=document returned %+v", p)
			}
		}
		p, err := e.psd2.Provider(ctx, 999)
		if err != nil {
			t.Fatal(err)
		}
		sms := p.Inputs["sms"]
		if p.Name != "Sandbox Bank" || len(p.Inputs["default"].Inputs) != 2 || len(sms.Inputs) != 1 || sms.Inputs[0].Mask != "numbers" ||
			!p.Properties.DeferredCreditCard || !p.Properties.IBAN || p.Status != "available" {
			t.Fatalf("provider 999: %+v", p)
		}
		for _, bad := range []string{"123456", "abc", "0"} {
			status, _, body := e.raw(t, "GET", "/v1/providers/"+bad, signed(e.psd2App, "GET", "/v1/providers/"+bad, nil), nil)
			wantEnvelope(t, status, body, 404, "Provider not found")
		}
		// Providers need a signature, not a user.
		status, _, _ := e.raw(t, "GET", "/v1/providers", nil, nil)
		if status != 401 {
			t.Fatalf("unsigned providers: %d", status)
		}
	})
}

func TestConnectionSync(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		user, c := e.user(t, e.psd2, "hector@example.com")
		conn, err := c.CreateConnection(ctx, 999, map[string]string{"login": "123456789", "password": "123456"})
		if err != nil {
			t.Fatal(err)
		}
		if conn.Login != "123###789" || conn.ProviderID != 999 || !conn.AutomaticSynchronization || conn.NbErrors != 0 ||
			!conn.LastSynchronizedTime.Time().IsZero() {
			t.Fatalf("created %+v", conn)
		}
		st := waitStatus(t, c, conn.ConnectionID, done)
		if st.Status != iswigo.StatusFinished || st.LastSynchronizedTime.Time().IsZero() {
			t.Fatalf("status %+v", st)
		}
		accounts, err := c.Accounts(ctx, iswigo.DefaultRange)
		if err != nil || len(accounts) != 4 {
			t.Fatalf("accounts: %d, %v", len(accounts), err)
		}
		byType := map[string]api.Account{}
		for _, a := range accounts {
			byType[a.Type] = a
		}
		checking, card := byType["account"], byType["deferred credit card"]
		if card.ParentAccountID == nil || *card.ParentAccountID != checking.AccountID || checking.Balance == nil ||
			byType["loan"].Balance == nil || byType["loan"].Balance.Cents() >= 0 || checking.Currency != "EUR" {
			t.Fatalf("accounts %+v", byType)
		}
		// Every transaction of the checking account, newest first.
		var txs []api.Transaction
		for from := 0; ; from += 100 {
			page, err := c.Transactions(ctx, checking.AccountID, iswigo.Range{From: from, To: from + 99}, "", "")
			if err != nil {
				t.Fatal(err)
			}
			txs = append(txs, page...)
			if len(page) < 100 {
				break
			}
		}
		if len(txs) < 300 {
			t.Fatalf("%d transactions", len(txs))
		}
		for i := 1; i < len(txs); i++ {
			if txs[i].OperationDate.Before(txs[i-1].OperationDate) == false && txs[i].OperationDate != txs[i-1].OperationDate {
				t.Fatalf("not newest first at %d: %s then %s", i, txs[i-1].OperationDate, txs[i].OperationDate)
			}
		}
		one, err := c.Transaction(ctx, checking.AccountID, txs[7].TransactionID)
		if err != nil || one.Wording != txs[7].Wording || one.Amount.Cents() != txs[7].Amount.Cents() {
			t.Fatalf("transaction %+v, %v", one, err)
		}
		// Date filters.
		mid := txs[len(txs)/2].OperationDate.String()
		newer, err := c.Transactions(ctx, checking.AccountID, iswigo.Range{From: 0, To: 99}, mid, "")
		if err != nil || len(newer) == 0 || newer[len(newer)-1].OperationDate.String() < mid {
			t.Fatalf("min_date: %v", err)
		}
		older, _ := c.Transactions(ctx, checking.AccountID, iswigo.Range{From: 0, To: 9}, "", mid)
		if len(older) == 0 || older[0].OperationDate.String() > mid {
			t.Fatal("max_date not applied")
		}
		target := "/v1/bank/accounts/" + checking.AccountID + "/transactions?filters%5Bmin_date%5D=2020-13-01"
		resp, body, _ := c.Do(ctx, "GET", target, nil)
		wantEnvelope(t, resp.StatusCode, body, 400, "min_date")

		// A resync adds nothing and changes no id.
		if _, err := c.SyncConnection(ctx, conn.ConnectionID); err != nil {
			t.Fatal(err)
		}
		// RequestSync set "pending" before answering: done means this sync ended.
		if st := waitStatus(t, c, conn.ConnectionID, done); st.Status != iswigo.StatusFinished {
			t.Fatalf("resync: %+v", st)
		}
		var again []api.Transaction
		for from := 0; ; from += 100 {
			page, _ := c.Transactions(ctx, checking.AccountID, iswigo.Range{From: from, To: from + 99}, "", "")
			again = append(again, page...)
			if len(page) < 100 {
				break
			}
		}
		ids := func(ts []api.Transaction) []string {
			var out []string
			for _, t := range ts {
				out = append(out, t.TransactionID)
			}
			slices.Sort(out)
			return out
		}
		if !slices.Equal(ids(txs), ids(again)) {
			t.Fatalf("resync changed the transactions: %d then %d", len(txs), len(again))
		}

		// Events: created, statuses in order, transactions added.
		events, err := e.psd2.Events(ctx, iswigo.Range{From: 0, To: 99})
		if err != nil {
			t.Fatal(err)
		}
		var types []string
		var statuses []string
		added := 0
		for i := len(events) - 1; i >= 0; i-- {
			ev := events[i]
			types = append(types, ev.Type)
			var data map[string]any
			json.Unmarshal(ev.Data, &data)
			if ev.Type == "connection.status" && data["connection_id"] == conn.ConnectionID {
				statuses = append(statuses, data["status"].(string))
				if data["user_id"] != user.UserID {
					t.Fatalf("event user %v", data["user_id"])
				}
			}
			if ev.Type == "transactions.added" {
				added++
			}
		}
		if !slices.Contains(types, "user.created") || !slices.Contains(types, "connection.created") || added == 0 {
			t.Fatalf("event types %v", types)
		}
		if statuses[0] != "pending" || statuses[1] != "in progress" || !slices.Contains(statuses, "finished") {
			t.Fatalf("statuses %v", statuses)
		}
		got, err := e.psd2.Event(ctx, events[0].EventID)
		if err != nil || got.EventID != events[0].EventID {
			t.Fatalf("event: %v", err)
		}
		_, err = e.plain.Event(ctx, events[0].EventID)
		wantError(t, err, iswigo.ENOTFOUND, "")

		// Delete: its accounts and transactions go with it.
		if err := c.DeleteConnection(ctx, conn.ConnectionID); err != nil {
			t.Fatal(err)
		}
		if accounts, _ := c.Accounts(ctx, iswigo.DefaultRange); len(accounts) != 0 {
			t.Fatalf("%d accounts after delete", len(accounts))
		}
		_, err = c.Transaction(ctx, checking.AccountID, txs[0].TransactionID)
		wantError(t, err, iswigo.ENOTFOUND, "")
		_, err = c.Connection(ctx, conn.ConnectionID)
		wantError(t, err, iswigo.ENOTFOUND, "")
		wantError(t, c.DeleteConnection(ctx, conn.ConnectionID), iswigo.ENOTFOUND, "")
	})
}

func TestConnectionErrors(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		_, c := e.user(t, e.psd2, "a@example.com")
		for login, errno := range map[string]int{"down-bank": 4, "action-needed": 3, "locked-out": 8} {
			conn, err := c.CreateConnection(ctx, 999, map[string]string{"login": login, "password": "123456"})
			if err != nil {
				t.Fatal(err)
			}
			st := waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusError))
			if errnoOf(st) != errno {
				t.Fatalf("%s: errno %d; want %d", login, errnoOf(st), errno)
			}
			got, _ := c.Connection(ctx, conn.ConnectionID)
			if got.NbErrors != 1 || got.LastErrorTime.Time().IsZero() {
				t.Fatalf("%s: %+v", login, got)
			}
		}
		// Wrong password: errno 2; editing the credentials clears it.
		conn, _ := c.CreateConnection(ctx, 999, map[string]string{"login": "hector-wrong", "password": "654321"})
		st := waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusError))
		if errnoOf(st) != 2 {
			t.Fatalf("errno %d", errnoOf(st))
		}
		edited, err := c.UpdateConnection(ctx, conn.ConnectionID, map[string]any{"password": "123456", "automatic_synchronization": false})
		if err != nil || edited.AutomaticSynchronization || edited.NbErrors != 0 {
			t.Fatalf("edit: %+v %v", edited, err)
		}
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusFinished))
		// Errors of the status route: errno only in error.
		resp, body, _ := c.Do(ctx, "GET", "/v1/connections/"+conn.ConnectionID+"/status", nil)
		if resp.StatusCode != 200 || strings.Contains(string(body), "errno") {
			t.Fatalf("finished status: %s", body)
		}
		// The down bank was retried (attempts) before it was reported.
		var retries int
		events, _ := e.psd2.Events(ctx, iswigo.Range{From: 0, To: 99})
		_ = events
		retries = strings.Count(e.logs.String(), `"sync failed, will retry"`)
		if retries < 2 {
			t.Fatalf("errno 4 was retried %d times; want 2", retries)
		}
	})
}

func TestConnectionValidation(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		_, c := e.user(t, e.psd2, "a@example.com")
		for _, tc := range []struct {
			body map[string]any
			msg  string
		}{
			{map[string]any{"login": "123456789", "password": "123456"}, "Invalid provider"},
			{map[string]any{"provider": 4242, "login": "123456789", "password": "123456"}, "Invalid provider"},
			{map[string]any{"provider": "999", "login": "123456789", "password": "123456"}, "Invalid provider"},
			{map[string]any{"provider": 999, "login": "123456789"}, "Invalid password"},
			{map[string]any{"provider": 999, "login": "12345", "password": "123456"}, "Invalid login"},
			{map[string]any{"provider": 999, "login": strings.Repeat("x", 33), "password": "123456"}, "Invalid login"},
			{map[string]any{"provider": 999, "login": 12345678, "password": "123456"}, "Invalid login"},
			{map[string]any{"provider": 998, "login": "1234567890a", "parameter3": "memorable", "password": "123456"}, "Invalid login"},
			{map[string]any{"provider": 998, "login": "12345678901", "password": "123456"}, "Invalid parameter3"},
			{map[string]any{"provider": 999, "login": "123456789", "password": "123456", "automatic_synchronization": "yes"}, "automatic_synchronization"},
		} {
			resp, body, _ := c.Do(ctx, "POST", "/v1/connections", tc.body)
			wantEnvelope(t, resp.StatusCode, body, 400, tc.msg)
		}
		// Non-PSD2 applications go through the funnel.
		_, pc := e.user(t, e.plain, "b@example.com")
		_, err := pc.CreateConnection(ctx, 999, map[string]string{"login": "123456789", "password": "123456"})
		wantError(t, err, iswigo.EFORBIDDEN, "PSD2")
		_, err = pc.UpdateConnection(ctx, iswigo.NewID(), map[string]any{"password": "123456"})
		wantError(t, err, iswigo.EFORBIDDEN, "PSD2")
		_, err = pc.AnswerStep(ctx, iswigo.NewID(), map[string]string{"sms": "1234"})
		wantError(t, err, iswigo.EFORBIDDEN, "PSD2")
	})
}

func TestSMSStep(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		_, c := e.user(t, e.psd2, "a@example.com")
		conn, err := c.CreateConnection(ctx, 999, map[string]string{"login": "sms-hector", "password": "123456"})
		if err != nil {
			t.Fatal(err)
		}
		st := waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusWaitingUser))
		if st.Step == nil || *st.Step != "sms" || st.Progression != nil {
			t.Fatalf("waiting: %+v", st)
		}
		_, err = c.AnswerStep(ctx, conn.ConnectionID, map[string]string{"sms": "12a4"})
		wantError(t, err, iswigo.EINVALID, "Invalid sms")
		_, err = c.AnswerStep(ctx, conn.ConnectionID, map[string]string{"code": "1234"})
		wantError(t, err, iswigo.EINVALID, "Invalid sms")
		st, err = c.AnswerStep(ctx, conn.ConnectionID, map[string]string{"sms": "1234"})
		if err != nil || st.Status != iswigo.StatusPending || st.Step != nil {
			t.Fatalf("answer: %+v %v", st, err)
		}
		_, err = c.AnswerStep(ctx, conn.ConnectionID, map[string]string{"sms": "1234"})
		wantError(t, err, iswigo.EINVALID, iswigo.MsgStepNotAvailable)
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusFinished))
		_, err = c.AnswerStep(ctx, conn.ConnectionID, map[string]string{"sms": "1234"})
		wantError(t, err, iswigo.EINVALID, iswigo.MsgStepNotAvailable)

		// A wrong answer: errno 6.
		if _, err := c.SyncConnection(ctx, conn.ConnectionID); err != nil {
			t.Fatal(err)
		}
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusWaitingUser))
		c.AnswerStep(ctx, conn.ConnectionID, map[string]string{"sms": "9999"})
		if st := waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusError)); errnoOf(st) != 6 {
			t.Fatalf("wrong answer: errno %d", errnoOf(st))
		}
		// Asking again while one runs returns its status.
		st1, _ := c.SyncConnection(ctx, conn.ConnectionID)
		st2, _ := c.SyncConnection(ctx, conn.ConnectionID)
		if st1.Status != iswigo.StatusPending || st2.Status == iswigo.StatusFinished || st2.Status == iswigo.StatusError {
			t.Fatalf("double sync: %+v then %+v", st1, st2)
		}
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusWaitingUser))
		// No answer in time: errno 5.
		e.db.StepTimeout = 300 * time.Millisecond
		defer func() { e.db.StepTimeout = 0 }()
		c.AnswerStep(ctx, conn.ConnectionID, map[string]string{"sms": "1234"}) // let this one finish…
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusFinished))
		c.SyncConnection(ctx, conn.ConnectionID) // …and leave this one unanswered
		if st := waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusError)); errnoOf(st) != 5 {
			t.Fatalf("timeout: errno %d", errnoOf(st))
		}
		// A background sync cannot ask: errno 10 at once, no step.
		if ok, err := e.db.QueueBackgroundSync(ctx, conn.ConnectionID, time.Now().Add(48*time.Hour)); err != nil || !ok {
			t.Fatalf("background sync not queued: %v", err)
		}
		st = waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusError))
		if errnoOf(st) != 10 {
			t.Fatalf("background: errno %d", errnoOf(st))
		}
	})
}

func TestConnectionIsolation(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		_, owner := e.user(t, e.psd2, "owner@example.com")
		_, other := e.user(t, e.psd2, "other@example.com")
		_, foreign := e.user(t, e.plain, "owner@example.com")
		conn, _ := owner.CreateConnection(ctx, 999, map[string]string{"login": "isolated", "password": "123456"})
		waitStatus(t, owner, conn.ConnectionID, isStatus(iswigo.StatusFinished))
		accounts, _ := owner.Accounts(ctx, iswigo.DefaultRange)
		txs, _ := owner.Transactions(ctx, accounts[0].AccountID, iswigo.Range{From: 0, To: 0}, "", "")
		if len(txs) == 0 {
			t.Fatal("no transaction")
		}
		for _, c := range []*api.Client{other, foreign} {
			id := conn.ConnectionID
			for _, target := range []string{"/v1/connections/" + id, "/v1/connections/" + id + "/status",
				"/v1/bank/accounts/" + accounts[0].AccountID, "/v1/bank/accounts/" + accounts[0].AccountID + "/transactions",
				"/v1/bank/accounts/" + accounts[0].AccountID + "/transactions/" + txs[0].TransactionID} {
				resp, body, _ := c.Do(ctx, "GET", target, nil)
				wantEnvelope(t, resp.StatusCode, body, 404, "not found")
			}
			for _, m := range [][2]string{{"POST", "/v1/connections/" + id + "/sync"}, {"DELETE", "/v1/connections/" + id}} {
				resp, body, _ := c.Do(ctx, m[0], m[1], nil)
				wantEnvelope(t, resp.StatusCode, body, 404, "not found")
			}
			if list, _ := c.Connections(ctx, "", iswigo.DefaultRange); len(list) != 0 {
				t.Fatal("another user's connection listed")
			}
			if list, _ := c.Accounts(ctx, iswigo.DefaultRange); len(list) != 0 {
				t.Fatal("another user's account listed")
			}
		}
		_, err := other.UpdateConnection(ctx, conn.ConnectionID, map[string]any{"password": "123456"})
		wantError(t, err, iswigo.ENOTFOUND, "")
		_, err = other.AnswerStep(ctx, conn.ConnectionID, map[string]string{"sms": "1234"})
		wantError(t, err, iswigo.ENOTFOUND, "")
		if events, _ := e.plain.Events(ctx, iswigo.Range{From: 0, To: 99}); slices.ContainsFunc(events, func(ev api.Event) bool {
			return strings.Contains(string(ev.Data), conn.ConnectionID)
		}) {
			t.Fatal("another application sees the connection's events")
		}
		if _, err := owner.Connection(ctx, conn.ConnectionID); err != nil {
			t.Fatal(err)
		}
		// filters[type]=document: 999 is a bank only.
		if list, _ := owner.Connections(ctx, "document", iswigo.DefaultRange); len(list) != 0 {
			t.Fatalf("document filter: %d", len(list))
		}
		statuses, err := owner.SyncAll(ctx)
		if err != nil || len(statuses) != 1 || statuses[0].ConnectionID != conn.ConnectionID {
			t.Fatalf("sync all: %+v %v", statuses, err)
		}
	})
}

// TestCredentialsNotInClear: credentials appear neither in the database
// file nor in the logs.
func TestCredentialsNotInClear(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		_, c := e.user(t, e.psd2, "a@example.com")
		login, password := "needle-login-7731", "NeedlePass99"
		conn, err := c.CreateConnection(ctx, 999, map[string]string{"login": login, "password": password})
		if err != nil {
			t.Fatal(err)
		}
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusError))
		if strings.Contains(e.logs.String(), login) || strings.Contains(e.logs.String(), password) {
			t.Fatal("credentials in the logs")
		}
		if e.db.Dialect() != "sqlite" {
			return
		}
		dir := filepath.Dir(e.db.SQLitePath())
		entries, _ := os.ReadDir(dir)
		for _, en := range entries {
			b, _ := os.ReadFile(filepath.Join(dir, en.Name()))
			if strings.Contains(string(b), login) || strings.Contains(string(b), password) {
				t.Fatalf("credentials in clear in %s", en.Name())
			}
		}
	})
}

// TestSecureKeyBank runs the 998 flow: three credentials (one as
// parameter3), and a securekey step on every interactive sync.
func TestSecureKeyBank(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		_, c := e.user(t, e.psd2, "a@example.com")
		conn, err := c.CreateConnection(ctx, 998, map[string]string{"login": "12345678901", "parameter3": "memorable", "password": "123456"})
		if err != nil {
			t.Fatal(err)
		}
		if conn.Login != "123#####901" {
			t.Fatalf("masked login %q", conn.Login)
		}
		st := waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusWaitingUser))
		if *st.Step != "securekey" {
			t.Fatalf("step %q", *st.Step)
		}
		_, err = c.AnswerStep(ctx, conn.ConnectionID, map[string]string{"securekey": "12345"})
		wantError(t, err, iswigo.EINVALID, "Invalid securekey")
		if _, err := c.AnswerStep(ctx, conn.ConnectionID, map[string]string{"securekey": "123456"}); err != nil {
			t.Fatal(err)
		}
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusFinished))
		if accounts, _ := c.Accounts(ctx, iswigo.DefaultRange); len(accounts) != 4 {
			t.Fatalf("%d accounts", len(accounts))
		}
		// Asked again at the next interactive sync; a wrong key is errno 6.
		c.SyncConnection(ctx, conn.ConnectionID)
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusWaitingUser))
		c.AnswerStep(ctx, conn.ConnectionID, map[string]string{"securekey": "654321"})
		if st := waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusError)); errnoOf(st) != 6 {
			t.Fatalf("wrong key: errno %d", errnoOf(st))
		}
		// A wrong password: errno 2, before any step.
		bad, _ := c.CreateConnection(ctx, 998, map[string]string{"login": "10987654321", "parameter3": "memorable", "password": "000000"})
		if st := waitStatus(t, c, bad.ConnectionID, isStatus(iswigo.StatusError)); errnoOf(st) != 2 {
			t.Fatalf("wrong password: errno %d", errnoOf(st))
		}
	})
}

// TestUpdateConnectionEmptyValueKeeps: on PUT /v1/connections/{id} a value
// left out, null or empty keeps the stored credential (docs/connectors.md),
// the merged credentials are validated whole, and a body with values (even
// all empty) queues a sync; one without only changes the flags.
func TestUpdateConnectionEmptyValueKeeps(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		u, c := e.user(t, e.psd2, "keep@example.com")
		conn, err := c.CreateConnection(ctx, 999, map[string]string{"login": "hector", "password": "654321"})
		if err != nil {
			t.Fatal(err)
		}
		if st := waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusError)); errnoOf(st) != 2 {
			t.Fatalf("wrong password: errno %d", errnoOf(st))
		}
		creds := func() map[string]string {
			t.Helper()
			got, err := e.db.FindConnectionCredentials(ctx, e.psd2App.ID, u.UserID, conn.ConnectionID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		// Flags only: no sync, the error stays.
		edited, err := c.UpdateConnection(ctx, conn.ConnectionID, map[string]any{"automatic_synchronization": false})
		if err != nil || edited.AutomaticSynchronization || edited.NbErrors != 1 {
			t.Fatalf("flags edit: %+v %v", edited, err)
		}
		// Every value empty (the form sent back untouched): all kept, and
		// the credentials count as edited: the error is cleared and a sync
		// queued (it fails again on the same password).
		edited, err = c.UpdateConnection(ctx, conn.ConnectionID, map[string]any{"login": "", "password": ""})
		if err != nil || edited.NbErrors != 0 {
			t.Fatalf("untouched edit: %+v %v", edited, err)
		}
		if got, want := creds(), map[string]string{"login": "hector", "password": "654321"}; !maps.Equal(got, want) {
			t.Fatalf("empty values changed the credentials: %v", got)
		}
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusError))
		// An empty login and a null field keep theirs; the new password applies.
		if _, err := c.UpdateConnection(ctx, conn.ConnectionID, map[string]any{"login": "", "parameter3": nil, "password": "123456"}); err != nil {
			t.Fatal(err)
		}
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusFinished))
		if got, want := creds(), map[string]string{"login": "hector", "password": "123456"}; !maps.Equal(got, want) {
			t.Fatalf("credentials %v; want %v", got, want)
		}
		// A value too short is refused, the stored ones stay.
		_, err = c.UpdateConnection(ctx, conn.ConnectionID, map[string]any{"login": "abc"})
		wantError(t, err, iswigo.EINVALID, "Invalid login: at least 6 characters")
		if got := creds(); got["login"] != "hector" {
			t.Fatalf("a refused edit changed the credentials: %v", got)
		}
	})
}
