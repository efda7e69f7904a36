// SPDX-License-Identifier: Apache-2.0

package sqldb_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

func newApp(t *testing.T, db *sqldb.DB, name string) *iswigo.App {
	t.Helper()
	app := &iswigo.App{Name: name, Secret: "s3cret-" + name, PSD2: true, LastTermsOfService: iswigo.NewDate(2019, 10, 1)}
	if err := db.CreateApp(context.Background(), app); err != nil {
		t.Fatalf("CreateApp: %v", err)
	}
	return app
}

func TestApps(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		app := newApp(t, db, "alpha")
		got, err := db.FindAppByName(ctx, "alpha")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != app.ID || got.Secret != "s3cret-alpha" || !got.PSD2 || got.LastTermsOfService.String() != "2019-10-01" {
			t.Fatalf("FindAppByName = %+v", got)
		}
		if err := db.CreateApp(ctx, &iswigo.App{Name: "alpha", Secret: "x"}); iswigo.ErrorCode(err) != iswigo.ECONFLICT {
			t.Fatalf("duplicate name: %v", err)
		}
		if err := db.CreateApp(ctx, &iswigo.App{Name: "bad name", Secret: "x"}); iswigo.ErrorCode(err) != iswigo.EINVALID {
			t.Fatalf("bad name: %v", err)
		}
		if _, err := db.FindAppByName(ctx, "nope"); iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
			t.Fatalf("unknown app: %v", err)
		}
		got.Secret, got.PSD2, got.WebhookURL, got.Origins = "rotated", false, "https://example.com/hook", []string{"https://a.example", "https://b.example"}
		if err := db.UpdateApp(ctx, got); err != nil {
			t.Fatal(err)
		}
		again, err := db.FindAppByID(ctx, app.ID)
		if err != nil {
			t.Fatal(err)
		}
		if again.Secret != "rotated" || again.PSD2 || again.WebhookURL != "https://example.com/hook" || len(again.Origins) != 2 {
			t.Fatalf("after update: %+v", again)
		}
		newApp(t, db, "beta")
		apps, err := db.FindApps(ctx)
		if err != nil || len(apps) != 2 || apps[0].Name != "alpha" || apps[1].Name != "beta" {
			t.Fatalf("FindApps = %v, %v", apps, err)
		}
	})
}

// TestSecretsEncryptedAtRest reads the raw columns: no secret in clear.
func TestSecretsEncryptedAtRest(t *testing.T) {
	cfg := sqldbtest.Config(t, sqldb.SQLite)
	db := sqldbtest.OpenConfig(t, cfg)
	app := &iswigo.App{Name: "clear", Secret: "find-me-if-you-can-0123456789"}
	if err := db.CreateApp(context.Background(), app); err != nil {
		t.Fatal(err)
	}
	u := &iswigo.User{AppID: app.ID, Email: "a@example.com", PasswordHash: "h", ValidationCode: "987654", ValidationExpiresAt: time.Now().Add(time.Hour)}
	if err := db.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := os.ReadFile(filepath.Join(cfg.DataDir, "iswigo.db"))
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(filepath.Join(cfg.DataDir, "iswigo.db-wal"))
	for _, secret := range []string{"find-me-if-you-can-0123456789", "987654"} {
		if strings.Contains(string(raw)+string(wal), secret) {
			t.Fatalf("%q found in clear in the database file", secret)
		}
	}
}

func TestUsers(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		a, b := newApp(t, db, "a"), newApp(t, db, "b")
		u := &iswigo.User{AppID: a.ID, Email: "Hector.Berlioz@Example.com", PasswordHash: "hash", FirstName: "Hector"}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if !iswigo.ValidID(u.ID) {
			t.Fatalf("id %q", u.ID)
		}
		dup := &iswigo.User{AppID: a.ID, Email: "hector.berlioz@example.COM", PasswordHash: "h"}
		if err := db.CreateUser(ctx, dup); iswigo.ErrorCode(err) != iswigo.ECONFLICT {
			t.Fatalf("duplicate email: %v", err)
		}
		// The same email in another app is another user.
		if err := db.CreateUser(ctx, &iswigo.User{AppID: b.ID, Email: "hector.berlioz@example.com", PasswordHash: "h"}); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindUserByEmail(ctx, a.ID, "HECTOR.berlioz@example.com")
		if err != nil || got.ID != u.ID || got.FirstName != "Hector" || got.LastName != "" {
			t.Fatalf("FindUserByEmail = %+v, %v", got, err)
		}
		if _, err := db.FindUserByID(ctx, b.ID, u.ID); iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
			t.Fatalf("user of app a found in app b: %v", err)
		}
		if _, err := db.FindUserByID(ctx, a.ID, "not-a-uuid"); iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
			t.Fatalf("malformed id: %v", err)
		}
		got.TermsOfService = iswigo.NewDate(2020, 1, 1)
		got.EmailValidation, got.ValidationCode, got.ValidationExpiresAt = "h@b.com", "123456", time.Now().Add(time.Hour).Truncate(time.Microsecond)
		got.TokenVersion = 3
		if err := db.UpdateUser(ctx, got); err != nil {
			t.Fatal(err)
		}
		again, err := db.FindUserByID(ctx, a.ID, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if again.TermsOfService.String() != "2020-01-01" || again.ValidationCode != "123456" || again.TokenVersion != 3 ||
			!again.ValidationExpiresAt.Equal(got.ValidationExpiresAt) || again.EmailValidation != "h@b.com" {
			t.Fatalf("after update: %+v", again)
		}
		for i := 0; i < 25; i++ {
			if err := db.CreateUser(ctx, &iswigo.User{AppID: a.ID, Email: fmt.Sprintf("u%d@example.com", i), PasswordHash: "h"}); err != nil {
				t.Fatal(err)
			}
		}
		page, total, err := db.FindUsers(ctx, a.ID, iswigo.Range{From: 20, To: 39})
		if err != nil || total != 26 || len(page) != 6 || page[5].Email != "u24@example.com" {
			t.Fatalf("FindUsers = %d users, total %d, %v", len(page), total, err)
		}
		if page, _, _ := db.FindUsers(ctx, a.ID, iswigo.Range{From: 100, To: 119}); len(page) != 0 || page == nil {
			t.Fatalf("page past the end = %v", page)
		}
		if err := db.DeleteUser(ctx, b.ID, u.ID); iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
			t.Fatalf("delete from another app: %v", err)
		}
		if err := db.DeleteUser(ctx, a.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindUserByID(ctx, a.ID, u.ID); iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
			t.Fatalf("deleted user found: %v", err)
		}
	})
}

