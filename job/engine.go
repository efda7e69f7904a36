// SPDX-License-Identifier: Apache-2.0

// Package job runs iswigo's background work on River: connection syncs
// (sync_connection), the periodic scan that queues due background syncs
// and repairs lost ones (sync_due). Jobs are inserted in the store's own
// transactions, so a job exists if and only if the state that asks for it
// was committed.
package job

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// Connectors finds the connector of a provider.
type Connectors interface {
	Connector(providerID int) (iswigo.Connector, bool)
}

// Config tunes the engine. Zero values take the documented defaults.
type Config struct {
	// Work: this process runs jobs (roles worker and all). Without it the
	// engine only inserts them (role api).
	Work bool
	// Workers is how many syncs run at once in this process. Defaults to 20.
	Workers int
	// SyncRetries is how many times a sync failing with errno 1 or 4 is
	// retried before the connection is put in error. Defaults to 3.
	SyncRetries int
	// RetryBase is the first retry delay; each retry doubles it, with ±25%
	// jitter, capped at 6 hours. Defaults to 30 seconds.
	RetryBase time.Duration
	// JobTimeout bounds one sync, step wait included. Defaults to 30 minutes.
	JobTimeout time.Duration
	// RescueAfter is how long a job may stay running before it is deemed
	// lost (its process died) and retried. Defaults to JobTimeout + 1 minute.
	RescueAfter time.Duration
	// WorkerName names this process across its restarts, so that a
	// restarted process knows the jobs its previous incarnation left running
	// are lost. Defaults to the host name.
	WorkerName string
	// LeaseLapse is how long the jobs of a process that stopped renewing
	// its lease (every tenth of it) are kept before survivors release them
	// for retry. Defaults to 30 seconds.
	LeaseLapse time.Duration
	// ScanInterval is how often due background syncs are queued and lost
	// ones repaired. Defaults to 1 minute.
	ScanInterval time.Duration
	// FetchCooldown and FetchPollInterval tune how fast jobs are picked up.
	// Default to 20 and 200 milliseconds.
	FetchCooldown     time.Duration
	FetchPollInterval time.Duration
	// WebhookAttempts is how many times a delivery is tried. Defaults to 12.
	WebhookAttempts int
	// WebhookRetryBase is the first delay between delivery attempts; each
	// doubles it, ±25% jitter, capped at 24 hours. Defaults to 30 seconds.
	WebhookRetryBase time.Duration
	// DeliveryRetention is how long finished webhook deliveries (and their
	// attempts) are kept. Defaults to 30 days.
	DeliveryRetention time.Duration
	// EventRetention, when positive, is how long events are kept (GET
	// /v1/events lists them). Defaults to 0: kept forever.
	EventRetention time.Duration
	// ConsentWarning is how long before a connection's consent lapses its
	// connection.consent_expiring event fires. Defaults to 7 days.
	ConsentWarning time.Duration
	// AllowPrivateWebhooks lets deliveries reach loopback, private and
	// link-local addresses (tests and local development).
	AllowPrivateWebhooks bool
	// Metrics receives sync and delivery measurements; nil = none.
	Metrics iswigo.Metrics
	Logger  *slog.Logger
}

