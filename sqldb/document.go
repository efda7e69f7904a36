// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
)

var _ iswigo.DocumentService = (*DB)(nil)

// filePrefix is the prefix of every document file in the file store.
const filePrefix = "documents/"

// newFileKey returns a random file name: not guessable, not derived from
// user data.
func newFileKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return filePrefix + hex.EncodeToString(b[:])
}

// putDocument stores a document of the sync: the file first, then its row,
// so that no row is ever without its file; a file left by a crash in
// between is removed by SweepOrphanFiles. A document already stored (same
// connection and key) is skipped without reading r.
func (db *DB) putDocument(ctx context.Context, s *Sync, d *iswigo.ConnectorDocument, r io.Reader) error {
	if db.Files == nil {
		return fmt.Errorf("document %q: no file store configured", d.Key)
	}
	if d.Key == "" || d.Name == "" || d.Extension == "" || d.Mime == "" || len(d.Name) > 255 ||
		(d.Type != iswigo.DocumentTypeInvoice && d.Type != iswigo.DocumentTypeDocument) {
		return fmt.Errorf("document %q: key, name, extension, mime and a type invoice|document are required", d.Key)
	}
	var exists int
	err := db.queryRowRead(ctx, `SELECT COUNT(*) FROM documents WHERE connection_id = $1 AND key = $2`, s.conn.ID, d.Key).Scan(&exists)
	if err != nil {
		return fmt.Errorf("find document: %w", err)
	} else if exists > 0 {
		return nil
	}
	fileKey := newFileKey()
	size, sum, err := db.Files.Write(ctx, fileKey, d.Mime, r)
	if err != nil {
		return fmt.Errorf("document %q: %w", d.Key, err)
	}
	var amount sql.NullInt64
	var currency sql.NullString
	if d.Amount != nil {
		amount, currency = sql.NullInt64{Int64: d.Amount.Minor, Valid: true}, nullString(d.Amount.Currency)
	}
	created := d.CreatedAt
	if created.IsZero() {
		created = db.Now()
	}
	var n int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO documents (id, connection_id, user_id, key, name, extension, mime, type,
			amount, currency, payment_date, size, sha1, file_key, created_at, ingested_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
			ON CONFLICT (connection_id, key) DO NOTHING`,
			iswigo.NewID(), s.conn.ID, s.conn.UserID, d.Key, d.Name, d.Extension, d.Mime, d.Type, amount, currency,
			dateOrNull(d.PaymentDate), size, sum, fileKey, created.UTC().UnixMicro(), db.now())
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE connections SET documents_pending = documents_pending + 1 WHERE id = $1`, s.conn.ID)
		return err
	})
	if err != nil || n == 0 {
		// Not stored (or stored meanwhile by another sync): drop our file.
		if derr := db.Files.Delete(context.WithoutCancel(ctx), fileKey); derr != nil && err == nil {
			err = derr
		}
		if err != nil {
			return fmt.Errorf("insert document: %w", err)
		}
		return nil
	}
	return nil
}

const documentColumns = `id, connection_id, user_id, name, extension, mime, type, amount, currency, payment_date,
	size, sha1, file_key, created_at`

func scanDocument(row interface{ Scan(...any) error }) (*iswigo.Document, error) {
	var (
		d                 iswigo.Document
		amount            sql.NullInt64
		currency, payment sql.NullString
		created           int64
	)
	if err := row.Scan(&d.ID, &d.ConnectionID, &d.UserID, &d.Name, &d.Extension, &d.Mime, &d.Type, &amount, &currency,
		&payment, &d.Size, &d.SHA1, &d.FileKey, &created); err != nil {
		return nil, err
	}
	if amount.Valid {
		d.Amount = &iswigo.Money{Minor: amount.Int64, Currency: currency.String}
	}
	var err error
	if d.PaymentDate, err = parseDate(payment); err != nil {
		return nil, err
	}
	d.CreatedAt = time.UnixMicro(created).UTC()
	return &d, nil
}