// TestConcurrentWrites checks that concurrent read-modify-write
// transactions lose no update (SQLite's writer lock, PostgreSQL's pool).
func TestConcurrentWrites(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		app := newApp(t, db, "c")
		var wg sync.WaitGroup
		for i := 0; i < 50; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := db.RecordFailure(ctx, "k"); err != nil {
					t.Error(err)
				}
				if err := db.CreateUser(ctx, &iswigo.User{AppID: app.ID, Email: fmt.Sprintf("%s@x.com", iswigo.NewID()), PasswordHash: "h"}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if _, total, err := db.FindUsers(ctx, app.ID, iswigo.DefaultRange); err != nil || total != 50 {
			t.Fatalf("total = %d, %v", total, err)
		}
	})
}

func TestRateLimiter(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		for i := 0; i < 3; i++ {
			if wait, err := db.RetryAfter(ctx, "k", 3, time.Minute); err != nil || wait != 0 {
				t.Fatalf("attempt %d blocked: %v %v", i, wait, err)
			}
			if err := db.RecordFailure(ctx, "k"); err != nil {
				t.Fatal(err)
			}
			now = now.Add(10 * time.Second)
		}
		wait, err := db.RetryAfter(ctx, "k", 3, time.Minute)
		if err != nil || wait != 30*time.Second {
			t.Fatalf("RetryAfter = %v, %v; want 30s", wait, err)
		}
		if wait, _ := db.RetryAfter(ctx, "other", 3, time.Minute); wait != 0 {
			t.Fatal("another key is blocked")
		}
		now = now.Add(31 * time.Second)
		if wait, _ := db.RetryAfter(ctx, "k", 3, time.Minute); wait != 0 {
			t.Fatalf("still blocked after the window: %v", wait)
		}
	})
}

func TestReady(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		if err := db.Ready(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	cfg := sqldbtest.Config(t, sqldb.SQLite)
	db, err := sqldb.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ready(context.Background()); err == nil {
		t.Fatal("Ready before migrations")
	}
}

// TestIngestKeepsOldTransactions: a resync whose window no longer covers
// old transactions keeps them, adds only the new ones and changes no id.
func TestIngestKeepsOldTransactions(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		app := newApp(t, db, "w")
		u := &iswigo.User{AppID: app.ID, Email: "w@example.com", PasswordHash: "x"}
		db.CreateUser(ctx, u)
		c := &iswigo.Connection{AppID: app.ID, UserID: u.ID, ProviderID: 999, Credentials: map[string]string{"login": "w"}}
		if err := db.CreateConnection(ctx, c); err != nil {
			t.Fatal(err)
		}
		day := iswigo.NewDate(2026, 1, 1)
		tx := func(d int, amount int64, wording string) iswigo.ConnectorTransaction {
			return iswigo.ConnectorTransaction{OperationDate: day.AddDays(d), Amount: iswigo.Money{Minor: amount, Currency: "EUR"}, Wording: wording}
		}
		sync := func(txs ...iswigo.ConnectorTransaction) {
			t.Helper()
			s, err := db.BeginSync(ctx, c.ID, iswigo.Provider{ID: 999}, true)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.PutAccount(ctx, &iswigo.ConnectorAccount{Key: "A", Type: "account", Name: "A", Currency: "EUR"}); err != nil {
				t.Fatal(err)
			}
			if err := s.PutTransactions(ctx, "A", txs); err != nil {
				t.Fatal(err)
			}
			if err := s.Finish(ctx, nil, true); err != nil {
				t.Fatal(err)
			}
			db.RequestSync(ctx, app.ID, u.ID, iswigo.SyncRequest{ConnectionID: c.ID})
		}
		list := func() []*iswigo.Transaction {
			accounts, _, _ := db.FindAccounts(ctx, app.ID, u.ID, iswigo.DefaultRange)
			txs, _, err := db.FindTransactions(ctx, iswigo.TransactionFilter{AppID: app.ID, UserID: u.ID, AccountID: accounts[0].ID, Range: iswigo.Range{From: 0, To: 99}})
			if err != nil {
				t.Fatal(err)
			}
			return txs
		}
		// Two identical coffees on day 2 are two transactions.
		sync(tx(0, -100, "CARTE A"), tx(1, -200, "CARTE B"), tx(2, -150, "CAFE"), tx(2, -150, "CAFE"))
		first := list()
		if len(first) != 4 {
			t.Fatalf("%d transactions", len(first))
		}
		// The provider's window moved: days 0 and 1 are gone, day 3 is new,
		// and the wording's case and spacing changed.
		sync(tx(2, -150, "cafe"), tx(2, -150, " CAFE "), tx(3, -300, "VIR X"))
		second := list()
		if len(second) != 5 {
			t.Fatalf("after the window moved: %d transactions; want 5", len(second))
		}
		ids := map[string]bool{}
		for _, tr := range second {
			ids[tr.ID] = true
		}
		for _, tr := range first {
			if !ids[tr.ID] {
				t.Fatalf("transaction %s (%s) lost or re-identified", tr.ID, tr.Wording)
			}
		}
	})
}

