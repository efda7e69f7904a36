// SPDX-License-Identifier: Apache-2.0

package enablebanking_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// TestThroughAPI drives Enable Banking connections as a PSD2 application
// does: create, redirect to the bank and back through iswigo's callback,
// background syncs reusing the session, its expiry and re-authorization,
// a refusal, the decoupled bank, consent announcements, the daily limit.
func TestThroughAPI(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		e := newEnv(t, db)

		// The catalogue: one provider per bank, ids from 10000.
		bank, decoupled, german := e.banks["Banque Exemple"], e.banks["Banka Mobil"], e.banks["Beispielbank"]
		if bank < iswigo.CatalogFirstProviderID || decoupled < iswigo.CatalogFirstProviderID || german < iswigo.CatalogFirstProviderID {
			t.Fatalf("catalogue providers: %v", e.banks)
		}
		p, err := e.user.Provider(ctx, bank)
		if err != nil {
			t.Fatal(err)
		}
		in := p.Inputs["default"].Inputs
		if len(in) != 1 || in[0].Type != "select" || len(in[0].Choices) != 2 || in[0].Choices[1].Value != "business" ||
			p.Logo == nil || *p.Logo != "https://logos.example/banque.png" {
			t.Fatalf("bank provider: %+v", p)
		}
		if p, _ := e.user.Provider(ctx, decoupled); len(p.Inputs["default"].Inputs) != 1 || p.Inputs["default"].Inputs[0].Varname != "userId" ||
			p.Inputs["default"].Inputs[0].Pattern == "" {
			t.Fatalf("decoupled provider: %+v", p)
		}

		// Bad input is refused, nothing stored.
		for _, body := range []map[string]any{
			{"provider": bank, "psu_type": "corporate"},
			{"provider": bank, "psu_type": "personal", "redirect_uri": "https://evil.example/back"},
			{"provider": decoupled, "userId": "abc"},
		} {
			resp, _, err := e.user.Do(ctx, "POST", "/v1/connections", body)
			if err != nil || resp.StatusCode != 400 {
				t.Fatalf("%v: status %v %v", body, resp.StatusCode, err)
			}
		}
		if conns, _ := e.user.Connections(ctx, "", iswigo.Range{From: 0, To: 9}); len(conns) != 0 {
			t.Fatalf("refused connections stored: %v", conns)
		}

		// Create: the sync waits on the redirect step.
		resp, body, err := e.user.Do(ctx, "POST", "/v1/connections", map[string]any{"provider": bank, "psu_type": "personal",
			"redirect_uri": "https://budget.example/back"})
		if err != nil || resp.StatusCode != 201 {
			t.Fatalf("create: %v %s %v", resp.StatusCode, body, err)
		}
		conns, _ := e.user.Connections(ctx, "", iswigo.Range{From: 0, To: 9})
		id := conns[0].ConnectionID
		st := e.waitStatus(t, id, "redirect step", isStep("redirect"))
		if st.RedirectURL == "" {
			t.Fatal("no redirect_url on the redirect step")
		}
		back := e.authorizeAtBank(t, st.RedirectURL, true)

		// A forged state changes nothing; the real one resumes the sync
		// and sends the browser to the app's URI; a replay finds nothing.
		if code, _ := e.callback(t, "/callback?state=forged&code=x"); code != 404 {
			t.Fatalf("forged state: %d", code)
		}
		if code, _ := e.callback(t, "/callback?code=x"); code != 400 {
			t.Fatalf("no state: %d", code)
		}
		code, loc := e.callback(t, back)
		if code != 303 || loc != "https://budget.example/back?connection_id="+id {
			t.Fatalf("callback: %d %q", code, loc)
		}
		if code, _ := e.callback(t, back); code != 404 {
			t.Fatalf("replayed callback: %d", code)
		}
		st = e.waitStatus(t, id, "end of the first sync", isDone)
		if st.Status != iswigo.StatusFinished {
			t.Fatalf("first sync: %+v (logs: %s)", st, lastLines(e.stack.Logs.String(), 5))
		}
		pages, throttled, froms := e.fake.Counts()
		if pages != 3 || throttled != 1 || len(froms) != 1 || froms[0] != time.Now().UTC().AddDate(0, 0, -90).Format(time.DateOnly) {
			t.Fatalf("first sync asked %d pages, got %d 429s, date_from %v", pages, throttled, froms)
		}
		if psu := e.fake.PSU(); len(psu) == 0 || !strings.HasPrefix(psu[0], "127.0.0.1|Go-http-client") {
			t.Fatalf("PSU headers of an interactive sync: %v", psu)
		}
		accounts, err := e.user.Accounts(ctx, iswigo.Range{From: 0, To: 9})
		if err != nil || len(accounts) != 2 {
			t.Fatalf("accounts: %v %v", accounts, err)
		}
		byName := map[string]api.Account{}
		for _, a := range accounts {
			byName[a.Name] = a
		}
		checking, ok := byName["Compte courant"]
		if !ok || byName["Livret A"].Type != "savings" || checking.Balance == nil || iswigo.Money(*checking.Balance).String() != "1523.4" {
			t.Fatalf("accounts (named from details or product, booked balance): %+v", accounts)
		}
		txs := e.transactions(t, checking.AccountID)
		if len(txs) != 8 {
			t.Fatalf("%d transactions on the checking account, want the 8 booked ones", len(txs))
		}
		for _, tx := range txs {
			if strings.Contains(tx.Wording, "BOULANGERIE") {
				t.Fatalf("pending transaction stored: %+v", tx)
			}
			if strings.Contains(tx.Wording, "SALAIRE") && (iswigo.Money(tx.Amount).String() != "2450" || tx.Wording != "ACME SAS SALAIRE NOVEMBRE") {
				t.Fatalf("credit: %+v", tx)
			}
			if strings.Contains(tx.Wording, "LOYER") && iswigo.Money(tx.Amount).String() != "-650" {
				t.Fatalf("debit: %+v", tx)
			}
		}
		c, _ := e.user.Connection(ctx, id)
		if exp := time.Time(c.ConsentExpiration); exp.IsZero() || exp.Sub(time.Now().AddDate(0, 0, 180)).Abs() > time.Hour {
			t.Fatalf("consent_expiration %v, want in 180 days", exp)
		}

		// A background sync reuses the session, asks from the last sync
		// minus the overlap, and picks up the transaction booked since.
		e.fake.BookPending()
		background := func() bool {
			t.Helper()
			queued, err := db.QueueBackgroundSync(ctx, id, time.Now().Add(48*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			return queued
		}
		psuBefore := len(e.fake.PSU())
		if !background() {
			t.Fatal("background sync not queued")
		}
		if st := e.waitStatus(t, id, "background sync", isDone); st.Status != iswigo.StatusFinished {
			t.Fatalf("background sync: %+v", st)
		}
		_, _, froms = e.fake.Counts()
		if got, want := froms[len(froms)-1], time.Now().UTC().AddDate(0, 0, -7).Format(time.DateOnly); got != want {
			t.Fatalf("background date_from %s, want %s", got, want)
		}
		if len(e.fake.PSU()) != psuBefore {
			t.Fatal("a background sync sent PSU headers")
		}
		if txs := e.transactions(t, checking.AccountID); len(txs) != 9 || !slices.ContainsFunc(txs, func(tx api.Transaction) bool {
			return strings.Contains(tx.Wording, "BOULANGERIE")
		}) {
			t.Fatalf("after booking: %d transactions", len(txs))
		}

		// The session expires: background syncs fail with errno 9; an
		// interactive one re-authorizes, keeping the accounts.
		e.fake.ExpireSessions()
		background()
		if st := e.waitStatus(t, id, "expired session", isDone); st.Errno == nil || *st.Errno != iswigo.ErrnoAuthExpired {
			t.Fatalf("expired session: %+v", st)
		}
		if _, err := e.user.SyncConnection(ctx, id); err != nil {
			t.Fatal(err)
		}
		st = e.waitStatus(t, id, "redirect step again", isStep("redirect"))
		if code, _ := e.callback(t, e.authorizeAtBank(t, st.RedirectURL, true)); code != 303 {
			t.Fatalf("second callback: %d", code)
		}
		if st := e.waitStatus(t, id, "re-authorized sync", isDone); st.Status != iswigo.StatusFinished {
			t.Fatalf("re-authorized sync: %+v", st)
		}
		if accounts, _ := e.user.Accounts(ctx, iswigo.Range{From: 0, To: 9}); len(accounts) != 2 {
			t.Fatalf("%d accounts after re-authorization, want the same 2", len(accounts))
		}

		// At most 4 unattended accesses a day: 2 done, 2 more, then none.
		for i := 0; i < 2; i++ {
			if !background() {
				t.Fatalf("background sync %d refused", i+3)
			}
			e.waitStatus(t, id, "background sync", isDone)
		}
		if background() {
			t.Fatal("a fifth background sync on the same day was queued")
		}

		// The consent is announced once, a week before it lapses.
		if n, err := db.AnnounceExpiringConsents(ctx, time.Now(), 7*24*time.Hour, 10); err != nil || n != 0 {
			t.Fatalf("announced %d consents 180 days ahead: %v", n, err)
		}
		later := time.Now().AddDate(0, 0, 175)
		if n, _ := db.AnnounceExpiringConsents(ctx, later, 7*24*time.Hour, 10); n != 1 {
			t.Fatalf("announced %d consents, want 1", n)
		}
		if n, _ := db.AnnounceExpiringConsents(ctx, later, 7*24*time.Hour, 10); n != 0 {
			t.Fatalf("announced the same consent again (%d)", n)
		}
		events, err := e.user.Events(ctx, iswigo.Range{From: 0, To: 99})
		if err != nil || !slices.ContainsFunc(events, func(ev api.Event) bool {
			return ev.Type == iswigo.EventConnectionConsentExpiring && strings.Contains(string(ev.Data), id)
		}) {
			t.Fatalf("no consent_expiring event: %v", err)
		}

		// Refused at the bank: errno 6.
		denied, err := e.user.CreateConnection(ctx, german, nil)
		if err != nil {
			t.Fatal(err)
		}
		st = e.waitStatus(t, denied.ConnectionID, "redirect step", isStep("redirect"))
		code, loc = e.callback(t, e.authorizeAtBank(t, st.RedirectURL, false))
		if code != 200 || loc != "" {
			t.Fatalf("callback without redirect_uri: %d %q", code, loc)
		}
		if st := e.waitStatus(t, denied.ConnectionID, "refusal", isDone); st.Errno == nil || *st.Errno != iswigo.ErrnoWrongStepAnswer {
			t.Fatalf("refused: %+v", st)
		}

		// Error bodies (the fake's hold a name and an IBAN) never reach the log.
		if logs := e.stack.Logs.String(); strings.Contains(logs, "Jean Dupont") || strings.Contains(logs, "FR7630006000011234567890189") {
			t.Fatal("personal data from Enable Banking's answers in the log")
		}

		// The decoupled bank: approve in the app, the status moves on by itself.
		e.fake.SetDecoupledPolls(1 << 30)
		dc, err := e.user.CreateConnection(ctx, decoupled, map[string]string{"userId": "12345678"})
		if err != nil {
			t.Fatal(err)
		}
		st = e.waitStatus(t, dc.ConnectionID, "decoupled step", isStep("decoupled"))
		if !strings.Contains(st.Message, "Banka Mobil app") {
			t.Fatalf("decoupled message %q", st.Message)
		}
		e.fake.SetDecoupledPolls(0)
		if st := e.waitStatus(t, dc.ConnectionID, "approval", isDone); st.Status != iswigo.StatusFinished {
			t.Fatalf("decoupled: %+v (logs: %s)", st, lastLines(e.stack.Logs.String(), 5))
		}
	})
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
