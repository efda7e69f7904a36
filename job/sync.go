// SPDX-License-Identifier: Apache-2.0

package job

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivertype"
)

// SyncArgs is the job that synchronizes one connection.
type SyncArgs struct {
	ConnectionID string `json:"connection_id" river:"unique"`
	// Interactive: a person is present, so the sync may ask a step.
	Interactive bool `json:"interactive"`
}

// Kind implements river.JobArgs.
func (SyncArgs) Kind() string { return "sync_connection" }

// InsertOpts implements river.JobArgsWithInsertOpts: one sync job per
// connection (keyed by ConnectionID alone) from its insertion until it
// completes, enforced by River's unique index. A sync's job completes in
// the transaction that ends the sync (sqldb.BeginSyncJob).
func (SyncArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
		rivertype.JobStateRunning, rivertype.JobStateScheduled,
	}}}
}

type syncWorker struct {
	river.WorkerDefaults[SyncArgs]
	engine *Engine
}

// Work runs the connector. Failures with a retryable errno (1, 4) return
// an error while attempts remain, so River retries with back-off and the
// connection shows "pending"; any other outcome completes the job with the
// connection "finished" or "error".
func (w *syncWorker) Work(ctx context.Context, job *river.Job[SyncArgs]) error {
	e := w.engine
	logger := e.cfg.Logger.With("job", "sync_connection", "connection_id", job.Args.ConnectionID, "attempt", job.Attempt)
	conn, err := e.db.FindConnectionByIDAnyUser(ctx, job.Args.ConnectionID)
	if iswigo.ErrorCode(err) == iswigo.ENOTFOUND {
		return nil // deleted since
	} else if err != nil {
		return err
	}
	connector, ok := e.connectors.Connector(conn.ProviderID)
	var provider iswigo.Provider
	if ok {
		provider = connector.Provider()
	}
	complete := func(ctx context.Context, tx *sql.Tx) error {
		_, err := river.JobCompleteTx[*riverdatabasesql.Driver](ctx, tx, job)
		return err
	}
	session, err := e.db.BeginSyncJob(ctx, job.Args.ConnectionID, provider, job.Args.Interactive,
		sqldb.SyncJob{Complete: complete, Hold: e.db.JobHold(job.ID, e.clientID, job.Attempt)})
	if errors.Is(err, sqldb.ErrJobLost) {
		logger.Warn("sync not started: its job was taken over by another process")
		return err
	}
	if errors.Is(err, sqldb.ErrSyncNotQueued) || iswigo.ErrorCode(err) == iswigo.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	start := time.Now()
	var syncErr error
	if !ok {
		syncErr = iswigo.Fail(iswigo.ErrnoNotSupported, "no connector for provider %d", conn.ProviderID)
	} else if err := lapsedConsent(session, job.Args.Interactive); err != nil {
		syncErr = err
	} else {
		syncErr = runConnector(ctx, connector, session)
	}
	if ctx.Err() != nil && syncErr != nil {
		finishCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) || job.Attempt < job.MaxAttempts {
			// Stopped (shutdown, or the job timeout with attempts left): release for retry.
			if err := session.Finish(finishCtx, syncErr, false); err != nil {
				logger.Error("release sync", "error", err)
			}
			return fmt.Errorf("sync interrupted: %w", ctx.Err())
		}
		// The job timeout at the last attempt: the provider does not answer
		// in time; the sync ends in "error" (else "pending" would be queued
		// again by the scan, forever).
		syncErr = iswigo.Fail(iswigo.ErrnoUnavailable, "sync still running at the job timeout of its last attempt: %v", syncErr)
		ctx = finishCtx
	}
	errno := iswigo.ErrnoOf(syncErr)
	retry := syncErr != nil && errno.Retryable() && job.Attempt < job.MaxAttempts
	if err := session.Finish(ctx, syncErr, !retry); errors.Is(err, sqldb.ErrJobLost) {
		logger.Warn("sync stopped: its job was taken over by another process, which runs it again")
		return err
	} else if err != nil {
		return err
	}
	if e.cfg.Metrics != nil {
		outcome := "finished"
		if syncErr != nil && retry {
			outcome = "retry"
		} else if syncErr != nil {
			outcome = "error"
		}
		e.cfg.Metrics.ObserveSync(outcome, errno, time.Since(start))
	}
	attrs := []any{"provider_id", conn.ProviderID, "duration_ms", time.Since(start).Milliseconds()}
	switch {
	case syncErr == nil:
		logger.Info("sync finished", attrs...)
	case retry:
		logger.Warn("sync failed, will retry", append(attrs, "errno", int(errno), "error", syncErr)...)
		return syncErr
	default:
		logger.Info("sync failed", append(attrs, "errno", int(errno), "error", syncErr)...)
	}
	return nil
}

// runConnector runs c.Sync, turning a panic into errno 1.
func runConnector(ctx context.Context, c iswigo.Connector, s iswigo.SyncSession) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = iswigo.Fail(iswigo.ErrnoBug, "connector panic: %v\n%s", v, debug.Stack())
		}
	}()
	return c.Sync(ctx, s)
}

// retryPolicy doubles the delay from base at each attempt, ±25% jitter,
// capped at cap; byKind overrides it for some job kinds.
type retryPolicy struct {
	base, cap time.Duration
	byKind    map[string]retryPolicy
}

// NextRetry implements river.ClientRetryPolicy.
func (p retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	if k, ok := p.byKind[job.Kind]; ok {
		return k.NextRetry(job)
	}
	limit := p.cap
	if limit <= 0 {
		limit = 6 * time.Hour
	}
	d := p.base << min(max(job.Attempt-1, 0), 20)
	if d > limit || d <= 0 {
		d = limit
	}
	jitter := time.Duration(rand.Int64N(int64(d)/2+1)) - d/4
	return time.Now().Add(d + jitter)
}
