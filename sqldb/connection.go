// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
)

var _ iswigo.ConnectionService = (*DB)(nil)

const connectionColumns = `id, app_id, user_id, provider_id, created_at, login_masked, automatic_sync,
	last_synchronized_at, last_error_at, nb_errors, next_sync_at, status, step, progression, errno,
	redirect_url, step_message, consent_expires_at, redirect_uri, progress_key, progress_count, action_url`

// scanConnection scans connectionColumns.
func scanConnection(row interface{ Scan(...any) error }) (*iswigo.Connection, error) {
	var (
		c                         iswigo.Connection
		created                   int64
		lastSync, lastErr, nextAt sql.NullInt64
		step                      sql.NullString
		progression, errno        sql.NullInt64
		redirectURL, message      sql.NullString
		consent                   sql.NullInt64
		redirectURI, progressKey  sql.NullString
		progressCount             sql.NullInt64
		actionURL                 sql.NullString
	)
	if err := row.Scan(&c.ID, &c.AppID, &c.UserID, &c.ProviderID, &created, &c.LoginMasked, &c.AutomaticSync,
		&lastSync, &lastErr, &c.NbErrors, &nextAt, &c.Status, &step, &progression, &errno,
		&redirectURL, &message, &consent, &redirectURI, &progressKey, &progressCount, &actionURL); err != nil {
		return nil, err
	}
	c.RedirectURL, c.StepMessage, c.RedirectURI = redirectURL.String, message.String, redirectURI.String
	c.ActionURL = actionURL.String
	c.ConsentExpiration = timeFromMicros(consent)
	c.ProgressKey, c.ProgressCount = progressKey.String, int(progressCount.Int64)
	c.CreatedAt = timeFromMicros(sql.NullInt64{Int64: created, Valid: true})
	c.LastSynchronizedAt, c.LastErrorAt, c.NextSyncAt = timeFromMicros(lastSync), timeFromMicros(lastErr), timeFromMicros(nextAt)
	c.Step, c.Progression, c.Errno = step.String, int(progression.Int64), iswigo.Errno(errno.Int64)
	return &c, nil
}

func credentialsAAD(id string) []byte { return []byte("connections.credentials:" + id) }
func stateAAD(id string) []byte       { return []byte("connections.state:" + id) }
func stepAnswerAAD(id string) []byte  { return []byte("connections.step_answer:" + id) }

// sealJSON encrypts v as JSON bound to aad.
func (db *DB) sealJSON(ctx context.Context, v any, aad []byte) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return db.Cipher.Encrypt(ctx, b, aad)
}

// openJSON decrypts a sealJSON ciphertext into v.
func (db *DB) openJSON(ctx context.Context, sealed []byte, aad []byte, v any) error {
	b, err := db.Cipher.Decrypt(ctx, sealed, aad)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// CreateConnection implements iswigo.ConnectionService.
func (db *DB) CreateConnection(ctx context.Context, c *iswigo.Connection) error {
	c.ID = iswigo.NewID()
	now := db.Now().UTC()
	c.CreatedAt, c.Status, c.Step, c.Progression, c.Errno = now, iswigo.StatusPending, "", 0, 0
	c.LoginMasked = iswigo.MaskLogin(c.Credentials["login"])
	c.NextSyncAt = db.nextSyncAt(c.ID, now)
	creds, err := db.sealJSON(ctx, c.Credentials, credentialsAAD(c.ID))
	if err != nil {
		return fmt.Errorf("encrypt credentials: %w", err)
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO connections (id, app_id, user_id, provider_id, login_masked, credentials,
			automatic_sync, status, sync_interactive, next_sync_at, status_updated_at, created_at, updated_at,
			redirect_uri, psu_ip, psu_user_agent)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
			c.ID, c.AppID, c.UserID, c.ProviderID, c.LoginMasked, creds, c.AutomaticSync, c.Status, true,
			c.NextSyncAt.UnixMicro(), now.UnixMicro(), now.UnixMicro(), now.UnixMicro(),
			nullString(c.RedirectURI), nullString(c.PSUIPAddress), nullString(c.PSUUserAgent))
		if err != nil {
			return fmt.Errorf("insert connection: %w", err)
		}
		if err := db.insertEvent(ctx, tx, c.AppID, c.UserID, iswigo.EventConnectionCreated, connectionEventData{c.ID, c.UserID, c.ProviderID}); err != nil {
			return err
		}
		return db.queueSync(ctx, tx, c, true)
	})
}

// queueSync records c as pending (already set in c) with its event and
// inserts the sync job, in tx.
func (db *DB) queueSync(ctx context.Context, tx *sql.Tx, c *iswigo.Connection, interactive bool) error {
	if err := db.insertEvent(ctx, tx, c.AppID, c.UserID, iswigo.EventConnectionStatus, statusEventData(c)); err != nil {
		return err
	}
	if db.Hooks == nil {
		return nil
	}
	_, err := db.Hooks.EnqueueSync(ctx, tx, iswigo.SyncRequest{ConnectionID: c.ID, Interactive: interactive})
	return err
}

