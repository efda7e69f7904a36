// SPDX-License-Identifier: Apache-2.0

package sqldb_test

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// syntheticTransactions returns n realistic transactions over a year,
// without provider ids (so ingest fingerprints them), with repeats.
func syntheticTransactions(n int) []iswigo.ConnectorTransaction {
	words := []string{"CARTE %02d/%02d MONOPRIX PARIS 15", "PRLV SEPA EDF CLIENTS PARTICULIERS", "VIR SEPA SALAIRE ACME",
		"CARTE %02d/%02d BOULANGERIE DU MARCHE", "RETRAIT DAB %02d/%02d PARIS", "Cheque n%07d"}
	start := iswigo.NewDate(2025, 11, 26)
	txs := make([]iswigo.ConnectorTransaction, n)
	for i := range txs {
		day := start.AddDays(i * 365 / n)
		w := words[i%len(words)]
		var wording string
		if w == "Cheque n%07d" {
			wording = fmt.Sprintf(w, 9990000+i)
		} else if w[0] == 'C' || w[0] == 'R' {
			wording = fmt.Sprintf(w, day.Time().Day(), int(day.Time().Month()))
		} else {
			wording = w
		}
		txs[i] = iswigo.ConnectorTransaction{OperationDate: day, ValueDate: day,
			Amount: iswigo.Money{Minor: -int64(100 + i%5000), Currency: "EUR"}, Wording: wording}
	}
	return txs
}

// ingestFixture is a store with a user whose connection is queued.
func ingestFixture(b *testing.B, db *sqldb.DB) (*iswigo.User, func() *iswigo.Connection) {
	ctx := context.Background()
	app := &iswigo.App{Name: "bench", Secret: "s"}
	if err := db.CreateApp(ctx, app); err != nil {
		b.Fatal(err)
	}
	u := &iswigo.User{AppID: app.ID, Email: "b@example.com", PasswordHash: "x"}
	if err := db.CreateUser(ctx, u); err != nil {
		b.Fatal(err)
	}
	return u, func() *iswigo.Connection {
		c := &iswigo.Connection{AppID: app.ID, UserID: u.ID, ProviderID: 999, Credentials: map[string]string{"login": "bench"}}
		if err := db.CreateConnection(ctx, c); err != nil {
			b.Fatal(err)
		}
		return c
	}
}

// syncOnce runs one sync of c putting one account with txs.
func syncOnce(b *testing.B, db *sqldb.DB, c *iswigo.Connection, txs []iswigo.ConnectorTransaction) {
	ctx := context.Background()
	s, err := db.BeginSync(ctx, c.ID, iswigo.Provider{ID: 999}, true)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.PutAccount(ctx, &iswigo.ConnectorAccount{Key: "CHK", Type: "account", Name: "Compte", Currency: "EUR"}); err != nil {
		b.Fatal(err)
	}
	if err := s.PutTransactions(ctx, "CHK", txs); err != nil {
		b.Fatal(err)
	}
	if err := s.Finish(ctx, nil, true); err != nil {
		b.Fatal(err)
	}
}

// requeue makes a finished connection syncable again.
func requeue(b *testing.B, db *sqldb.DB, u *iswigo.User, c *iswigo.Connection) {
	if _, err := db.RequestSync(context.Background(), u.AppID, u.ID, iswigo.SyncRequest{ConnectionID: c.ID}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkIngest10k: a first sync of 10,000 transactions on SQLite.
// Target: ≥ 50,000 transactions/s.
func BenchmarkIngest10k(b *testing.B) {
	db := sqldbtest.Open(b, sqldb.SQLite)
	u, newConnection := ingestFixture(b, db)
	txs := syntheticTransactions(10_000)
	var elapsed, cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		c := newConnection()
		_ = u
		b.StartTimer()
		start, startCPU := time.Now(), cpuTime()
		syncOnce(b, db, c, txs)
		elapsed += time.Since(start)
		cpu += cpuTime() - startCPU
	}
	b.ReportMetric(float64(len(txs)*b.N)/elapsed.Seconds(), "tx/s")
	// CPU time is steadier than wall time on a shared machine.
	b.ReportMetric(float64(len(txs)*b.N)/cpu.Seconds(), "tx/cpu-s")
}

// cpuTime returns the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkResync10k: a resync of the same 10,000 unchanged transactions.
// Target: no transaction row written, ≤ 20% of the first sync's time.
func BenchmarkResync10k(b *testing.B) {
	db := sqldbtest.Open(b, sqldb.SQLite)
	u, newConnection := ingestFixture(b, db)
	txs := syntheticTransactions(10_000)
	c := newConnection()
	syncOnce(b, db, c, txs)
	ctx := context.Background()
	accounts, _, _ := db.FindAccounts(ctx, u.AppID, u.ID, iswigo.DefaultRange)
	_, before, _ := db.FindTransactions(ctx, iswigo.TransactionFilter{AppID: u.AppID, UserID: u.ID, AccountID: accounts[0].ID, Range: iswigo.DefaultRange})
	for b.Loop() {
		b.StopTimer()
		requeue(b, db, u, c)
		b.StartTimer()
		syncOnce(b, db, c, txs)
	}
	b.StopTimer()
	_, after, _ := db.FindTransactions(ctx, iswigo.TransactionFilter{AppID: u.AppID, UserID: u.ID, AccountID: accounts[0].ID,
		MinDate: iswigo.NewDate(2000, 1, 1), Range: iswigo.DefaultRange})
	if before != 10_000 || after != before {
		b.Fatalf("resync wrote transactions: %d then %d", before, after)
	}
}
