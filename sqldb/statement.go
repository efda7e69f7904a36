// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/iswigo/iswigo"
)

var (
	_ iswigo.StatementStore      = (*DB)(nil)
	_ iswigo.StatementFileSource = (*DB)(nil)
)

// statementPrefix is the prefix of every statement file in the file store
// (documents have theirs: the sweep tells them apart).
const statementPrefix = "statements/"

func newStatementKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return statementPrefix + hex.EncodeToString(b[:])
}

const statementColumns = `id, connection_id, app_id, user_id, name, format, dialect, size, sha1, file_key, options,
	accounts, transactions, transactions_added, transactions_known, status, error, created_at`

func scanStatementFile(row interface{ Scan(...any) error }) (*iswigo.StatementFile, error) {
	var (
		f            iswigo.StatementFile
		name, errMsg sql.NullString
		options      string
		added, known sql.NullInt64
		created      int64
	)
	if err := row.Scan(&f.ID, &f.ConnectionID, &f.AppID, &f.UserID, &name, &f.Format, &f.Dialect, &f.Size, &f.SHA1,
		&f.FileKey, &options, &f.Accounts, &f.Transactions, &added, &known, &f.Status, &errMsg, &created); err != nil {
		return nil, err
	}
	f.Name, f.Error = name.String, errMsg.String
	f.TransactionsAdded, f.TransactionsKnown = int(added.Int64), int(known.Int64)
	f.CreatedAt = timeFromMicros(sql.NullInt64{Int64: created, Valid: true})
	if err := json.Unmarshal([]byte(options), &f.Options); err != nil {
		return nil, fmt.Errorf("statement file %s: options: %w", f.ID, err)
	}
	return &f, nil
}

