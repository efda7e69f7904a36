// SPDX-License-Identifier: Apache-2.0

package job_test

import (
	"context"
	"testing"

	"github.com/iswigo/iswigo/connector/sandbox"
	"github.com/iswigo/iswigo/job"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// TestCountJobsZeros: every kind in every unfinished state has a count,
// zero when its queue is empty, so that a metric series never vanishes.
func TestCountJobsZeros(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			e := newEngine(t, sqldbtest.Open(t, d), job.Config{}, sandbox.Options{})
			counts, err := e.CountJobs(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			kinds := []string{job.SyncArgs{}.Kind(), job.ScanArgs{}.Kind(), job.SweepArgs{}.Kind(), job.PurgeArgs{}.Kind(), job.DeliverArgs{}.Kind()}
			for _, kind := range kinds {
				for _, state := range []string{"available", "pending", "retryable", "running", "scheduled"} {
					if n, ok := counts[[2]string{kind, state}]; !ok || n != 0 {
						t.Errorf("%s %s: %d, %v; want 0", kind, state, n, ok)
					}
				}
			}
			if len(counts) != len(kinds)*5 {
				t.Errorf("%d series, want %d: %v", len(counts), len(kinds)*5, counts)
			}
		})
	}
}
