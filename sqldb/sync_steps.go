// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"time"

	"github.com/iswigo/iswigo"
)

var (
	_ iswigo.RedirectSession   = (*Sync)(nil)
	_ iswigo.DecoupledSession  = (*Sync)(nil)
	_ iswigo.ConsentSession    = (*Sync)(nil)
	_ iswigo.PSUContextSession = (*Sync)(nil)
	_ iswigo.CallbackService   = (*DB)(nil)
)

// stateHash is what is stored of a redirect state: its SHA-256, so that
// the database alone cannot forge a callback, and the lookup by hash is
// not a comparison of secrets.
func stateHash(state string) string {
	sum := sha256.Sum256([]byte(state))
	return hex.EncodeToString(sum[:])
}

// Redirect implements iswigo.RedirectSession. The state is 32 random
// bytes, stored hashed, bound to this connection's sync, deleted when
// Redirect returns (so a late or second callback finds nothing) and
// expiring with the step (RedirectTimeout). The callback's query comes
// through the database (CompleteRedirect), so the callback and this worker
// may be different processes.
func (s *Sync) Redirect(ctx context.Context, start func(ctx context.Context, callbackURL, state string) (string, error)) (map[string]string, error) {
	if !s.interactive {
		return nil, iswigo.Fail(iswigo.ErrnoSCARequired, "redirect step needs a person and the sync runs in the background")
	}
	if s.db.CallbackURL == "" {
		return nil, fmt.Errorf("redirect step: no callback URL configured")
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	state := base64.RawURLEncoding.EncodeToString(b[:])
	timeout := s.db.RedirectTimeout
	if timeout <= 0 {
		timeout = 15 * time.Minute
	}
	expires := s.db.Now().Add(timeout)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM redirect_states WHERE connection_id = $1`, s.conn.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO redirect_states (state_hash, connection_id, expires_at) VALUES ($1, $2, $3)`,
			stateHash(state), s.conn.ID, expires.UTC().UnixMicro())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store redirect state: %w", err)
	}
	defer func() {
		cleanCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		s.inTx(cleanCtx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(cleanCtx, `DELETE FROM redirect_states WHERE connection_id = $1`, s.conn.ID)
			return err
		})
	}()
	authorize, err := start(ctx, s.db.CallbackURL, state)
	if err != nil {
		return nil, err
	}
	if u, err := url.Parse(authorize); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("redirect step: the connector's authorization URL is not an absolute http(s) URL")
	}
	progression := s.conn.Progression
	s.conn.Status, s.conn.Step, s.conn.RedirectURL = iswigo.StatusWaitingUser, iswigo.StepRedirect, authorize
	if err := s.inTx(ctx, func(tx *sql.Tx) error { return s.db.writeStatus(ctx, tx, s.conn) }); err != nil {
		return nil, err
	}
	answer, err := s.waitAnswer(ctx, progression, timeout, iswigo.StepRedirect)
	if err != nil {
		return nil, err
	}
	if answer["error"] != "" && answer["code"] == "" {
		// The person refused, or the provider failed them: the error code
		// only (the description is the provider's text) goes to the log.
		return answer, iswigo.Fail(iswigo.ErrnoWrongStepAnswer, "authorization refused at the provider: %.40q", answer["error"])
	}
	return answer, nil
}

// waitAnswer polls the database for the answer to the step the
// connection waits on, until timeout (errno 5) or ctx ends.
func (s *Sync) waitAnswer(ctx context.Context, progression int, timeout time.Duration, step string) (map[string]string, error) {
	poll := s.db.StepPoll
	if poll <= 0 {
		poll = 250 * time.Millisecond
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	ticker := time.NewTicker(poll)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-deadline.C:
			return nil, iswigo.Fail(iswigo.ErrnoStepTimeout, "step %q not answered within %v", step, timeout)
		case <-ticker.C:
		}
		answer, err := s.takeAnswer(ctx, progression)
		if err != nil || answer != nil {
			return answer, err
		}
	}
}