// AddStatementFile implements iswigo.StatementStore. The file is written
// first, then its row, so that no row is without its file; a file left by
// a crash in between is removed by SweepOrphanFiles.
func (db *DB) AddStatementFile(ctx context.Context, f *iswigo.StatementFile, data []byte) (*iswigo.StatementFile, *iswigo.Connection, bool, error) {
	if db.Files == nil {
		return nil, nil, false, fmt.Errorf("statement file: no file store configured")
	}
	if prev, c, err := db.duplicateStatement(ctx, f); err != nil || prev != nil {
		return prev, c, prev != nil, err
	}
	options, err := json.Marshal(f.Options)
	if err != nil {
		return nil, nil, false, err
	}
	key := newStatementKey()
	size, sum, err := db.Files.Write(ctx, key, "application/octet-stream", bytes.NewReader(data))
	if err != nil {
		return nil, nil, false, fmt.Errorf("statement file: %w", err)
	}
	f.ID, f.FileKey, f.Size, f.SHA1, f.Status = iswigo.NewID(), key, size, sum, iswigo.StatementPending
	f.CreatedAt = db.Now().UTC().Truncate(1000)
	var c *iswigo.Connection
	conflict := false
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = db.lockConnection(ctx, tx, `app_id = $1 AND user_id = $2 AND id = $3`, f.AppID, f.UserID, f.ConnectionID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO statement_files (id, connection_id, app_id, user_id, name, format, dialect,
			size, sha1, file_key, options, accounts, transactions, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
			ON CONFLICT (connection_id, sha1) DO NOTHING`,
			f.ID, c.ID, f.AppID, f.UserID, nullString(f.Name), f.Format, f.Dialect, f.Size, f.SHA1, f.FileKey, string(options),
			f.Accounts, f.Transactions, f.Status, f.CreatedAt.UnixMicro())
		if err != nil {
			return fmt.Errorf("insert statement file: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			conflict = true // the same file, uploaded at the same time
			return err
		}
		return db.syncNowOrAfter(ctx, tx, c)
	})
	if err != nil || conflict {
		if derr := db.Files.Delete(context.WithoutCancel(ctx), key); derr != nil && err == nil {
			err = derr
		}
		if err != nil {
			return nil, nil, false, err
		}
		prev, c, err := db.duplicateStatement(ctx, f)
		return prev, c, prev != nil, err
	}
	return f, c, false, nil
}

// duplicateStatement returns the connection's file with f's SHA-1 and the
// connection, or nils when there is none.
func (db *DB) duplicateStatement(ctx context.Context, f *iswigo.StatementFile) (*iswigo.StatementFile, *iswigo.Connection, error) {
	prev, err := scanStatementFile(db.queryRowRead(ctx, `SELECT `+statementColumns+` FROM statement_files
		WHERE connection_id = $1 AND sha1 = $2 AND app_id = $3 AND user_id = $4`, f.ConnectionID, f.SHA1, f.AppID, f.UserID))
	if errNoRows(err) {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, fmt.Errorf("find statement file: %w", err)
	}
	c, err := db.FindConnectionByID(ctx, f.AppID, f.UserID, f.ConnectionID)
	if err != nil {
		return nil, nil, err
	}
	return prev, c, nil
}

// syncNowOrAfter queues an interactive sync of c, in tx; when one is
// queued or running already, it marks c so that the end of that sync
// queues another (syncAgainIfAsked), which sees what was added meanwhile.
func (db *DB) syncNowOrAfter(ctx context.Context, tx *sql.Tx, c *iswigo.Connection) error {
	if c.Running() {
		_, err := tx.ExecContext(ctx, `UPDATE connections SET sync_again = TRUE WHERE id = $1`, c.ID)
		return err
	}
	return db.startSync(ctx, tx, c, true)
}

// syncAgainIfAsked queues a new sync of c, which has just finished or
// failed, when syncNowOrAfter asked for one during its sync, in tx.
func (db *DB) syncAgainIfAsked(ctx context.Context, tx *sql.Tx, c *iswigo.Connection) error {
	if c.Running() {
		return nil // a retry comes anyway, and sees everything
	}
	var again bool
	if err := tx.QueryRowContext(ctx, `SELECT sync_again FROM connections WHERE id = $1`, c.ID).Scan(&again); err != nil || !again {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE connections SET sync_again = FALSE WHERE id = $1`, c.ID); err != nil {
		return err
	}
	return db.startSync(ctx, tx, c, true)
}

// FindStatementFiles implements iswigo.StatementStore.
func (db *DB) FindStatementFiles(ctx context.Context, appID, userID, connectionID string, r iswigo.Range) ([]*iswigo.StatementFile, int, error) {
	where, args := `connection_id = $1 AND app_id = $2 AND user_id = $3`, []any{strings.ToLower(connectionID), appID, userID}
	var total int
	if err := db.queryRowRead(ctx, `SELECT COUNT(*) FROM statement_files WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count statement files: %w", err)
	}
	files := []*iswigo.StatementFile{}
	if r.From >= total {
		return files, total, nil
	}
	rows, err := db.queryRead(ctx, `SELECT `+statementColumns+` FROM statement_files WHERE `+where+
		` ORDER BY id DESC LIMIT $4 OFFSET $5`, append(args, r.Limit(), r.From)...)
	if err != nil {
		return nil, 0, fmt.Errorf("query statement files: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		f, err := scanStatementFile(rows)
		if err != nil {
			return nil, 0, err
		}
		files = append(files, f)
	}
	return files, total, rows.Err()
}

// PendingStatementFiles implements iswigo.StatementFileSource.
func (db *DB) PendingStatementFiles(ctx context.Context, connectionID string) ([]*iswigo.StatementFile, error) {
	rows, err := db.queryRead(ctx, `SELECT `+statementColumns+` FROM statement_files
		WHERE connection_id = $1 AND status = $2 ORDER BY id`, connectionID, iswigo.StatementPending)
	if err != nil {
		return nil, fmt.Errorf("pending statement files: %w", err)
	}
	defer rows.Close()
	var files []*iswigo.StatementFile
	for rows.Next() {
		f, err := scanStatementFile(rows)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, rows.Err()
}

// OpenStatementFile implements iswigo.StatementFileSource.
func (db *DB) OpenStatementFile(ctx context.Context, f *iswigo.StatementFile) (io.ReadCloser, error) {
	if db.Files == nil {
		return nil, fmt.Errorf("no file store configured")
	}
	return db.Files.Open(ctx, f.FileKey)
}

// FinishStatementFile implements iswigo.StatementFileSource.
func (db *DB) FinishStatementFile(ctx context.Context, f *iswigo.StatementFile) error {
	if f.Status != iswigo.StatementImported && f.Status != iswigo.StatementFailed {
		return fmt.Errorf("statement file %s: status %q is not an outcome", f.ID, f.Status)
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE statement_files SET status = $2, transactions_added = $3, transactions_known = $4,
			error = $5, imported_at = $6 WHERE id = $1`,
			f.ID, f.Status, f.TransactionsAdded, f.TransactionsKnown, nullString(f.Error), db.now())
		return err
	})
}
