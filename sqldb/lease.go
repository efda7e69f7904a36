// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/iswigo/iswigo"
)

// LeaseClientPrefix starts the River client ID of every process that holds
// a lease. Running jobs of other client IDs (processes of a version without
// leases) are left to River's rescuer.
const LeaseClientPrefix = "iswigo-"

// Lease says that a process runs jobs. It lives while ExpiresAt is ahead.
type Lease struct {
	ClientID   string // River's client ID; starts with LeaseClientPrefix
	WorkerName string // stable across the restarts of one process
	Host       string
	PID        int
	StartedAt  time.Time
	ExpiresAt  time.Time
}

// ReleasedJob is a job taken back from a dead process.
type ReleasedJob struct {
	ID           int64
	Kind         string
	ConnectionID string // "" unless a sync_connection job
	Holder       string // the dead process's client ID
	// Discarded: its processes died MaxJobCrashes times; it was given up
	// rather than released (a sync's connection is in "error", errno 1).
	Discarded bool
}

// FindLeases returns the leases of a worker name.
func (db *DB) FindLeases(ctx context.Context, workerName string) ([]Lease, error) {
	rows, err := db.write.QueryContext(ctx, `SELECT client_id, worker_name, host, pid, started_at, expires_at
		FROM job_leases WHERE worker_name = $1 ORDER BY started_at`, workerName)
	if err != nil {
		return nil, fmt.Errorf("find leases: %w", err)
	}
	defer rows.Close()
	var out []Lease
	for rows.Next() {
		var l Lease
		var started, expires int64
		if err := rows.Scan(&l.ClientID, &l.WorkerName, &l.Host, &l.PID, &started, &expires); err != nil {
			return nil, err
		}
		l.StartedAt, l.ExpiresAt = time.UnixMicro(started).UTC(), time.UnixMicro(expires).UTC()
		out = append(out, l)
	}
	return out, rows.Err()
}

