// SPDX-License-Identifier: Apache-2.0

package iswigoclient_test

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/clients/go/iswigoclient"
	"github.com/iswigo/iswigo/internal/openapicheck"
	"github.com/iswigo/iswigo/internal/servertest"
	"github.com/iswigo/iswigo/mail"
	"github.com/iswigo/iswigo/mail/mailtest"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// TestWalkthrough runs the README's walk-through with the client generated
// from api/openapi.yaml against the whole server on 127.0.0.1:0, on every
// test database; every response is also checked against the document.
func TestWalkthrough(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		smtp := mailtest.NewServer(t)
		mailer, err := mail.Open(smtp.URL(), "iswigo@example.com", "", slog.Default())
		if err != nil {
			t.Fatal(err)
		}
		stack := servertest.Start(t, db, servertest.Options{Mailer: mailer})
		app := &iswigo.App{Name: "demo", Secret: "secret-of-the-demo-app-0123456789", PSD2: true,
			LastTermsOfService: iswigo.NewDate(2020, 1, 1)}
		if err := db.CreateApp(context.Background(), app); err != nil {
			t.Fatal(err)
		}
		walkthrough(t, stack.HTTP.URL, app.Name, app.Secret)
	})
}

func walkthrough(t *testing.T, url, appName, secret string) {
	ctx := context.Background()
	doc, err := os.ReadFile("../../../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	checked, err := openapicheck.Load(doc)
	if err != nil {
		t.Fatal(err)
	}
	var token string
	c, err := iswigoclient.NewClientWithResponses(url,
		iswigoclient.WithHTTPClient(&http.Client{Transport: checked.Transport(t, nil)}),
		iswigoclient.WithRequestEditorFn(iswigoclient.SignRequests(appName, secret, func() string { return token })))
	if err != nil {
		t.Fatal(err)
	}
	want := func(step string, got, status int) {
		t.Helper()
		if got != status {
			t.Fatalf("%s: status %d, want %d", step, got, status)
		}
	}

	// create a user (201), or get the existing one (409)
	creds := iswigoclient.NewUser{Email: "hector.berlioz@iswigo.com", Password: "Str0ng!Passw0rd"}
	created, err := c.CreateUserWithResponse(ctx, creds)
	if err != nil {
		t.Fatal(err)
	}
	want("create user", created.StatusCode(), http.StatusCreated)
	again, err := c.CreateUserWithResponse(ctx, creds)
	if err != nil {
		t.Fatal(err)
	}
	want("create the user again", again.StatusCode(), http.StatusConflict)
	if again.JSON409.UserId != created.JSON201.UserId {
		t.Fatalf("409 gives user %s, want %s", again.JSON409.UserId, created.JSON201.UserId)
	}

	// authenticate: a one-hour RS256 access token
	auth, err := c.AuthenticateWithResponse(ctx, iswigoclient.Credentials{Email: string(creds.Email), Password: creds.Password})
	if err != nil {
		t.Fatal(err)
	}
	want("authenticate", auth.StatusCode(), http.StatusOK)
	token = auth.JSON200.AccessToken

	// the profile; accept the terms and give a contact address to validate
	profile, err := c.GetProfileWithResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want("get profile", profile.StatusCode(), http.StatusOK)
	terms := iswigoclient.NullableDate{Time: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	contact := iswigoclient.Email("hector@berlioz.com")
	updated, err := c.UpdateProfileWithResponse(ctx, iswigoclient.ProfileUpdate{TermsOfService: &terms, Email: &contact})
	if err != nil {
		t.Fatal(err)
	}
	want("update profile", updated.StatusCode(), http.StatusOK)
	validation, err := c.GetProfileValidationWithResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want("get validation", validation.StatusCode(), http.StatusOK)

	// providers: the sandbox banks and document providers
	rng := iswigoclient.Range("0-19")
	providers, err := c.ListProvidersWithResponse(ctx, &iswigoclient.ListProvidersParams{Range: &rng})
	if err != nil {
		t.Fatal(err)
	}
	want("list providers", providers.StatusCode(), http.StatusOK)
	if len(*providers.JSON200) == 0 {
		t.Fatal("no providers")
	}
	bankOnly := iswigoclient.ListProvidersParamsFiltersType("bank")
	banks, err := c.ListProvidersWithResponse(ctx, &iswigoclient.ListProvidersParams{FiltersType: &bankOnly})
	if err != nil {
		t.Fatal(err)
	}
	want("list bank providers", banks.StatusCode(), http.StatusOK) // filters[type] escaped and signed as sent

	// connect the Sandbox Bank, wait until it is synchronized
	bank := connect(t, c, 999, "123456789")
	accounts, err := c.ListAccountsWithResponse(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	want("list accounts", accounts.StatusCode(), http.StatusOK)
	if len(*accounts.JSON200) == 0 {
		t.Fatalf("connection %s: no accounts", bank)
	}
	account := (*accounts.JSON200)[0]
	txs, err := c.ListTransactionsWithResponse(ctx, account.AccountId, &iswigoclient.ListTransactionsParams{Range: &rng})
	if err != nil {
		t.Fatal(err)
	}
	want("list transactions", txs.StatusCode(), http.StatusOK)
	if len(*txs.JSON200) == 0 {
		t.Fatalf("account %s: no transactions", account.AccountId)
	}
	// format: double: amounts decode as float64, which print back as the
	// exact decimals the server sent (float32 would not: 11696.68 became
	// 11696.6796875).
	var raw []struct{ Amount json.Number }
	dec := json.NewDecoder(bytes.NewReader(txs.Body))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		t.Fatal(err)
	}
	for i, tx := range *txs.JSON200 {
		if got := strconv.FormatFloat(tx.Amount, 'f', -1, 64); got != raw[i].Amount.String() {
			t.Errorf("transaction %s: amount %s decoded as %s", tx.TransactionId, raw[i].Amount, got)
		}
	}

	// invoices from the Sandbox Energy provider, and their PDF files
	connect(t, c, 996, "hector@berlioz.com")
	invoices := iswigoclient.ListDocumentsParamsFiltersType("invoice")
	docs, err := c.ListDocumentsWithResponse(ctx, &iswigoclient.ListDocumentsParams{FiltersType: &invoices})
	if err != nil {
		t.Fatal(err)
	}
	want("list invoices", docs.StatusCode(), http.StatusOK)
	if len(*docs.JSON200) == 0 {
		t.Fatal("no invoices")
	}
	d := (*docs.JSON200)[0]
	file, err := c.DownloadDocumentWithResponse(ctx, d.DocumentId, nil)
	if err != nil {
		t.Fatal(err)
	}
	want("download", file.StatusCode(), http.StatusOK)
	if sum := sha1.Sum(file.Body); hex.EncodeToString(sum[:]) != d.Hash.Sha1 {
		t.Fatalf("downloaded file's SHA-1 %x, want %s", sum, d.Hash.Sha1)
	}

	// a funnel session for the hosted connection flow
	bankType := iswigoclient.NewFunnelSessionType("bank")
	funnel, err := c.CreateFunnelSessionWithResponse(ctx, iswigoclient.NewFunnelSession{Action: "create", Type: &bankType})
	if err != nil {
		t.Fatal(err)
	}
	want("create funnel session", funnel.StatusCode(), http.StatusCreated)

	// everything that happened, newest first
	events, err := c.ListEventsWithResponse(ctx, &iswigoclient.ListEventsParams{Range: &rng})
	if err != nil {
		t.Fatal(err)
	}
	want("list events", events.StatusCode(), http.StatusOK)
	if len(*events.JSON200) == 0 {
		t.Fatal("no events")
	}
}

// connect creates a connection to provider with the sandbox password and
// polls its status until it is finished.
func connect(t *testing.T, c *iswigoclient.ClientWithResponses, provider int, login string) iswigoclient.ConnectionId {
	t.Helper()
	ctx := context.Background()
	body := iswigoclient.NewConnection{Provider: provider}
	for name, value := range map[string]string{"login": login, "password": "123456"} {
		var v iswigoclient.InputValue
		if err := v.FromInputValue0(value); err != nil {
			t.Fatal(err)
		}
		body.Set(name, v)
	}
	created, err := c.CreateConnectionWithResponse(ctx, body)
	if err != nil {
		t.Fatal(err)
	}
	if created.StatusCode() != http.StatusCreated {
		t.Fatalf("create connection to %d: status %d: %s", provider, created.StatusCode(), created.Body)
	}
	id := created.JSON201.ConnectionId
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := c.GetConnectionStatusWithResponse(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if st.StatusCode() != http.StatusOK {
			t.Fatalf("status of %s: %d: %s", id, st.StatusCode(), st.Body)
		}
		switch st.JSON200.Status {
		case "finished":
			return id
		case "error", "waiting user":
			t.Fatalf("connection to %d: %s", provider, st.Body)
		}
		if time.Now().After(deadline) {
			t.Fatalf("connection to %d not finished after 30 s: %s", provider, st.Body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