// FindConnectionByID implements iswigo.ConnectionService.
func (db *DB) FindConnectionByID(ctx context.Context, appID, userID, id string) (*iswigo.Connection, error) {
	if !iswigo.ValidID(id) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Connection not found")
	}
	row := db.queryRowRead(ctx, `SELECT `+connectionColumns+` FROM connections WHERE app_id = $1 AND user_id = $2 AND id = $3`,
		appID, userID, strings.ToLower(id))
	c, err := scanConnection(row)
	if errNoRows(err) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Connection not found")
	} else if err != nil {
		return nil, fmt.Errorf("find connection: %w", err)
	}
	return c, nil
}

// FindConnections implements iswigo.ConnectionService.
func (db *DB) FindConnections(ctx context.Context, f iswigo.ConnectionFilter) ([]*iswigo.Connection, int, error) {
	where, args := `app_id = $1 AND user_id = $2`, []any{f.AppID, f.UserID}
	if f.ProviderIDs != nil {
		if len(f.ProviderIDs) == 0 {
			return []*iswigo.Connection{}, 0, nil
		}
		var ph []string
		for _, id := range f.ProviderIDs {
			args = append(args, id)
			ph = append(ph, fmt.Sprintf("$%d", len(args)))
		}
		where += ` AND provider_id IN (` + strings.Join(ph, ", ") + `)`
	}
	var total int
	if err := db.queryRowRead(ctx, `SELECT COUNT(*) FROM connections WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count connections: %w", err)
	}
	conns := []*iswigo.Connection{}
	if f.Range.From >= total {
		return conns, total, nil
	}
	args = append(args, f.Range.Limit(), f.Range.From)
	rows, err := db.queryRead(ctx, `SELECT `+connectionColumns+` FROM connections WHERE `+where+
		fmt.Sprintf(` ORDER BY id LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("query connections: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanConnection(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("scan connection: %w", err)
		}
		conns = append(conns, c)
	}
	return conns, total, rows.Err()
}

// FindConnectionCredentials returns the decrypted credentials of a
// connection of the user (for the funnel's edit form: never sent as is).
func (db *DB) FindConnectionCredentials(ctx context.Context, appID, userID, id string) (map[string]string, error) {
	var sealed []byte
	err := db.queryRowRead(ctx, `SELECT credentials FROM connections WHERE app_id = $1 AND user_id = $2 AND id = $3`,
		appID, userID, id).Scan(&sealed)
	if errNoRows(err) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Connection not found")
	} else if err != nil {
		return nil, err
	}
	var creds map[string]string
	if err := db.openJSON(ctx, sealed, credentialsAAD(id), &creds); err != nil {
		return nil, fmt.Errorf("decrypt credentials of %s: %w", id, err)
	}
	return creds, nil
}

// lockConnection reads a connection in tx (a write transaction: on SQLite
// the single writer, on PostgreSQL a row lock).
func (db *DB) lockConnection(ctx context.Context, tx *sql.Tx, where string, args ...any) (*iswigo.Connection, error) {
	q := `SELECT ` + connectionColumns + ` FROM connections WHERE ` + where
	if db.dialect == Postgres {
		q += ` FOR UPDATE`
	}
	c, err := scanConnection(tx.QueryRowContext(ctx, q, args...))
	if errNoRows(err) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Connection not found")
	}
	return c, err
}

// writeStatus stores c's status fields and emits its connection.status event, in tx.
func (db *DB) writeStatus(ctx context.Context, tx *sql.Tx, c *iswigo.Connection) error {
	now := db.now()
	var step, redirectURL, message sql.NullString
	var progression, errno, progressCount sql.NullInt64
	var progressKey, actionURL sql.NullString
	switch c.Status {
	case iswigo.StatusWaitingUser:
		step, message = nullString(c.Step), nullString(c.StepMessage)
		if c.Step == iswigo.StepRedirect {
			redirectURL = nullString(c.RedirectURL)
		}
	case iswigo.StatusInProgress:
		progression = sql.NullInt64{Int64: int64(c.Progression), Valid: true}
		if c.ProgressKey != "" {
			progressKey, progressCount = nullString(c.ProgressKey), sql.NullInt64{Int64: int64(c.ProgressCount), Valid: true}
		}
	case iswigo.StatusError:
		errno = sql.NullInt64{Int64: int64(c.Errno), Valid: true}
		// The provider's words for the person, from the failure (Finish).
		message, actionURL = nullString(c.StepMessage), nullString(c.ActionURL)
	}
	_, err := tx.ExecContext(ctx, `UPDATE connections SET status = $2, step = $3, progression = $4, errno = $5,
		last_synchronized_at = $6, last_error_at = $7, nb_errors = $8, next_sync_at = $9, status_updated_at = $10,
		updated_at = $10, redirect_url = $11, step_message = $12, progress_key = $13, progress_count = $14,
		action_url = $15 WHERE id = $1`,
		c.ID, c.Status, step, progression, errno, microsOrNull(c.LastSynchronizedAt), microsOrNull(c.LastErrorAt),
		c.NbErrors, microsOrNull(c.NextSyncAt), now, redirectURL, message, progressKey, progressCount, actionURL)
	if err != nil {
		return fmt.Errorf("update connection status: %w", err)
	}
	return db.insertEvent(ctx, tx, c.AppID, c.UserID, iswigo.EventConnectionStatus, statusEventData(c))
}