// CompleteRedirect implements iswigo.CallbackService: it consumes the
// state (single use) and hands the query to the waiting sync.
func (db *DB) CompleteRedirect(ctx context.Context, state string, query map[string]string) (*iswigo.Connection, error) {
	notFound := iswigo.Errorf(iswigo.ENOTFOUND, "Unknown or expired authorization")
	if state == "" || len(state) > 512 {
		return nil, notFound
	}
	var c *iswigo.Connection
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var connID string
		var expires int64
		err := tx.QueryRowContext(ctx, `DELETE FROM redirect_states WHERE state_hash = $1 RETURNING connection_id, expires_at`,
			stateHash(state)).Scan(&connID, &expires)
		if errNoRows(err) {
			return notFound
		} else if err != nil {
			return err
		}
		if expires <= db.now() {
			return notFound
		}
		if c, err = db.lockConnection(ctx, tx, `id = $1`, connID); err != nil {
			return notFound
		}
		if c.Status != iswigo.StatusWaitingUser || c.Step != iswigo.StepRedirect {
			return notFound
		}
		sealed, err := db.sealJSON(ctx, query, stepAnswerAAD(c.ID))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE connections SET step_answer = $2 WHERE id = $1`, c.ID, sealed); err != nil {
			return err
		}
		c.Status, c.Step, c.RedirectURL = iswigo.StatusPending, "", ""
		return db.writeStatus(ctx, tx, c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Decoupled implements iswigo.DecoupledSession: the connection shows
// "waiting user" on the "decoupled" step with message while poll runs
// every interval (at least 10 ms), for at most DecoupledTimeout.
func (s *Sync) Decoupled(ctx context.Context, message string, interval time.Duration, poll func(ctx context.Context) (bool, error)) error {
	if !s.interactive {
		return iswigo.Fail(iswigo.ErrnoSCARequired, "decoupled step needs a person and the sync runs in the background")
	}
	timeout := s.db.DecoupledTimeout
	if timeout <= 0 {
		timeout = 5 * time.Minute
	}
	interval = max(interval, 10*time.Millisecond)
	progression := s.conn.Progression
	s.conn.Status, s.conn.Step, s.conn.StepMessage = iswigo.StatusWaitingUser, iswigo.StepDecoupled, message
	if err := s.inTx(ctx, func(tx *sql.Tx) error { return s.db.writeStatus(ctx, tx, s.conn) }); err != nil {
		return err
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		done, err := poll(ctx)
		if err != nil {
			return err
		}
		if done {
			s.conn.Status, s.conn.Step, s.conn.StepMessage, s.conn.Progression = iswigo.StatusInProgress, "", "", progression
			return s.inTx(ctx, func(tx *sql.Tx) error { return s.db.writeStatus(ctx, tx, s.conn) })
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline.C:
			return iswigo.Fail(iswigo.ErrnoStepTimeout, "decoupled step not approved within %v", timeout)
		case <-ticker.C:
		}
	}
}

// SetConsentExpiration implements iswigo.ConsentSession. A new expiration
// is announced again (connection.consent_expiring) when its time comes.
func (s *Sync) SetConsentExpiration(ctx context.Context, t time.Time) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE connections SET consent_expires_at = $2,
			consent_announced_at = CASE WHEN consent_announced_at = $2 THEN consent_announced_at ELSE NULL END
			WHERE id = $1`, s.conn.ID, microsOrNull(t))
		return err
	})
	if err != nil {
		return fmt.Errorf("set consent expiration: %w", err)
	}
	s.conn.ConsentExpiration = t.UTC()
	return nil
}

// ConsentLapsed reports whether the connection's consent expired at the
// start of this sync.
func (s *Sync) ConsentLapsed() bool {
	return !s.conn.ConsentExpiration.IsZero() && !s.now.Before(s.conn.ConsentExpiration)
}

// PSUContext implements iswigo.PSUContextSession: known only on an
// interactive sync of a provider that wants it.
func (s *Sync) PSUContext() (string, string) { return s.psuIP, s.psuAgent }

var _ iswigo.ProgressMessageSession = (*Sync)(nil)

// progressKeys are the message keys the funnel translates.
var progressKeys = map[string]bool{"connecting": true, "accounts_found": true, "transactions": true, "documents": true}

// ProgressMessage implements iswigo.ProgressMessageSession. An unknown key
// is an error (the funnel could not say it); the percentage never goes
// backwards, but a new message at the same percentage is written.
func (s *Sync) ProgressMessage(ctx context.Context, percent int, key string, count int) error {
	if !progressKeys[key] {
		return fmt.Errorf("progress message key %q: want connecting, accounts_found, transactions or documents", key)
	}
	percent = min(max(percent, 0), 100)
	if s.conn.Status == iswigo.StatusInProgress {
		percent = max(percent, s.conn.Progression)
	}
	s.conn.Status, s.conn.Progression, s.conn.ProgressKey, s.conn.ProgressCount = iswigo.StatusInProgress, percent, key, max(count, 0)
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.db.writeStatus(ctx, tx, s.conn) })
}
