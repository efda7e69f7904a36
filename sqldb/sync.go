// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
)

// ErrSyncNotQueued is returned by BeginSync for a connection that has no
// sync queued (a stale or duplicate job): the job has nothing to do.
var ErrSyncNotQueued = errors.New("no sync queued for this connection")

// Sync is one synchronization of a connection: the iswigo.SyncSession a
// connector sees. It is used by one goroutine.
type Sync struct {
	db          *DB
	conn        *iswigo.Connection
	provider    iswigo.Provider
	interactive bool
	creds       map[string]string
	state       []byte
	job         SyncJob // the job running the sync; zero for BeginSync
	now         time.Time
	psuIP       string // the person present, when the provider wants it
	psuAgent    string

	accounts    map[string]*syncAccount // by connector key
	occurrences map[occurrenceKey]int   // identical transactions seen this sync
	keyBuf      []byte                  // scratch space of transactionKey
}

// syncAccount is an account put during the sync.
type syncAccount struct {
	id, currency string
}

var _ iswigo.SyncSession = (*Sync)(nil)

// BeginSync starts the queued sync of a connection for the connector of
// provider: it sets the connection "in progress" and returns the session.
// Returns ENOTFOUND when the connection is gone, ErrSyncNotQueued when no
// sync is queued or running (a stale job).
func (db *DB) BeginSync(ctx context.Context, connectionID string, provider iswigo.Provider, interactive bool) (*Sync, error) {
	return db.BeginSyncJob(ctx, connectionID, provider, interactive, SyncJob{})
}

// TxFunc runs in a store transaction.
type TxFunc func(ctx context.Context, tx *sql.Tx) error

// SyncJob is the job that runs a sync (see BeginSyncJob).
type SyncJob struct {
	// Complete ends the job, in the transaction that takes the connection
	// out of its running states.
	Complete TxFunc
	// Hold fences the sync's writes: it runs first in each of the sync's
	// write transactions and returns ErrJobLost once the job is no longer
	// this process's attempt (released to another process, see
	// DB.JobHold). Nil: no fence.
	Hold TxFunc
}

// ErrJobLost is returned by a sync's writes once its job was taken from
// this process (its lease lapsed and another process released the job):
// nothing more of this sync is written; the new attempt does the work.
var ErrJobLost = errors.New("sync's job taken over by another process: nothing more is written")

// BeginSyncJob is BeginSync for the job that runs the sync: job.Complete
// ends that job, in the transaction that takes the connection out of its
// running states (BeginSync finding no sync queued, or Finish with a final
// outcome). So no instant exists where the connection is idle and its job
// still running, and a new job of the connection (unique per connection)
// is never refused for a sync about to end. job.Hold fences every write
// transaction of the sync, this one included.
func (db *DB) BeginSyncJob(ctx context.Context, connectionID string, provider iswigo.Provider, interactive bool, job SyncJob) (*Sync, error) {
	s := &Sync{db: db, provider: provider, interactive: interactive, now: db.Now().UTC(), job: job,
		accounts: map[string]*syncAccount{}, occurrences: map[occurrenceKey]int{}}
	notQueued := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		c, err := db.lockConnection(ctx, tx, `id = $1`, connectionID)
		if err != nil {
			return err
		}
		if !c.Running() {
			notQueued = true
			if job.Complete != nil {
				return job.Complete(ctx, tx)
			}
			return nil
		}
		var creds, state []byte
		var psuIP, psuAgent sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT credentials, state, psu_ip, psu_user_agent FROM connections WHERE id = $1`,
			c.ID).Scan(&creds, &state, &psuIP, &psuAgent); err != nil {
			return err
		}
		if interactive && provider.Properties.WantsPSUContext {
			s.psuIP, s.psuAgent = psuIP.String, psuAgent.String
		}
		if err := db.openJSON(ctx, creds, credentialsAAD(c.ID), &s.creds); err != nil {
			return fmt.Errorf("decrypt credentials of %s: %w", c.ID, err)
		}
		if len(state) > 0 {
			if s.state, err = db.Cipher.Decrypt(ctx, state, stateAAD(c.ID)); err != nil {
				return fmt.Errorf("decrypt state of %s: %w", c.ID, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE connections SET step_answer = NULL WHERE id = $1`, c.ID); err != nil {
			return err
		}
		c.Status, c.Step, c.Progression = iswigo.StatusInProgress, "", 0
		s.conn = c
		return db.writeStatus(ctx, tx, c)
	})
	if err != nil {
		return nil, err
	}
	if notQueued {
		return nil, ErrSyncNotQueued
	}
	return s, nil
}