// UpdateConnectionCredentials implements iswigo.ConnectionService.
func (db *DB) UpdateConnectionCredentials(ctx context.Context, c *iswigo.Connection, credentials map[string]string) error {
	var sealed []byte
	if credentials != nil {
		var err error
		if sealed, err = db.sealJSON(ctx, credentials, credentialsAAD(c.ID)); err != nil {
			return fmt.Errorf("encrypt credentials: %w", err)
		}
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		cur, err := db.lockConnection(ctx, tx, `app_id = $1 AND user_id = $2 AND id = $3`, c.AppID, c.UserID, c.ID)
		if err != nil {
			return err
		}
		cur.AutomaticSync, cur.RedirectURI = c.AutomaticSync, c.RedirectURI
		if credentials != nil {
			cur.LoginMasked = iswigo.MaskLogin(credentials["login"])
		}
		if _, err := tx.ExecContext(ctx, `UPDATE connections SET automatic_sync = $2, login_masked = $3,
			credentials = COALESCE($4, credentials), updated_at = $5, redirect_uri = $6, psu_ip = $7,
			psu_user_agent = $8 WHERE id = $1`,
			cur.ID, cur.AutomaticSync, cur.LoginMasked, sealed, db.now(), nullString(cur.RedirectURI),
			nullString(c.PSUIPAddress), nullString(c.PSUUserAgent)); err != nil {
			return fmt.Errorf("update connection: %w", err)
		}
		if credentials != nil && !cur.Running() {
			// New credentials clear the error state and are tried at once.
			cur.Status, cur.Errno, cur.NbErrors, cur.Step, cur.Progression = iswigo.StatusPending, 0, 0, "", 0
			if err := db.writeStatus(ctx, tx, cur); err != nil {
				return err
			}
			if db.Hooks != nil {
				if _, err := db.Hooks.EnqueueSync(ctx, tx, iswigo.SyncRequest{ConnectionID: cur.ID, Interactive: true}); err != nil {
					return err
				}
			}
		}
		*c = *cur
		return nil
	})
}

