// SPDX-License-Identifier: Apache-2.0

package sqldb_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// TestUserCacheSameProcess: a user changed or deleted through the DB is
// seen changed by the very next FindUserByID (revocation is immediate),
// and the copy a caller gets cannot change the cache.
func TestUserCacheSameProcess(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		db.UserCacheTTL = time.Hour // only invalidation can make a change visible
		app := newApp(t, db, "a")
		u := &iswigo.User{AppID: app.ID, Email: "berlioz@example.com", PasswordHash: "h"}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		first, err := db.FindUserByID(ctx, app.ID, u.ID)
		if err != nil || first.TokenVersion != 0 {
			t.Fatalf("FindUserByID = %+v, %v", first, err)
		}
		first.TokenVersion, first.Email = 41, "changed@example.com" // the caller's copy only
		cached, err := db.FindUserByID(ctx, app.ID, u.ID)
		if err != nil || cached.TokenVersion != 0 || cached.Email != "berlioz@example.com" {
			t.Fatalf("cached = %+v, %v", cached, err)
		}
		cached.TokenVersion = 1
		if err := db.UpdateUser(ctx, cached); err != nil {
			t.Fatal(err)
		}
		if got, err := db.FindUserByID(ctx, app.ID, u.ID); err != nil || got.TokenVersion != 1 {
			t.Fatalf("after UpdateUser: %+v, %v", got, err)
		}
		other := newApp(t, db, "b")
		if _, err := db.FindUserByID(ctx, other.ID, u.ID); iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
			t.Fatalf("cached user found in another app: %v", err)
		}
		if err := db.DeleteUser(ctx, app.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindUserByID(ctx, app.ID, u.ID); iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
			t.Fatalf("deleted user found: %v", err)
		}
	})
}

// TestUserCacheOtherProcess: on PostgreSQL, a change made through another
// DB (another process) reaches this DB's cache by LISTEN/NOTIFY, well
// before the cache's TTL (an hour here) would have let it through.
func TestUserCacheOtherProcess(t *testing.T) {
	if os.Getenv(sqldbtest.EnvDatabaseURL) == "" {
		t.Skip(sqldbtest.EnvDatabaseURL + " not set (SQLite serves one process)")
	}
	ctx := context.Background()
	cfg := sqldbtest.Config(t, sqldb.Postgres)
	a := sqldbtest.OpenConfig(t, cfg)
	b := sqldbtest.OpenConfig(t, cfg)
	a.UserCacheTTL = time.Hour
	app := newApp(t, a, "a")
	u := &iswigo.User{AppID: app.ID, Email: "berlioz@example.com", PasswordHash: "h"}
	if err := a.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	// Wait until a's listener listens (its cache is off until then), with
	// the user cached.
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := a.FindUserByID(ctx, app.ID, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a.UserCached(app.ID, u.ID) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("user never cached (listener not connected?): %+v", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
	changed, err := b.FindUserByID(ctx, app.ID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	changed.TokenVersion = 7
	if err := b.UpdateUser(ctx, changed); err != nil {
		t.Fatal(err)
	}
	for {
		got, err := a.FindUserByID(ctx, app.ID, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.TokenVersion == 7 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the other process's change never reached the cache: %+v", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := b.DeleteUser(ctx, app.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	for {
		_, err := a.FindUserByID(ctx, app.ID, u.ID)
		if iswigo.ErrorCode(err) == iswigo.ENOTFOUND {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatal("the other process's deletion never reached the cache")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