func TestPurgeExpired(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		app := newApp(t, db, "p")
		u := &iswigo.User{AppID: app.ID, Email: "p@example.com", PasswordHash: "x"}
		db.CreateUser(ctx, u)
		now := time.Now()
		live := &iswigo.FunnelSession{AppID: app.ID, UserID: u.ID, Action: "create", ExpiresAt: now.Add(time.Hour)}
		old := &iswigo.FunnelSession{AppID: app.ID, UserID: u.ID, Action: "create", ExpiresAt: now.Add(-48 * time.Hour)}
		for _, s := range []*iswigo.FunnelSession{live, old} {
			if err := db.CreateFunnelSession(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		db.Now = func() time.Time { return now.Add(-25 * time.Hour) }
		db.RecordFailure(ctx, "old")
		db.Now = time.Now
		db.RecordFailure(ctx, "recent")
		c, err := db.PurgeExpired(ctx, now.Add(-24*time.Hour), now.Add(-30*24*time.Hour), time.Time{})
		if err != nil || c.FunnelSessions != 1 || c.RateFailures != 1 {
			t.Fatalf("purge: %+v %v", c, err)
		}
		if _, err := db.FindFunnelSession(ctx, live.ID); err != nil {
			t.Fatal("a live session was purged")
		}
		if _, err := db.FindFunnelSession(ctx, old.ID); iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
			t.Fatal("an expired session was kept")
		}
		if wait, _ := db.RetryAfter(ctx, "recent", 1, time.Hour); wait == 0 {
			t.Fatal("a recent failure was purged")
		}
		// A delivered delivery goes once older than the retention; a pending one stays.
		app.WebhookURL = "https://hooks.example/x"
		db.UpdateApp(ctx, app)
		n, err := db.ReplayEvents(ctx, "", time.Time{}, func(context.Context, *sql.Tx, string) error { return nil })
		if err != nil || n != 1 {
			t.Fatalf("replay: %d %v", n, err)
		}
		db.ReplayEvents(ctx, "", time.Time{}, func(context.Context, *sql.Tx, string) error { return nil })
		ds, _ := db.FindDeliveries(ctx, app.ID, false, 10)
		db.RecordAttempt(ctx, ds[0].ID, iswigo.WebhookAttempt{Number: 1, At: now, StatusCode: 200}, iswigo.DeliveryDelivered)
		if c, _ := db.PurgeExpired(ctx, now.Add(-24*time.Hour), now.Add(-time.Hour), time.Time{}); c.Deliveries != 0 || c.Events != 0 {
			t.Fatal("a recent delivery was purged")
		}
		if c, _ := db.PurgeExpired(ctx, now.Add(-24*time.Hour), now.Add(time.Hour), time.Time{}); c.Deliveries != 1 {
			t.Fatalf("old delivered delivery kept: %+v", c)
		}
		if _, total, _ := db.FindEvents(ctx, app.ID, iswigo.DefaultRange); total != 1 {
			t.Fatalf("events purged without a retention: %d left", total)
		}
		if c, _ := db.PurgeExpired(ctx, now.Add(-24*time.Hour), now.Add(-time.Hour), time.Now().Add(time.Minute)); c.Events != 1 {
			t.Fatalf("events past the retention kept: %+v", c)
		}
		if ds, _ := db.FindDeliveries(ctx, app.ID, false, 10); len(ds) != 1 || ds[0].Status != iswigo.DeliveryPending {
			t.Fatal("the pending delivery was purged")
		}
	})
}
