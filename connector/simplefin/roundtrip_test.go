// SPDX-License-Identifier: Apache-2.0

package simplefin_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
	"github.com/iswigo/iswigo/connector/sandbox"
	"github.com/iswigo/iswigo/connector/simplefin"
	"github.com/iswigo/iswigo/internal/servertest"
	"github.com/iswigo/iswigo/mail"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// serverUser starts an iswigo over db with connectors and returns a client
// acting as a new user of a new PSD2 application.
func serverUser(t *testing.T, db *sqldb.DB, connectors []iswigo.Connector) *api.Client {
	t.Helper()
	ctx := context.Background()
	mailer, err := mail.Open("", "", t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	stack := servertest.Start(t, db, servertest.Options{Mailer: mailer, Connectors: connectors})
	app := &iswigo.App{Name: "budget", Secret: "secret-of-budget-0123456789abcdef", PSD2: true, LastTermsOfService: iswigo.NewDate(2019, 10, 1)}
	if err := db.CreateApp(ctx, app); err != nil {
		t.Fatal(err)
	}
	c := api.NewClient(stack.HTTP.URL, app.Name, app.Secret)
	if _, err := c.CreateUser(ctx, "me@example.com", "Str0ng!Passw0rd"); err != nil {
		t.Fatal(err)
	}
	tok, err := c.Authenticate(ctx, "me@example.com", "Str0ng!Passw0rd")
	if err != nil {
		t.Fatal(err)
	}
	return c.WithToken(tok.AccessToken)
}

// connect creates a connection and waits until its sync ends.
func connect(t *testing.T, c *api.Client, provider int, values map[string]string) api.Status {
	t.Helper()
	ctx := context.Background()
	conn, err := c.CreateConnection(ctx, provider, values)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		st, err := c.ConnectionStatus(ctx, conn.ConnectionID)
		if err != nil {
			t.Fatal(err)
		}
		if st.Status == iswigo.StatusFinished || st.Status == iswigo.StatusError {
			return st
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("sync did not end in 30s")
	return api.Status{}
}

// bankData returns, by account name, the balance and each transaction
// (date, amount, wording) of the user's accounts, dated since since.
func bankData(t *testing.T, c *api.Client, since iswigo.Date) map[string][]string {
	t.Helper()
	ctx := context.Background()
	accounts, err := c.Accounts(ctx, iswigo.Range{From: 0, To: 99})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, a := range accounts {
		lines := []string{}
		for from := 0; ; from += 100 {
			txs, err := c.Transactions(ctx, a.AccountID, iswigo.Range{From: from, To: from + 99}, since.String(), "")
			if err != nil {
				t.Fatal(err)
			}
			for _, tx := range txs {
				lines = append(lines, fmt.Sprintf("%s %d %s", tx.OperationDate, tx.Amount.Cents(), tx.Wording))
			}
			if len(txs) < 100 {
				break
			}
		}
		sort.Strings(lines)
		balance := "null"
		if a.Balance != nil {
			balance = fmt.Sprint(a.Balance.Cents())
		}
		out[a.Name] = append([]string{a.Currency + " " + balance}, lines...)
	}
	return out
}

// TestRoundTrip: the Account Set served by one iswigo (the sandbox bank's
// accounts) is read by another iswigo's SimpleFIN connector, through both
// real HTTP servers, exactly.
func TestRoundTrip(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, dbA *sqldb.DB) {
		ctx := context.Background()
		source := serverUser(t, dbA, sandbox.New(sandbox.Options{}))
		if st := connect(t, source, 999, map[string]string{"login": "123456789", "password": "123456"}); st.Status != iswigo.StatusFinished {
			t.Fatalf("sandbox sync: %+v", st)
		}
		setup, err := source.CreateSimpleFINToken(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}

		reader := serverUser(t, sqldbtest.Open(t, dbA.Dialect()), []iswigo.Connector{simplefin.New(simplefin.Options{AllowPrivate: true})})
		if st := connect(t, reader, simplefin.ProviderID, map[string]string{"password": setup.SetupToken}); st.Status != iswigo.StatusFinished {
			t.Fatalf("simplefin sync: %+v", st)
		}

		// The first sync reads 90 days back: compare the days inside it.
		since := iswigo.DateOf(time.Now()).AddDays(-89)
		want, got := bankData(t, source, since), bankData(t, reader, since)
		if len(want) == 0 || len(got) != len(want) {
			t.Fatalf("%d accounts read; want %d", len(got), len(want))
		}
		n := 0
		for name, lines := range want {
			g := got[name]
			if fmt.Sprint(g) != fmt.Sprint(lines) {
				t.Errorf("account %q:\nread  %v\nwant  %v", name, g, lines)
			}
			n += len(lines) - 1
		}
		if n < 20 {
			t.Fatalf("only %d transactions compared", n)
		}
		// The source knows the token was read.
		tokens, err := source.SimpleFINTokens(ctx)
		if err != nil || len(tokens) != 1 || tokens[0].Status != "active" || tokens[0].LastAccessAt.Time().IsZero() {
			t.Fatalf("tokens = %+v, %v", tokens, err)
		}
	})
}
