// SPDX-License-Identifier: Apache-2.0

package job

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// SweepArgs is the periodic job that deletes document files no row names
// (left by a crash between writing a file and committing its row, or by a
// failed deletion).
type SweepArgs struct{}

// Kind implements river.JobArgs.
func (SweepArgs) Kind() string { return "sweep_files" }

// orphanAge is how old an unreferenced file must be to be deleted: younger
// files may belong to a sync that is about to commit their rows.
const orphanAge = time.Hour

type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	engine *Engine
}

// Work deletes orphaned document files.
func (w *sweepWorker) Work(ctx context.Context, job *river.Job[SweepArgs]) error {
	n, err := w.engine.db.SweepOrphanFiles(ctx, time.Now().Add(-orphanAge))
	if n > 0 {
		w.engine.cfg.Logger.Info("orphan files deleted", "count", n)
	}
	return err
}