// inTx runs fn in a store transaction after the job's fence (SyncJob.Hold).
func (s *Sync) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		if s.job.Hold != nil {
			if err := s.job.Hold(ctx, tx); err != nil {
				return err
			}
		}
		return fn(tx)
	})
}

// Connection returns the connection being synchronized.
func (s *Sync) Connection() *iswigo.Connection { return s.conn }

// Credentials implements iswigo.SyncSession.
func (s *Sync) Credentials() map[string]string { return s.creds }

// Interactive implements iswigo.SyncSession.
func (s *Sync) Interactive() bool { return s.interactive }

// Now implements iswigo.SyncSession.
func (s *Sync) Now() time.Time { return s.now }

// State implements iswigo.SyncSession.
func (s *Sync) State() []byte { return s.state }

// SaveState implements iswigo.SyncSession.
func (s *Sync) SaveState(ctx context.Context, state []byte) error {
	sealed, err := s.db.Cipher.Encrypt(ctx, state, stateAAD(s.conn.ID))
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE connections SET state = $2 WHERE id = $1`, s.conn.ID, sealed)
		return err
	})
	if err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	s.state = append([]byte(nil), state...)
	return nil
}

// Progress implements iswigo.SyncSession. Progress never goes backwards.
func (s *Sync) Progress(ctx context.Context, percent int) error {
	percent = min(max(percent, 0), 100)
	if percent <= s.conn.Progression && s.conn.Status == iswigo.StatusInProgress {
		return nil
	}
	s.conn.Status, s.conn.Progression = iswigo.StatusInProgress, percent
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.db.writeStatus(ctx, tx, s.conn) })
}

// Ask implements iswigo.SyncSession: the connection waits in "waiting
// user" and the answer comes through the database (AnswerStep), so the API
// and this worker may be different processes.
func (s *Sync) Ask(ctx context.Context, step string) (map[string]string, error) {
	return s.AskWithMessage(ctx, step, "")
}

// AskWithMessage implements iswigo.StepMessageSession: Ask, with the
// provider's message shown while the step waits.
func (s *Sync) AskWithMessage(ctx context.Context, step, message string) (map[string]string, error) {
	if !s.interactive {
		return nil, iswigo.Fail(iswigo.ErrnoSCARequired, "step %q needs a person and the sync runs in the background", step)
	}
	if _, ok := s.provider.Inputs[step]; !ok {
		return nil, fmt.Errorf("connector asked for step %q, which provider %d does not define", step, s.provider.ID)
	}
	progression := s.conn.Progression
	s.conn.Status, s.conn.Step, s.conn.StepMessage = iswigo.StatusWaitingUser, step, iswigo.OneLine(message, 500)
	if err := s.inTx(ctx, func(tx *sql.Tx) error { return s.db.writeStatus(ctx, tx, s.conn) }); err != nil {
		return nil, err
	}
	timeout := s.db.StepTimeout
	if timeout <= 0 {
		timeout = 5 * time.Minute
	}
	return s.waitAnswer(ctx, progression, timeout, step)
}

// takeAnswer returns the step answer if one arrived (and clears it, back
// "in progress"), nil otherwise.
func (s *Sync) takeAnswer(ctx context.Context, progression int) (map[string]string, error) {
	var sealed []byte
	err := s.db.queryRowRead(ctx, `SELECT step_answer FROM connections WHERE id = $1`, s.conn.ID).Scan(&sealed)
	if errNoRows(err) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Connection deleted during its sync")
	} else if err != nil || sealed == nil {
		return nil, err
	}
	var answer map[string]string
	if err := s.db.openJSON(ctx, sealed, stepAnswerAAD(s.conn.ID), &answer); err != nil {
		return nil, fmt.Errorf("decrypt step answer: %w", err)
	}
	s.conn.Status, s.conn.Step, s.conn.StepMessage, s.conn.Progression = iswigo.StatusInProgress, "", "", progression
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE connections SET step_answer = NULL WHERE id = $1`, s.conn.ID); err != nil {
			return err
		}
		return s.db.writeStatus(ctx, tx, s.conn)
	})
	if err != nil {
		return nil, err
	}
	return answer, nil
}