// DeleteConnection implements iswigo.ConnectionService.
func (db *DB) DeleteConnection(ctx context.Context, appID, userID, id string) error {
	if !iswigo.ValidID(id) {
		return iswigo.Errorf(iswigo.ENOTFOUND, "Connection not found")
	}
	var files []string
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		c, err := db.lockConnection(ctx, tx, `app_id = $1 AND user_id = $2 AND id = $3`, appID, userID, strings.ToLower(id))
		if err != nil {
			return err
		}
		if files, err = fileKeys(ctx, tx, `connection_id = $1`, c.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM connections WHERE id = $1`, c.ID); err != nil {
			return fmt.Errorf("delete connection: %w", err)
		}
		return db.insertEvent(ctx, tx, appID, userID, iswigo.EventConnectionDeleted, connectionEventData{c.ID, userID, c.ProviderID})
	})
	if err != nil {
		return err
	}
	if err := db.deleteFiles(ctx, files); err != nil {
		return fmt.Errorf("connection deleted, some files left for the sweep: %w", err)
	}
	return nil
}

// RequestSync implements iswigo.ConnectionService.
func (db *DB) RequestSync(ctx context.Context, appID, userID string, req iswigo.SyncRequest) (*iswigo.Connection, error) {
	if !iswigo.ValidID(req.ConnectionID) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Connection not found")
	}
	var c *iswigo.Connection
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = db.lockConnection(ctx, tx, `app_id = $1 AND user_id = $2 AND id = $3`, appID, userID, strings.ToLower(req.ConnectionID))
		if err != nil {
			return err
		}
		if c.Running() {
			return db.resumeOrphanedSync(ctx, tx, c, req.Interactive)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE connections SET psu_ip = $2, psu_user_agent = $3 WHERE id = $1`,
			c.ID, nullString(req.PSUIPAddress), nullString(req.PSUUserAgent)); err != nil {
			return err
		}
		if req.RedirectURI != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE connections SET redirect_uri = $2 WHERE id = $1`, c.ID, req.RedirectURI); err != nil {
				return err
			}
			c.RedirectURI = req.RedirectURI
		}
		return db.startSync(ctx, tx, c, req.Interactive)
	})
	return c, err
}

// resumeOrphanedSync, in tx with c locked and running, queues c's sync
// again if it was orphaned: its job was lost (a new one is queued) or its
// process died (its job is released at once). A sync alive elsewhere is
// left alone: one sync at a time, the caller answers with its status.
func (db *DB) resumeOrphanedSync(ctx context.Context, tx *sql.Tx, c *iswigo.Connection, interactive bool) error {
	if db.Hooks == nil {
		return nil
	}
	j, err := db.Hooks.EnqueueSync(ctx, tx, iswigo.SyncRequest{ConnectionID: c.ID, Interactive: interactive})
	if err != nil {
		return err
	}
	if !j.Existing { // the job was lost: the new one takes over
		if _, err := tx.ExecContext(ctx, `UPDATE connections SET sync_interactive = $2 WHERE id = $1`, c.ID, interactive); err != nil {
			return err
		}
	} else if outcome, err := db.releaseRunningJob(ctx, tx, j.JobID, time.Now().UnixMicro()); err != nil || outcome == jobNotOrphaned {
		return err
	} else if outcome == jobDiscarded {
		return db.failCrashedSync(ctx, tx, c)
	}
	if c.Status == iswigo.StatusPending {
		return nil
	}
	c.Status, c.Step, c.Progression = iswigo.StatusPending, "", 0
	return db.writeStatus(ctx, tx, c)
}

// startSync sets c pending and queues its sync, in tx.
func (db *DB) startSync(ctx context.Context, tx *sql.Tx, c *iswigo.Connection, interactive bool) error {
	c.Status, c.Step, c.Progression, c.Errno = iswigo.StatusPending, "", 0, 0
	if _, err := tx.ExecContext(ctx, `UPDATE connections SET sync_interactive = $2, step_answer = NULL WHERE id = $1`, c.ID, interactive); err != nil {
		return err
	}
	if !interactive { // nobody present: no person to describe
		if _, err := tx.ExecContext(ctx, `UPDATE connections SET psu_ip = NULL, psu_user_agent = NULL WHERE id = $1`, c.ID); err != nil {
			return err
		}
	}
	if err := db.writeStatus(ctx, tx, c); err != nil {
		return err
	}
	if db.Hooks == nil {
		return nil
	}
	_, err := db.Hooks.EnqueueSync(ctx, tx, iswigo.SyncRequest{ConnectionID: c.ID, Interactive: interactive})
	return err
}

// AnswerStep implements iswigo.ConnectionService. The answer is stored
// encrypted on the connection; the sync, in whatever process, picks it up.
func (db *DB) AnswerStep(ctx context.Context, appID, userID, id string, answer map[string]string) (*iswigo.Connection, error) {
	if !iswigo.ValidID(id) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Connection not found")
	}
	sealed, err := db.sealJSON(ctx, answer, stepAnswerAAD(strings.ToLower(id)))
	if err != nil {
		return nil, err
	}
	var c *iswigo.Connection
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = db.lockConnection(ctx, tx, `app_id = $1 AND user_id = $2 AND id = $3`, appID, userID, strings.ToLower(id))
		if err != nil {
			return err
		}
		if c.Status != iswigo.StatusWaitingUser {
			return iswigo.Errorf(iswigo.EINVALID, iswigo.MsgStepNotAvailable)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE connections SET step_answer = $2 WHERE id = $1`, c.ID, sealed); err != nil {
			return err
		}
		c.Status, c.Step = iswigo.StatusPending, ""
		return db.writeStatus(ctx, tx, c)
	})
	return c, err
}

// nextSyncAt returns when the connection id, synchronized at t, is next
// due: one SyncInterval later in steady state, in a slot of the interval
// fixed by its id (syncSlot), so that due times spread evenly.
func (db *DB) nextSyncAt(id string, t time.Time) time.Time {
	interval := db.SyncInterval
	if interval <= 0 {
		interval = 24 * time.Hour
	}
	return syncSlot(id, t, interval)
}

// FindConnectionByIDAnyUser returns a connection whatever its user: for
// the job engine only, never for a request.
func (db *DB) FindConnectionByIDAnyUser(ctx context.Context, id string) (*iswigo.Connection, error) {
	c, err := scanConnection(db.queryRowRead(ctx, `SELECT `+connectionColumns+` FROM connections WHERE id = $1`, id))
	if errNoRows(err) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Connection not found")
	} else if err != nil {
		return nil, fmt.Errorf("find connection: %w", err)
	}
	return c, nil
}
