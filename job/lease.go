// SPDX-License-Identifier: Apache-2.0

package job

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/iswigo/iswigo/sqldb"
)

// newClientID returns a River client ID for one incarnation of a process:
// sqldb.LeaseClientPrefix and 16 random hex digits.
func newClientID() string {
	var b [8]byte
	rand.Read(b[:])
	return sqldb.LeaseClientPrefix + hex.EncodeToString(b[:])
}

// renewInterval is how often the lease is renewed and dead processes'
// jobs looked for: a tenth of the lapse, between 100 ms and 5 s.
func (c *Config) renewInterval() time.Duration {
	return min(max(c.LeaseLapse/10, 100*time.Millisecond), 5*time.Second)
}

// takeLease runs before River starts. It finds the leases left under this
// process's worker name by previous incarnations and proves them dead: a
// lapsed lease, the same host with the process gone (or with this very
// pid, a container restarted), or else a lease nobody renews during one
// and a half renewal intervals. A lease that is renewed meanwhile belongs
// to a live process: two processes share the worker name, an error. Then
// the dead leases are replaced by this process's own, and every job
// orphaned by a dead process (these or others) is released at once.
func (e *Engine) takeLease(ctx context.Context) error {
	host, _ := os.Hostname()
	pid := os.Getpid()
	prev, err := e.db.FindLeases(ctx, e.cfg.WorkerName)
	if err != nil {
		return err
	}
	var dead []string
	var unsure []sqldb.Lease
	now := time.Now()
	for _, l := range prev {
		switch {
		case !l.ExpiresAt.After(now), l.Host == host && (l.PID == pid || !processAlive(l.PID)):
			dead = append(dead, l.ClientID)
		default:
			unsure = append(unsure, l)
		}
	}
	if len(unsure) > 0 {
		wait := e.cfg.renewInterval() * 3 / 2
		e.cfg.Logger.Info("a lease of this worker name may be alive: watching it", "worker_name", e.cfg.WorkerName, "wait", wait.String())
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		again, err := e.db.FindLeases(ctx, e.cfg.WorkerName)
		if err != nil {
			return err
		}
		for _, l := range unsure {
			for _, a := range again {
				if a.ClientID != l.ClientID {
					continue
				}
				if !a.ExpiresAt.Equal(l.ExpiresAt) {
					return fmt.Errorf("worker name %q is in use by a live process (host %s, pid %d): give each process its own worker name", l.WorkerName, l.Host, l.PID)
				}
				dead = append(dead, l.ClientID)
			}
		}
	}
	now = time.Now()
	lease := sqldb.Lease{ClientID: e.clientID, WorkerName: e.cfg.WorkerName, Host: host, PID: pid,
		StartedAt: now, ExpiresAt: now.Add(e.cfg.LeaseLapse)}
	if err := e.db.TakeLease(ctx, lease, dead); err != nil {
		return err
	}
	e.cfg.Logger.Info("job lease taken", "client_id", e.clientID, "worker_name", e.cfg.WorkerName,
		"lapse", e.cfg.LeaseLapse.String(), "dead_client_ids", dead)
	return e.releaseOrphans(ctx)
}

// releaseOrphans releases the jobs of processes without a live lease.
func (e *Engine) releaseOrphans(ctx context.Context) error {
	released, err := e.db.ReleaseOrphanedJobs(ctx, time.Now())
	for _, j := range released {
		if j.Discarded {
			e.cfg.Logger.Error("job given up: the processes running it died "+strconv.Itoa(sqldb.MaxJobCrashes)+" times",
				"job_id", j.ID, "kind", j.Kind, "connection_id", j.ConnectionID, "dead_client_id", j.Holder)
			continue
		}
		e.cfg.Logger.Warn("job of a dead process released for retry", "job_id", j.ID, "kind", j.Kind,
			"connection_id", j.ConnectionID, "dead_client_id", j.Holder)
	}
	return err
}

// keepLease renews the lease and rescues dead processes' jobs every
// renewal interval until ctx is done. When the lease is found gone, or
// cannot be renewed for a whole lapse (others may have released this
// process's jobs), it reports the loss on e.lost and returns.
func (e *Engine) keepLease(ctx context.Context) {
	interval := e.cfg.renewInterval()
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	renewed := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		now := time.Now()
		opCtx, cancel := context.WithTimeout(ctx, e.cfg.LeaseLapse/2)
		ok, err := e.db.RenewLease(opCtx, e.clientID, now.Add(e.cfg.LeaseLapse))
		if err == nil && ok {
			renewed = now
			err = e.releaseOrphans(opCtx)
		}
		cancel()
		if ctx.Err() != nil {
			return
		}
		var lost error
		switch {
		case err == nil && !ok:
			lost = fmt.Errorf("job lease of %s (worker name %q) taken over by another process", e.clientID, e.cfg.WorkerName)
		case err != nil && now.Sub(renewed) >= e.cfg.LeaseLapse:
			lost = fmt.Errorf("job lease of %s not renewed for %v: %w", e.clientID, now.Sub(renewed).Round(time.Second), err)
		case err != nil:
			e.cfg.Logger.Warn("job lease", "error", err)
		}
		if lost != nil {
			e.cfg.Logger.Error("job lease lost: this process must stop running jobs", "error", lost)
			e.leaseLost.Store(true)
			e.lost <- lost
			return
		}
	}
}