// TakeLease deletes the leases of dead (previous incarnations of this
// process, known to be gone) and inserts l, in one transaction. The River
// leadership of a dead incarnation is dropped too, so that the new process
// can be elected at once.
func (db *DB) TakeLease(ctx context.Context, l Lease, dead []string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		for _, id := range dead {
			if _, err := tx.ExecContext(ctx, `DELETE FROM job_leases WHERE client_id = $1`, id); err != nil {
				return fmt.Errorf("drop dead lease: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM river_leader WHERE leader_id = $1`, id); err != nil {
				return fmt.Errorf("drop dead leadership: %w", err)
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO job_leases (client_id, worker_name, host, pid, started_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, l.ClientID, l.WorkerName, l.Host, l.PID, l.StartedAt.UnixMicro(), l.ExpiresAt.UnixMicro())
		if err != nil {
			return fmt.Errorf("insert lease: %w", err)
		}
		return nil
	})
}

// RenewLease moves a lease's expiry to expiresAt. It reports false when the
// lease is gone: another process deemed this one dead and released its
// jobs, so this process must stop working them.
func (db *DB) RenewLease(ctx context.Context, clientID string, expiresAt time.Time) (bool, error) {
	res, err := db.write.ExecContext(ctx, `UPDATE job_leases SET expires_at = $2 WHERE client_id = $1`, clientID, expiresAt.UnixMicro())
	if err != nil {
		return false, fmt.Errorf("renew lease: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DropLease deletes a lease (a process that stopped cleanly).
func (db *DB) DropLease(ctx context.Context, clientID string) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM job_leases WHERE client_id = $1`, clientID); err != nil {
		return fmt.Errorf("drop lease: %w", err)
	}
	return nil
}

// jobHolderSQL is the client ID that last fetched a River job: the last
// element of attempted_by.
func (db *DB) jobHolderSQL() string {
	if db.dialect == Postgres {
		return `attempted_by[array_length(attempted_by, 1)]`
	}
	return `json_extract(attempted_by, '$[#-1]')`
}

// jobConnectionSQL is the connection_id argument of a River job.
func (db *DB) jobConnectionSQL() string {
	if db.dialect == Postgres {
		return `COALESCE(args->>'connection_id', '')`
	}
	return `COALESCE(json_extract(args, '$.connection_id'), '')`
}

// orphanedSQL is the condition of a running job whose process holds no
// live lease (binds $1 = now in Unix microseconds).
func (db *DB) orphanedSQL() string {
	holder := db.jobHolderSQL()
	return `state = 'running' AND ` + holder + ` LIKE '` + LeaseClientPrefix + `%' AND ` + holder +
		` NOT IN (SELECT client_id FROM job_leases WHERE expires_at > $1)`
}

// ReleaseOrphanedJobs deletes the leases that lapsed before now and
// releases the running jobs of processes without a live lease: they become
// available again at once (one more attempt is granted if the killed one
// was the last), and the connections of released syncs go back to
// "pending"; a job whose processes died MaxJobCrashes times is discarded
// instead, its connection in "error" (see releaseJob). Each connection is locked before its job, the order of the
// sync's own transactions.
func (db *DB) ReleaseOrphanedJobs(ctx context.Context, now time.Time) ([]ReleasedJob, error) {
	micros := now.UnixMicro()
	if _, err := db.write.ExecContext(ctx, `DELETE FROM job_leases WHERE expires_at <= $1`, micros); err != nil {
		return nil, fmt.Errorf("delete lapsed leases: %w", err)
	}
	rows, err := db.write.QueryContext(ctx, `SELECT id, kind, `+db.jobConnectionSQL()+`, `+db.jobHolderSQL()+`
		FROM river_job WHERE `+db.orphanedSQL()+` ORDER BY id`, micros)
	if err != nil {
		return nil, fmt.Errorf("find orphaned jobs: %w", err)
	}
	var candidates []ReleasedJob
	for rows.Next() {
		var j ReleasedJob
		if err := rows.Scan(&j.ID, &j.Kind, &j.ConnectionID, &j.Holder); err != nil {
			rows.Close()
			return nil, err
		}
		if j.Kind != syncJobKind {
			j.ConnectionID = ""
		}
		candidates = append(candidates, j)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(candidates, func(a, b ReleasedJob) int {
		return cmp.Or(cmp.Compare(a.ConnectionID, b.ConnectionID), cmp.Compare(a.ID, b.ID))
	})
	var released []ReleasedJob
	for _, j := range candidates {
		ok := false
		err := db.inTx(ctx, func(tx *sql.Tx) error {
			var err error
			ok, err = db.releaseJob(ctx, tx, &j, micros)
			return err
		})
		if err != nil {
			return released, err
		}
		if ok {
			released = append(released, j)
		}
	}
	return released, nil
}

// syncJobKind is the River kind of sync jobs (job.SyncArgs).
const syncJobKind = "sync_connection"

// MaxJobCrashes is how many times the processes running one job may die
// before the job is given up: released once more it would kill its next
// process too (a connector that crashes or exhausts the memory of every
// process that runs it). The job is then discarded and, for a sync, the
// connection ends in "error" with errno 1. The count is kept in the job's
// metadata (iswigo_crashes), so it survives the processes.
const MaxJobCrashes = 3

// releaseJob makes an orphaned running job available again, in tx, and
// sets its connection (if a sync's) "pending"; a job whose processes died
// MaxJobCrashes times is discarded instead, its connection "error". It
// reports false when the job is no longer orphaned.
func (db *DB) releaseJob(ctx context.Context, tx *sql.Tx, j *ReleasedJob, now int64) (bool, error) {
	var c *iswigo.Connection
	if j.ConnectionID != "" {
		var err error
		c, err = db.lockConnection(ctx, tx, `id = $1`, j.ConnectionID)
		if err != nil && iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
			return false, err
		}
	}
	outcome, err := db.releaseRunningJob(ctx, tx, j.ID, now)
	if err != nil || outcome == jobNotOrphaned {
		return false, err
	}
	j.Discarded = outcome == jobDiscarded
	if c == nil || !c.Running() {
		return true, nil
	}
	if j.Discarded {
		return true, db.failCrashedSync(ctx, tx, c)
	}
	if c.Status != iswigo.StatusPending {
		c.Status, c.Step, c.Progression = iswigo.StatusPending, "", 0
		if err := db.writeStatus(ctx, tx, c); err != nil {
			return false, err
		}
	}
	return true, nil
}

// failCrashedSync ends the running sync of c, whose job was discarded
// after MaxJobCrashes deaths of its processes, in "error" with errno 1
// (a failed sync: the next background one is scheduled as after any).
func (db *DB) failCrashedSync(ctx context.Context, tx *sql.Tx, c *iswigo.Connection) error {
	now := db.Now().UTC()
	c.Status, c.Step, c.Progression, c.Errno = iswigo.StatusError, "", 0, iswigo.ErrnoBug
	c.LastErrorAt, c.NextSyncAt = now, db.nextSyncAt(c.ID, now)
	c.NbErrors++
	return db.writeStatus(ctx, tx, c)
}

// jobRelease is what releaseRunningJob did.
type jobRelease int

const (
	jobNotOrphaned jobRelease = iota // not running in a dead process (any more): untouched
	jobReleased                      // available again, at once
	jobDiscarded                     // its processes died MaxJobCrashes times: given up
)

// jobCrashesSQL is the number of deaths of processes running a job.
func (db *DB) jobCrashesSQL() string {
	if db.dialect == Postgres {
		return `COALESCE((metadata->>'iswigo_crashes')::int, 0)`
	}
	return `COALESCE(json_extract(metadata, '$.iswigo_crashes'), 0)`
}

// setJobCrashesSQL is the metadata with iswigo_crashes set to $3.
func (db *DB) setJobCrashesSQL() string {
	if db.dialect == Postgres {
		return `jsonb_set(metadata, '{iswigo_crashes}', to_jsonb($3::int))`
	}
	return `jsonb_set(metadata, '$.iswigo_crashes', $3)`
}

// releaseRunningJob, in tx, counts one more death of the processes running
// job id if it is still orphaned at now, and makes it available again at
// once (one more attempt is granted if the lost one was the last) or, at
// the MaxJobCrashes-th death, discards it.
func (db *DB) releaseRunningJob(ctx context.Context, tx *sql.Tx, id int64, now int64) (jobRelease, error) {
	var crashes int
	err := tx.QueryRowContext(ctx, `SELECT `+db.jobCrashesSQL()+` FROM river_job WHERE id = $2 AND `+db.orphanedSQL(), now, id).Scan(&crashes)
	if errors.Is(err, sql.ErrNoRows) {
		return jobNotOrphaned, nil
	} else if err != nil {
		return jobNotOrphaned, fmt.Errorf("count crashes of job %d: %w", id, err)
	}
	crashes++
	set, outcome := `state = 'available',
		max_attempts = CASE WHEN attempt >= max_attempts THEN attempt + 1 ELSE max_attempts END`, jobReleased
	if crashes >= MaxJobCrashes {
		finalized := `datetime('now', 'subsec')`
		if db.dialect == Postgres {
			finalized = `now()`
		}
		set, outcome = `state = 'discarded', finalized_at = `+finalized, jobDiscarded
	}
	res, err := tx.ExecContext(ctx, `UPDATE river_job SET `+set+`, metadata = `+db.setJobCrashesSQL()+`
		WHERE id = $2 AND `+db.orphanedSQL(), now, id, crashes)
	if err != nil {
		return jobNotOrphaned, fmt.Errorf("release job %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return jobNotOrphaned, err
	}
	return outcome, nil
}

// JobHold returns the fence of a sync run by attempt of job id in the
// process of clientID (SyncJob.Hold): ErrJobLost unless the job is still
// running in that attempt of that process. It reads without locking the
// job (locking it there would take the job before the connection, the
// reverse of ReleaseOrphanedJobs' order): on PostgreSQL a release
// committed while a write transaction of the sync runs lets that one
// transaction land, and the next is refused; on SQLite writes are serial.
func (db *DB) JobHold(id int64, clientID string, attempt int) TxFunc {
	return func(ctx context.Context, tx *sql.Tx) error {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job WHERE id = $1 AND state = 'running'
			AND attempt = $2 AND `+db.jobHolderSQL()+` = $3`, id, attempt, clientID).Scan(&n)
		if err != nil {
			return fmt.Errorf("check the sync's job: %w", err)
		}
		if n == 0 {
			return ErrJobLost
		}
		return nil
	}
}
