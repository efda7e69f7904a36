// SPDX-License-Identifier: Apache-2.0

package sqldb_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// BenchmarkScheduleScan100k: the queries of the periodic sync scan (due
// background syncs, then syncs stuck in a queued or running state) over
// 100,000 connections with automatic synchronization, their due times
// spread over a day, beside 20,000 without it whose due times are long
// past, at a moment when about a minute's worth (~70) is due. Target ≤ 100
// ms an op: the scan must cost O(connections due), not O(connections).
//
//	go test -run '^$' -bench ScheduleScan100k ./sqldb/
func BenchmarkScheduleScan100k(b *testing.B) {
	for _, d := range sqldbtest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			db := sqldbtest.Open(b, d)
			base := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
			seedScheduledConnections(b, db, base, 100_000, 20_000)
			now := base.Add(time.Minute)
			b.ResetTimer()
			var due, stuck []string
			for b.Loop() {
				var err error
				if due, err = db.DueConnections(ctx, now, 500); err != nil {
					b.Fatal(err)
				}
				if stuck, err = db.StuckConnections(ctx, now.Add(-time.Hour), 500); err != nil {
					b.Fatal(err)
				}
			}
			if len(due) < 40 || len(due) > 110 || len(stuck) != 0 {
				b.Fatalf("%d due, %d stuck; want about 70 due, none stuck", len(due), len(stuck))
			}
			b.ReportMetric(float64(len(due)), "due")
		})
	}
}

// seedScheduledConnections inserts, for one user, automatic connections
// finished, in error or syncing, due evenly over the day after base, and
// manual ones due before base.
func seedScheduledConnections(b *testing.B, db *sqldb.DB, base time.Time, automatic, manual int) {
	b.Helper()
	ctx := context.Background()
	app := &iswigo.App{Name: "sched", Secret: "s3cret-sched", LastTermsOfService: iswigo.NewDate(2019, 10, 1)}
	if err := db.CreateApp(ctx, app); err != nil {
		b.Fatal(err)
	}
	u := &iswigo.User{AppID: app.ID, Email: "sched@example.com", PasswordHash: "h"}
	if err := db.CreateUser(ctx, u); err != nil {
		b.Fatal(err)
	}
	const cols = 10
	const batch = 200
	slots := rand.New(rand.NewPCG(1, 2)).Perm(automatic)
	tx, err := db.WriteDB().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	var rows []string
	var args []any
	flush := func() {
		if len(rows) == 0 {
			return
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO connections (id, app_id, user_id, provider_id, login_masked, credentials,
			automatic_sync, status, next_sync_at, status_updated_at, created_at, updated_at) VALUES `+strings.Join(rows, ", "), args...); err != nil {
			b.Fatal(err)
		}
		rows, args = rows[:0], args[:0]
	}
	for i := 0; i < automatic+manual; i++ {
		var next time.Time
		status, auto := iswigo.StatusFinished, i < automatic
		if auto {
			next = base.Add(time.Duration(slots[i]) * (24 * time.Hour / time.Duration(automatic)))
			switch i % 100 {
			case 7:
				status = iswigo.StatusError
			case 13:
				status = iswigo.StatusInProgress // syncing now: neither due nor stuck
				next = base.Add(-time.Hour)
			}
		} else {
			next = base.Add(-time.Duration(i) * time.Minute)
		}
		n := len(args)
		var ph []string
		for j := 1; j <= cols; j++ {
			if db.Dialect() == sqldb.Postgres {
				ph = append(ph, fmt.Sprintf("$%d", n+j))
			} else {
				ph = append(ph, "?")
			}
		}
		rows = append(rows, "("+strings.Join(ph[:3], ", ")+", 999, 'h***', "+strings.Join(ph[3:], ", ")+")")
		at := base.UnixMicro()
		args = append(args, iswigo.NewID(), app.ID, u.ID, []byte{0}, auto, status, next.UnixMicro(), at, at, at)
		if len(rows) == batch {
			flush()
		}
	}
	flush()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
