// SPDX-License-Identifier: Apache-2.0

package job

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// PurgeArgs is the periodic job that deletes expired rows (ended funnel
// sessions, old rate-limit failures, old finished webhook deliveries).
type PurgeArgs struct{}

// Kind implements river.JobArgs.
func (PurgeArgs) Kind() string { return "purge_expired" }

// purgeInterval is how often expired rows are deleted.
const purgeInterval = time.Hour

type purgeWorker struct {
	river.WorkerDefaults[PurgeArgs]
	engine *Engine
}

// Work deletes funnel sessions ended more than a day ago, finished
// deliveries older than Config.DeliveryRetention and, when
// Config.EventRetention is set, older events.
func (w *purgeWorker) Work(ctx context.Context, job *river.Job[PurgeArgs]) error {
	now := time.Now()
	var eventsBefore time.Time
	if w.engine.cfg.EventRetention > 0 {
		eventsBefore = now.Add(-w.engine.cfg.EventRetention)
	}
	c, err := w.engine.db.PurgeExpired(ctx, now.Add(-24*time.Hour), now.Add(-w.engine.cfg.DeliveryRetention), eventsBefore)
	if c.FunnelSessions+c.RateFailures+c.Deliveries+c.Events > 0 {
		w.engine.cfg.Logger.Info("purged", "funnel_sessions", c.FunnelSessions, "rate_failures", c.RateFailures,
			"deliveries", c.Deliveries, "events", c.Events)
	}
	return err
}