// PutAccount implements iswigo.SyncSession.
func (s *Sync) PutAccount(ctx context.Context, a *iswigo.ConnectorAccount) error {
	if a.Key == "" || a.Currency == "" || a.Type == "" {
		return fmt.Errorf("account without key, type or currency")
	}
	var balance sql.NullInt64
	if a.Balance != nil {
		if a.Balance.Currency != "" && a.Balance.Currency != a.Currency {
			return fmt.Errorf("account %s: balance in %s, account in %s", a.Key, a.Balance.Currency, a.Currency)
		}
		balance = sql.NullInt64{Int64: a.Balance.Minor, Valid: true}
	}
	now := s.db.now()
	var id string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO accounts (id, connection_id, user_id, key, parent_key, type, name,
			number, bban, iban, balance, currency, is_professional, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
			ON CONFLICT (connection_id, key) DO UPDATE SET parent_key = excluded.parent_key, type = excluded.type,
			name = excluded.name, number = excluded.number, bban = excluded.bban, iban = excluded.iban,
			balance = excluded.balance, currency = excluded.currency, is_professional = excluded.is_professional,
			updated_at = excluded.updated_at
			RETURNING id`,
			iswigo.NewID(), s.conn.ID, s.conn.UserID, a.Key, nullString(a.ParentKey), a.Type, a.Name, nullString(a.Number),
			nullString(a.BBAN), nullString(a.IBAN), balance, a.Currency, a.Professional, now).Scan(&id)
	})
	if err != nil {
		return fmt.Errorf("put account: %w", err)
	}
	if prev, ok := s.accounts[a.Key]; ok {
		prev.currency = a.Currency
	} else {
		s.accounts[a.Key] = &syncAccount{id: id, currency: a.Currency}
	}
	return nil
}

// transactionBatch returns how many rows one INSERT carries: many on
// PostgreSQL (fewer round trips); few on SQLite, whose driver looks up each
// parameter's name linearly, so that long statements cost quadratic time.
func (db *DB) transactionBatch() int {
	if db.dialect == Postgres {
		return 100
	}
	return sqliteTransactionBatch
}

var sqliteTransactionBatch = 64

// PutTransactions implements iswigo.SyncSession. Each transaction is
// keyed by its provider id or, without one, by a fingerprint of its
// dates, amount, normalized wording and occurrence index among identical
// ones of this sync; keys already stored are skipped, so a resync writes
// nothing and no id changes.
func (s *Sync) PutTransactions(ctx context.Context, accountKey string, txs []iswigo.ConnectorTransaction) error {
	_, err := s.putTransactions(ctx, accountKey, txs)
	return err
}

// putTransactions is PutTransactions; it returns how many were new.
func (s *Sync) putTransactions(ctx context.Context, accountKey string, txs []iswigo.ConnectorTransaction) (int, error) {
	acc, ok := s.accounts[accountKey]
	if !ok {
		return 0, fmt.Errorf("transactions for account %q, which was not put in this sync", accountKey)
	}
	if len(txs) == 0 {
		return 0, nil
	}
	keys := make([]string, len(txs))
	seen := make(map[string]bool, len(txs))
	for i := range txs {
		t := &txs[i]
		if t.OperationDate.IsZero() {
			return 0, fmt.Errorf("transaction without operation date on account %q", accountKey)
		}
		if t.Amount.Currency != "" && t.Amount.Currency != acc.currency {
			return 0, fmt.Errorf("transaction in %s on account %q in %s", t.Amount.Currency, accountKey, acc.currency)
		}
		keys[i] = s.transactionKey(accountKey, t)
	}
	n := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		n = 0
		existing, err := existingKeys(ctx, tx, acc.id)
		if err != nil {
			return err
		}
		var rows []any
		for i := range txs {
			if existing[keys[i]] || seen[keys[i]] {
				continue
			}
			seen[keys[i]] = true
			t := &txs[i]
			rows = append(rows, iswigo.NewID(), acc.id, keys[i], t.OperationDate.String(), dateOrNull(t.ValueDate),
				dateOrNull(t.AccountingDate), dateOrNull(t.CCOrderMonth), nullString(t.CheckNumber), t.Amount.Minor,
				t.Wording, nullString(t.Text))
			n++
		}
		if err := insertTransactionRows(ctx, tx, rows, s.db.transactionBatch(), s.db.placeholder); err != nil {
			return err
		}
		if n > 0 {
			// Counted in the rows' transaction: a sync killed before Finish
			// still gets its transactions announced by the one that takes over.
			if _, err := tx.ExecContext(ctx, `UPDATE accounts SET transaction_count = transaction_count + $2,
				added_pending = added_pending + $2 WHERE id = $1`, acc.id, n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// transactionColumns is the column count of one inserted transaction row.
const transactionColumns = 11

// insertTransactionRows inserts rows (transactionColumns values each) in
// multi-row INSERTs of batch rows.
func insertTransactionRows(ctx context.Context, tx *sql.Tx, rows []any, batch int, placeholder func(int) string) error {
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	for len(rows) > 0 {
		count := min(len(rows)/transactionColumns, batch)
		query := insertTransactionsSQL(count, placeholder)
		var err error
		if count == batch {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, query); err != nil {
					return fmt.Errorf("prepare insert: %w", err)
				}
			}
			_, err = full.ExecContext(ctx, rows[:count*transactionColumns]...)
		} else {
			_, err = tx.ExecContext(ctx, query, rows[:count*transactionColumns]...)
		}
		if err != nil {
			return fmt.Errorf("insert transactions: %w", err)
		}
		rows = rows[count*transactionColumns:]
	}
	return nil
}

func insertTransactionsSQL(rows int, placeholder func(int) string) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO transactions (id, account_id, key, operation_date, value_date, accounting_date,
		cc_order_month, check_number, amount, wording, text) VALUES `)
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := 0; c < transactionColumns; c++ {
			if c > 0 {
				b.WriteByte(',')
			}
			b.WriteString(placeholder(r*transactionColumns + c + 1))
		}
		b.WriteByte(')')
	}
	return b.String()
}

