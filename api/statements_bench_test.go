// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"context"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
)

// BenchmarkStatementImport10k uploads a 10,000-transaction file of each
// format through the whole stack (HTTP, parse, file store, job engine,
// ingest) on SQLite, and measures from the upload to the file imported
// and the connection finished. Target: ≥ 20,000 transactions/s.
// Run: go test -run '^$' -bench StatementImport10k -benchtime 5x ./api/
func BenchmarkStatementImport10k(b *testing.B) {
	const n = 10_000
	txs := genTransactions(n)
	for _, f := range []struct {
		format string
		data   []byte
	}{{"ofx", genOFX(txs)}, {"camt", genCamt(txs)}, {"mt940", genMT940(txs)}, {"qif", genQIF(txs)}, {"csv", genCSV(txs)}} {
		b.Run(f.format, func(b *testing.B) {
			e := benchEnv(b)
			e.plain.HTTPClient = http.DefaultClient
			ctx := context.Background()
			_, uc := e.user(b, e.plain, "bench-"+f.format+"@example.com")
			var elapsed, cpu time.Duration
			for i := 0; i < b.N; i++ {
				conn, err := uc.CreateConnection(ctx, iswigo.ProviderIDStatements, nil)
				if err != nil {
					b.Fatal(err)
				}
				waitDB(b, e, uc, conn.ConnectionID, "")
				start, startCPU := time.Now(), processCPU()
				up, err := uc.UploadStatement(ctx, conn.ConnectionID, f.data, api.StatementParams{})
				if err != nil {
					b.Fatal(err)
				}
				if up.Statement.Transactions != n {
					b.Fatalf("%s: %d transactions read, want %d", f.format, up.Statement.Transactions, n)
				}
				waitDB(b, e, uc, conn.ConnectionID, up.Statement.ID)
				elapsed, cpu = elapsed+time.Since(start), cpu+processCPU()-startCPU
			}
			b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "tx/s")
			b.ReportMetric(float64(n*b.N)/cpu.Seconds(), "tx/cpu-s")
			b.ReportMetric(float64(len(f.data))/1e6, "MB/file")
		})
	}
}

// processCPU returns the process's user and system CPU time: steadier
// than wall time on a shared machine.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// waitDB waits, reading the store, until the connection's sync is over
// and, when fileID is set, the file is imported with every transaction added.
func waitDB(b *testing.B, e *testEnv, c *api.Client, connID, fileID string) {
	ctx := context.Background()
	u, err := c.Profile(ctx)
	if err != nil {
		b.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		conn, err := e.db.FindConnectionByID(ctx, e.plainApp.ID, u.UserID, connID)
		if err != nil {
			b.Fatal(err)
		}
		if conn.Status == iswigo.StatusError {
			b.Fatalf("connection in error %d", conn.Errno)
		}
		imported := fileID == ""
		if !imported {
			files, _, err := e.db.FindStatementFiles(ctx, e.plainApp.ID, u.UserID, connID, iswigo.Range{From: 0, To: 0})
			if err != nil {
				b.Fatal(err)
			}
			if f := files[0]; f.Status == iswigo.StatementFailed {
				b.Fatalf("import failed: %s", f.Error)
			} else if f.Status == iswigo.StatementImported {
				if f.TransactionsAdded != f.Transactions {
					b.Fatalf("%d of %d transactions added", f.TransactionsAdded, f.Transactions)
				}
				imported = true
			}
		}
		if imported && conn.Status == iswigo.StatusFinished {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	b.Fatalf("connection %s not finished after 2 minutes", connID)
}
