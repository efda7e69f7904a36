// SPDX-License-Identifier: Apache-2.0

package job

import (
	"context"

	"github.com/riverqueue/river"
)

// ScanArgs is the periodic job that queues due background syncs and
// repairs syncs whose job was lost.
type ScanArgs struct{}

// Kind implements river.JobArgs.
func (ScanArgs) Kind() string { return "sync_scan" }

// scanBatch bounds the connections handled by one scan.
const scanBatch = 500

type scanWorker struct {
	river.WorkerDefaults[ScanArgs]
	engine *Engine
}

// Work queues every due background sync (each connection's own due time
// carries its jitter) and re-queues syncs that have not moved for longer
// than a job may live.
func (w *scanWorker) Work(ctx context.Context, job *river.Job[ScanArgs]) error {
	e := w.engine
	// The store's clock, the one that wrote next_sync_at and
	// status_updated_at (a test's frozen clock too).
	now := e.db.Now()
	due, err := e.db.DueConnections(ctx, now, scanBatch)
	if err != nil {
		return err
	}
	queued := 0
	for _, id := range due {
		ok, err := e.db.QueueBackgroundSync(ctx, id, now)
		if err != nil {
			return err
		}
		if ok {
			queued++
		}
	}
	before := now.Add(-e.cfg.RescueAfter - e.cfg.ScanInterval)
	stuck, err := e.db.StuckConnections(ctx, before, scanBatch)
	if err != nil {
		return err
	}
	repaired := 0
	for _, id := range stuck {
		ok, err := e.db.RequeueStuckSync(ctx, id, before)
		if err != nil {
			return err
		}
		if ok {
			repaired++
		}
	}
	e.announceConsents(ctx, now)
	if queued > 0 || repaired > 0 {
		e.cfg.Logger.Info("sync scan", "queued", queued, "repaired", repaired)
	}
	return nil
}