// existingKeys returns the keys of the account's transactions. The query
// reads only the (account_id, key) unique index, never the rows.
func existingKeys(ctx context.Context, tx *sql.Tx, accountID string) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT key FROM transactions WHERE account_id = $1`, accountID)
	if err != nil {
		return nil, fmt.Errorf("existing transactions: %w", err)
	}
	defer rows.Close()
	keys := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		keys[k] = true
	}
	return keys, rows.Err()
}

// occurrenceKey identifies identical transactions of one account.
type occurrenceKey struct {
	account string
	base    [sha256.Size]byte
}

// transactionKey returns "p:<provider id>" or "f:<fingerprint>", the
// fingerprint hashing the operation and value dates, the amount, the
// normalized wording and the occurrence index of identical transactions
// of this sync.
func (s *Sync) transactionKey(accountKey string, t *iswigo.ConnectorTransaction) string {
	if t.ProviderID != "" {
		return "p:" + t.ProviderID
	}
	b := s.keyBuf[:0]
	b = t.OperationDate.AppendTo(b)
	b = append(b, '|')
	b = t.ValueDate.AppendTo(b)
	b = append(b, '|')
	b = strconv.AppendInt(b, t.Amount.Minor, 10)
	b = append(b, '|')
	b = appendNormalizedWording(b, t.Wording)
	ok := occurrenceKey{accountKey, sha256.Sum256(b)}
	occurrence := s.occurrences[ok]
	s.occurrences[ok] = occurrence + 1
	b = append(b, '#')
	b = strconv.AppendInt(b, int64(occurrence), 10)
	s.keyBuf = b
	sum := sha256.Sum256(b)
	var key [2 + 32]byte
	key[0], key[1] = 'f', ':'
	hex.Encode(key[2:], sum[:16])
	return string(key[:])
}

// appendNormalizedWording appends w upper-cased with runs of white space
// collapsed to one space and trimmed, so that cosmetic changes by the
// provider do not make a transaction new.
func appendNormalizedWording(b []byte, w string) []byte {
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 { // not ASCII: the general path
			return append(b, strings.Join(strings.Fields(strings.ToUpper(w)), " ")...)
		}
	}
	space := false
	start := len(b)
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			space = len(b) > start
			continue
		case 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = append(b, c)
	}
	return b
}

// PutDocument implements iswigo.SyncSession.
func (s *Sync) PutDocument(ctx context.Context, d *iswigo.ConnectorDocument, r io.Reader) error {
	return s.db.putDocument(ctx, s, d, r)
}

// announceAdded emits, in tx, the transactions.added event of every
// account of c with transactions stored but not yet announced (by this
// sync or by one that died), and documents.added likewise.
func (db *DB) announceAdded(ctx context.Context, tx *sql.Tx, c *iswigo.Connection) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, added_pending FROM accounts WHERE connection_id = $1 AND added_pending > 0 ORDER BY id`, c.ID)
	if err != nil {
		return err
	}
	type pending struct {
		id string
		n  int
	}
	var accounts []pending
	for rows.Next() {
		var p pending
		if err := rows.Scan(&p.id, &p.n); err != nil {
			rows.Close()
			return err
		}
		accounts = append(accounts, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range accounts {
		if err := db.insertEvent(ctx, tx, c.AppID, c.UserID, iswigo.EventTransactionsAdded, transactionsAddedData{c.ID, c.UserID, p.id, p.n}); err != nil {
			return err
		}
	}
	if len(accounts) > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET added_pending = 0 WHERE connection_id = $1`, c.ID); err != nil {
			return err
		}
	}
	var docs int
	if err := tx.QueryRowContext(ctx, `SELECT documents_pending FROM connections WHERE id = $1`, c.ID).Scan(&docs); err != nil {
		return err
	}
	if docs > 0 {
		if err := db.insertEvent(ctx, tx, c.AppID, c.UserID, iswigo.EventDocumentsAdded, documentsAddedData{c.ID, c.UserID, docs}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE connections SET documents_pending = 0 WHERE id = $1`, c.ID); err != nil {
			return err
		}
	}
	return nil
}