func (c *Config) setDefaults() {
	if c.Workers <= 0 {
		c.Workers = 20
	}
	if c.SyncRetries < 0 {
		c.SyncRetries = 0
	} else if c.SyncRetries == 0 {
		c.SyncRetries = 3
	}
	if c.RetryBase <= 0 {
		c.RetryBase = 30 * time.Second
	}
	if c.JobTimeout <= 0 {
		c.JobTimeout = 30 * time.Minute
	}
	if c.RescueAfter <= c.JobTimeout {
		c.RescueAfter = c.JobTimeout + time.Minute
	}
	if c.WorkerName == "" {
		c.WorkerName, _ = os.Hostname()
	}
	if c.LeaseLapse <= 0 {
		c.LeaseLapse = 30 * time.Second
	}
	if c.ScanInterval <= 0 {
		c.ScanInterval = time.Minute
	}
	if c.FetchCooldown <= 0 {
		c.FetchCooldown = 20 * time.Millisecond
	}
	if c.FetchPollInterval <= 0 {
		c.FetchPollInterval = 200 * time.Millisecond
	}
	if c.WebhookAttempts <= 0 {
		c.WebhookAttempts = 12
	}
	if c.WebhookRetryBase <= 0 {
		c.WebhookRetryBase = 30 * time.Second
	}
	if c.DeliveryRetention <= 0 {
		c.DeliveryRetention = 30 * 24 * time.Hour
	}
	if c.ConsentWarning <= 0 {
		c.ConsentWarning = 7 * 24 * time.Hour
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
}

// Engine is the job engine of one process. It implements sqldb.Hooks.
type Engine struct {
	db         *sqldb.DB
	connectors Connectors
	cfg        Config
	client     *river.Client[*sql.Tx]
	started    atomic.Bool

	// clientID is River's client ID and the lease's key ("" without Work).
	clientID string
	// stopLease ends keepLease; leaseDone is closed when it has returned.
	stopLease context.CancelFunc
	leaseDone chan struct{}
	leaseLost atomic.Bool
	lost      chan error // receives the lease's loss, once

	// kinds are the job kinds of the engine's workers (for CountJobs).
	kinds []string
}

// addWorker registers w in workers and records its job kind in e.kinds.
func addWorker[T river.JobArgs](e *Engine, workers *river.Workers, w river.Worker[T]) {
	river.AddWorker(workers, w)
	var args T
	e.kinds = append(e.kinds, args.Kind())
}

var _ sqldb.Hooks = (*Engine)(nil)

// driver returns River's driver for the store's dialect, on its write pool.
func driver(db *sqldb.DB) riverdriver.Driver[*sql.Tx] {
	if db.Dialect() == sqldb.Postgres {
		return riverdatabasesql.New(db.WriteDB())
	}
	return riversqlite.New(db.WriteDB())
}

// Migrate creates or upgrades River's tables.
func Migrate(ctx context.Context, db *sqldb.DB) error {
	m, err := rivermigrate.New(driver(db), nil)
	if err != nil {
		return fmt.Errorf("river migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("river migrate: %w", err)
	}
	return nil
}

// New returns an engine over db, and makes it db's Hooks. River's tables
// must be migrated (Migrate).
func New(db *sqldb.DB, connectors Connectors, cfg Config) (*Engine, error) {
	cfg.setDefaults()
	e := &Engine{db: db, connectors: connectors, cfg: cfg, lost: make(chan error, 1)}
	workers := river.NewWorkers()
	addWorker(e, workers, &syncWorker{engine: e})
	addWorker(e, workers, &scanWorker{engine: e})
	addWorker(e, workers, &sweepWorker{engine: e})
	addWorker(e, workers, &purgeWorker{engine: e})
	addWorker(e, workers, &deliverWorker{engine: e, client: newWebhookClient(cfg.AllowPrivateWebhooks)})
	rc := &river.Config{
		Workers:              workers,
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.RescueAfter,
		FetchCooldown:        cfg.FetchCooldown,
		FetchPollInterval:    cfg.FetchPollInterval,
		Logger:               cfg.Logger.With("component", "river"),
		MaxAttempts:          cfg.SyncRetries + 1,
		RetryPolicy: retryPolicy{base: cfg.RetryBase, cap: 6 * time.Hour,
			byKind: map[string]retryPolicy{DeliverArgs{}.Kind(): {base: cfg.WebhookRetryBase, cap: 24 * time.Hour}}},
	}
	if cfg.Work {
		e.clientID = newClientID()
		rc.ID = e.clientID
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}}
		rc.PeriodicJobs = []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(cfg.ScanInterval),
			func() (river.JobArgs, *river.InsertOpts) { return ScanArgs{}, nil },
			&river.PeriodicJobOpts{ID: "sync_scan", RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(orphanAge),
				func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil },
				&river.PeriodicJobOpts{ID: "sweep_files"}),
			river.NewPeriodicJob(river.PeriodicInterval(purgeInterval),
				func() (river.JobArgs, *river.InsertOpts) { return PurgeArgs{}, nil },
				&river.PeriodicJobOpts{ID: "purge_expired", RunOnStart: true})}
	}
	client, err := river.NewClient(driver(db), rc)
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	e.client = client
	db.Hooks = e
	return e, nil
}

