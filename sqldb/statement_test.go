// SPDX-License-Identifier: Apache-2.0

package sqldb_test

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"io"
	"testing"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/blobstore"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

func statementFile(c *iswigo.Connection, data string) *iswigo.StatementFile {
	sum := sha1.Sum([]byte(data))
	return &iswigo.StatementFile{ConnectionID: c.ID, AppID: c.AppID, UserID: c.UserID, Format: "qif", Dialect: "qif bank",
		SHA1: hex.EncodeToString(sum[:]), Accounts: 1, Transactions: 2, Options: iswigo.StatementOptions{Account: "imported"}}
}

// TestStatementFiles: files are stored with their blob, listed newest
// first, deduplicated by SHA-1, and an upload during a running sync gets
// a sync after it; deleting the connection deletes the blobs.
func TestStatementFiles(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		files, err := blobstore.Open(ctx, "file://"+t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		db.Files = files
		app := newApp(t, db, "stmt")
		u := &iswigo.User{AppID: app.ID, Email: "u@example.com", PasswordHash: "h"}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		c := &iswigo.Connection{AppID: app.ID, UserID: u.ID, ProviderID: iswigo.ProviderIDStatements, Credentials: map[string]string{}}
		if err := db.CreateConnection(ctx, c); err != nil {
			t.Fatal(err)
		}
		// The creation's sync runs: an upload now waits for its end.
		sync, err := db.BeginSync(ctx, c.ID, iswigo.Provider{ID: iswigo.ProviderIDStatements}, true)
		if err != nil {
			t.Fatal(err)
		}
		f, conn, dup, err := db.AddStatementFile(ctx, statementFile(c, "first"), []byte("first"))
		if err != nil || dup || conn.Status != iswigo.StatusInProgress || f.Status != iswigo.StatementPending || f.Size != 5 {
			t.Fatalf("AddStatementFile = %+v, %+v, %v, %v", f, conn, dup, err)
		}
		pending, err := db.PendingStatementFiles(ctx, c.ID)
		if err != nil || len(pending) != 1 || pending[0].ID != f.ID || pending[0].Options.Account != "imported" {
			t.Fatalf("pending = %+v, %v", pending, err)
		}
		if err := sync.Finish(ctx, nil, true); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.FindConnectionByID(ctx, app.ID, u.ID, c.ID); got.Status != iswigo.StatusPending {
			t.Fatalf("after the sync that ran during the upload: %s, want pending (a sync after it)", got.Status)
		}
		// That next sync imports the file; no sync follows it.
		sync, err = db.BeginSync(ctx, c.ID, iswigo.Provider{ID: iswigo.ProviderIDStatements}, true)
		if err != nil {
			t.Fatal(err)
		}
		pending[0].Status, pending[0].TransactionsAdded, pending[0].TransactionsKnown = iswigo.StatementImported, 2, 0
		if err := db.FinishStatementFile(ctx, pending[0]); err != nil {
			t.Fatal(err)
		}
		if err := sync.Finish(ctx, nil, true); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.FindConnectionByID(ctx, app.ID, u.ID, c.ID); got.Status != iswigo.StatusFinished {
			t.Fatalf("after the import: %s, want finished", got.Status)
		}
		// The same bytes again: the earlier file, nothing stored.
		again, _, dup, err := db.AddStatementFile(ctx, statementFile(c, "first"), []byte("first"))
		if err != nil || !dup || again.ID != f.ID || again.Status != iswigo.StatementImported || again.TransactionsAdded != 2 {
			t.Fatalf("duplicate = %+v, %v, %v", again, dup, err)
		}
		second, conn, _, err := db.AddStatementFile(ctx, statementFile(c, "second"), []byte("second"))
		if err != nil || conn.Status != iswigo.StatusPending {
			t.Fatalf("second file: %+v, %v", conn, err)
		}
		list, total, err := db.FindStatementFiles(ctx, app.ID, u.ID, c.ID, iswigo.Range{From: 0, To: 19})
		if err != nil || total != 2 || len(list) != 2 || list[0].ID != second.ID || list[1].ID != f.ID {
			t.Fatalf("list = %+v (%d), %v", list, total, err)
		}
		if _, total, _ := db.FindStatementFiles(ctx, app.ID, iswigo.NewID(), c.ID, iswigo.Range{From: 0, To: 19}); total != 0 {
			t.Fatalf("another user sees %d files", total)
		}
		rc, err := db.OpenStatementFile(ctx, list[0])
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if string(b) != "second" {
			t.Fatalf("file = %q", b)
		}
		if err := db.DeleteConnection(ctx, app.ID, u.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := files.Open(ctx, f.FileKey); iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
			t.Fatalf("a deleted connection's file is still stored: %v", err)
		}
	})
}

func TestCSVProfiles(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		a, b := newApp(t, db, "a"), newApp(t, db, "b")
		p := &iswigo.CSVProfile{AppID: a.ID, Name: "bank", Mapping: iswigo.CSVMapping{DateCol: "Date", WordingCols: []string{"A", "B"}}}
		if err := db.CreateCSVProfile(ctx, p); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateCSVProfile(ctx, p); iswigo.ErrorCode(err) != iswigo.ECONFLICT {
			t.Fatalf("duplicate: %v", err)
		}
		got, err := db.FindCSVProfile(ctx, a.ID, "bank")
		if err != nil || got.Mapping.DateCol != "Date" || len(got.Mapping.WordingCols) != 2 {
			t.Fatalf("find = %+v, %v", got, err)
		}
		if _, err := db.FindCSVProfile(ctx, b.ID, "bank"); iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
			t.Fatalf("another app's profile: %v", err)
		}
		if err := db.DeleteCSVProfile(ctx, b.ID, "bank"); iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
			t.Fatalf("delete another app's: %v", err)
		}
		if err := db.DeleteCSVProfile(ctx, a.ID, "bank"); err != nil {
			t.Fatal(err)
		}
		if list, err := db.FindCSVProfiles(ctx, a.ID); err != nil || len(list) != 0 {
			t.Fatalf("list after delete = %v, %v", list, err)
		}
	})
}