// Finish ends the sync. With syncErr nil the connection is "finished";
// otherwise, when final, it is "error" with syncErr's errno, and when not
// final (a retry is scheduled) it goes back to "pending". The
// transactions.added events of the accounts that got new transactions are
// emitted either way.
func (s *Sync) Finish(ctx context.Context, syncErr error, final bool) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		c, err := s.db.lockConnection(ctx, tx, `id = $1`, s.conn.ID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET parent_id = (SELECT p.id FROM accounts p
			WHERE p.connection_id = accounts.connection_id AND p.key = accounts.parent_key)
			WHERE connection_id = $1 AND parent_key IS NOT NULL`, c.ID); err != nil {
			return fmt.Errorf("link card accounts: %w", err)
		}
		if err := s.db.announceAdded(ctx, tx, c); err != nil {
			return err
		}
		now := s.db.Now().UTC()
		c.Step, c.Progression, c.Errno, c.StepMessage, c.ActionURL = "", 0, 0, "", ""
		switch {
		case syncErr == nil:
			c.Status, c.LastSynchronizedAt, c.NbErrors, c.NextSyncAt = iswigo.StatusFinished, now, 0, s.db.nextSyncAt(c.ID, now)
		case !final:
			c.Status = iswigo.StatusPending
		default:
			c.Status, c.Errno, c.LastErrorAt, c.NextSyncAt = iswigo.StatusError, iswigo.ErrnoOf(syncErr), now, s.db.nextSyncAt(c.ID, now)
			c.NbErrors++
			msg, actionURL := iswigo.UserFailureOf(syncErr)
			c.StepMessage, c.ActionURL = iswigo.OneLine(msg, 500), actionURL
		}
		s.conn = c
		if err := s.db.writeStatus(ctx, tx, c); err != nil {
			return err
		}
		if (syncErr == nil || final) && s.job.Complete != nil {
			if err := s.job.Complete(ctx, tx); err != nil {
				return err
			}
		}
		// After the job's completion: the next sync's unique job may be inserted.
		return s.db.syncAgainIfAsked(ctx, tx, c)
	})
	if iswigo.ErrorCode(err) == iswigo.ENOTFOUND {
		return nil // deleted during its sync
	}
	return err
}