// Start starts working jobs (when Config.Work): it takes this process's
// lease, releases the jobs of dead processes (its own previous incarnation
// first) and starts River; it returns once they are running. The lease is
// then renewed in the background until Stop.
func (e *Engine) Start(ctx context.Context) error {
	if !e.cfg.Work {
		return nil
	}
	if err := e.takeLease(ctx); err != nil {
		return fmt.Errorf("job lease: %w", err)
	}
	leaseCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	e.stopLease, e.leaseDone = stop, make(chan struct{})
	go func() {
		defer close(e.leaseDone)
		e.keepLease(leaseCtx)
	}()
	if err := e.client.Start(ctx); err != nil {
		e.endLease()
		return err
	}
	e.started.Store(true)
	return nil
}

// Lost receives an error if this process lost its lease (another process
// took its jobs over): it must stop at once, without finishing them.
func (e *Engine) Lost() <-chan error { return e.lost }

// Stop stops fetching jobs and waits for running ones until ctx is done;
// then it cancels them: their syncs are released for retry. Then it drops
// the lease.
func (e *Engine) Stop(ctx context.Context) error {
	if !e.cfg.Work || !e.started.Swap(false) {
		return nil
	}
	err := e.client.Stop(ctx)
	if err != nil {
		err = e.client.StopAndCancel(context.Background())
	}
	e.endLease()
	return err
}

// endLease stops renewing the lease and deletes it, unless it was lost.
func (e *Engine) endLease() {
	if e.stopLease == nil {
		return
	}
	e.stopLease()
	<-e.leaseDone
	if e.leaseLost.Load() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := e.db.DropLease(ctx, e.clientID); err != nil {
		e.cfg.Logger.Error("drop job lease", "error", err)
	}
}

// EnqueueSync implements sqldb.Hooks. Sync jobs are unique per connection
// while available, scheduled, running or retryable (SyncArgs.InsertOpts).
func (e *Engine) EnqueueSync(ctx context.Context, tx *sql.Tx, req iswigo.SyncRequest) (sqldb.EnqueuedSync, error) {
	res, err := e.client.InsertTx(ctx, tx, SyncArgs{ConnectionID: req.ConnectionID, Interactive: req.Interactive}, nil)
	if err != nil {
		return sqldb.EnqueuedSync{}, fmt.Errorf("insert sync job: %w", err)
	}
	return sqldb.EnqueuedSync{JobID: res.Job.ID, Existing: res.UniqueSkippedAsDuplicate}, nil
}

// CountJobs returns the number of jobs not finalized by kind and state,
// for metrics: every kind of the engine in every such state, zero
// included, so that a series does not vanish when its queue empties.
func (e *Engine) CountJobs(ctx context.Context) (map[[2]string]int, error) {
	counts, err := e.db.CountJobs(ctx)
	if err != nil {
		return nil, err
	}
	for _, kind := range e.kinds {
		for _, state := range openJobStates {
			if _, ok := counts[[2]string{kind, string(state)}]; !ok {
				counts[[2]string{kind, string(state)}] = 0
			}
		}
	}
	return counts, nil
}

// openJobStates are River's states of a job not yet finalized.
var openJobStates = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
	rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled}

// Ready returns nil when the engine can take jobs: River's tables answer
// and, in a working process, the client is running.
func (e *Engine) Ready(ctx context.Context) error {
	if err := e.db.JobTablesReady(ctx); err != nil {
		return err
	}
	if e.cfg.Work && !e.started.Load() {
		return fmt.Errorf("job engine not running")
	}
	if e.leaseLost.Load() {
		return fmt.Errorf("job lease lost")
	}
	return nil
}