// userInApp is the condition that scopes a query on user_id to an app.
const userInApp = `user_id = $1 AND EXISTS (SELECT 1 FROM users u WHERE u.id = $1 AND u.app_id = $2)`

// FindDocuments implements iswigo.DocumentService.
func (db *DB) FindDocuments(ctx context.Context, f iswigo.DocumentFilter) ([]*iswigo.Document, int, error) {
	where, args := userInApp, []any{f.UserID, f.AppID}
	if f.Type != "" {
		args = append(args, f.Type)
		where += ` AND type = $3`
	}
	var total int
	if err := db.queryRowRead(ctx, `SELECT COUNT(*) FROM documents WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count documents: %w", err)
	}
	docs := []*iswigo.Document{}
	if f.Range.From >= total {
		return docs, total, nil
	}
	args = append(args, f.Range.Limit(), f.Range.From)
	rows, err := db.queryRead(ctx, `SELECT `+documentColumns+` FROM documents WHERE `+where+
		fmt.Sprintf(` ORDER BY created_at DESC, id DESC LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("query documents: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("scan document: %w", err)
		}
		docs = append(docs, d)
	}
	return docs, total, rows.Err()
}

// FindDocumentByID implements iswigo.DocumentService.
func (db *DB) FindDocumentByID(ctx context.Context, appID, userID, id string) (*iswigo.Document, error) {
	if !iswigo.ValidID(id) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Document not found")
	}
	d, err := scanDocument(db.queryRowRead(ctx, `SELECT `+documentColumns+` FROM documents WHERE `+userInApp+` AND id = $3`,
		userID, appID, strings.ToLower(id)))
	if errNoRows(err) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Document not found")
	} else if err != nil {
		return nil, fmt.Errorf("find document: %w", err)
	}
	return d, nil
}

// OpenDocument implements iswigo.DocumentService.
func (db *DB) OpenDocument(ctx context.Context, d *iswigo.Document) (io.ReadCloser, error) {
	if db.Files == nil {
		return nil, fmt.Errorf("no file store configured")
	}
	return db.Files.Open(ctx, d.FileKey)
}

// fileKeys returns the file keys of the documents and statement files
// matching where, in tx.
func fileKeys(ctx context.Context, tx *sql.Tx, where string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT file_key FROM documents WHERE `+where+
		` UNION ALL SELECT file_key FROM statement_files WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("document files: %w", err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

// deleteFiles removes files whose rows were deleted. A failure leaves an
// orphan for SweepOrphanFiles; it is returned for logging only.
func (db *DB) deleteFiles(ctx context.Context, keys []string) error {
	var first error
	for _, k := range keys {
		if err := db.Files.Delete(context.WithoutCancel(ctx), k); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// SweepOrphanFiles deletes document and statement files that no row names
// and that are older than before (files being written right now are
// younger). It returns how many it deleted.
func (db *DB) SweepOrphanFiles(ctx context.Context, before time.Time) (int, error) {
	if db.Files == nil {
		return 0, nil
	}
	deleted := 0
	for _, kind := range []struct{ prefix, table string }{{filePrefix, "documents"}, {statementPrefix, "statement_files"}} {
		n, err := db.sweepOrphans(ctx, kind.prefix, kind.table, before)
		deleted += n
		if err != nil {
			return deleted, err
		}
	}
	return deleted, nil
}

// sweepOrphans deletes the files under prefix older than before that no
// row of table names.
func (db *DB) sweepOrphans(ctx context.Context, prefix, table string, before time.Time) (int, error) {
	var candidates []string
	err := db.Files.List(ctx, prefix, func(key string, mod time.Time) error {
		if mod.Before(before) {
			candidates = append(candidates, key)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	deleted := 0
	for _, key := range candidates {
		var n int
		if err := db.queryRowRead(ctx, `SELECT COUNT(*) FROM `+table+` WHERE file_key = $1`, key).Scan(&n); err != nil {
			return deleted, err
		}
		if n == 0 {
			if err := db.Files.Delete(ctx, key); err != nil {
				return deleted, err
			}
			deleted++
		}
	}
	return deleted, nil
}
