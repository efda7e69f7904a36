// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"sync"
	"time"

	"github.com/iswigo/iswigo"
)

// DefaultUserCacheTTL is the default of DB.UserCacheTTL: the longest a
// user read by FindUserByID is served from memory. Changes made through this DB apply at once (the entry is
// dropped when UpdateUser or DeleteUser returns); on PostgreSQL, changes
// made by other processes apply as soon as their notification arrives
// (LISTEN/NOTIFY, milliseconds), and while the listening connection is
// down the cache is not used at all. The TTL bounds what is left: a
// notification lost on a connection not yet known to be broken, or, on
// SQLite, a change written by another process on the same file.
const DefaultUserCacheTTL = 5 * time.Second

// maxCachedUsers bounds the cache (about 1 KB an entry); it is emptied
// when full.
const maxCachedUsers = 50_000

// userCache keeps users by id so that authenticating a request (is the
// token's user there, with the token's version?) costs no query.
//
// A reader notes the epoch before its query and stores what it read only
// if no invalidation happened meanwhile: a read that raced a change is
// never cached, since the change's invalidation (after its commit) bumps
// the epoch.
type userCache struct {
	mu      sync.Mutex
	epoch   uint64
	enabled bool
	m       map[string]userCacheEntry
}

type userCacheEntry struct {
	user iswigo.User
	read time.Time
}

func newUserCache(enabled bool) *userCache {
	return &userCache{enabled: enabled, m: make(map[string]userCacheEntry)}
}

// get returns a copy of the cached user id of app appID, if read less
// than ttl before now.
func (c *userCache) get(appID, id string, now time.Time, ttl time.Duration) (*iswigo.User, bool) {
	c.mu.Lock()
	e, ok := c.m[id]
	enabled := c.enabled
	c.mu.Unlock()
	if !ok || !enabled || e.user.AppID != appID || now.Sub(e.read) >= ttl || now.Before(e.read) {
		return nil, false
	}
	u := e.user
	return &u, true
}

// begin returns the epoch to hand to put after reading.
func (c *userCache) begin() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.epoch
}

// put caches a copy of u, read at now after begin returned epoch, unless
// the cache was invalidated or disabled since.
func (c *userCache) put(u *iswigo.User, epoch uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.enabled || c.epoch != epoch {
		return
	}
	if len(c.m) >= maxCachedUsers {
		clear(c.m)
	}
	c.m[u.ID] = userCacheEntry{user: *u, read: now}
}

// invalidate drops the user id (and keeps any read in flight from being cached).
func (c *userCache) invalidate(id string) {
	c.mu.Lock()
	c.epoch++
	delete(c.m, id)
	c.mu.Unlock()
}

// setEnabled empties the cache and turns it on or off.
func (c *userCache) setEnabled(on bool) {
	c.mu.Lock()
	c.epoch++
	clear(c.m)
	c.enabled = on
	c.mu.Unlock()
}

func (c *userCache) isEnabled() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.enabled
}

// UserCached reports whether FindUserByID would answer the user from
// memory now (for tests and diagnostics).
func (db *DB) UserCached(appID, id string) bool {
	_, ok := db.users.get(appID, id, time.Now(), db.userCacheTTL())
	return ok
}

func (db *DB) userCacheTTL() time.Duration {
	if db.UserCacheTTL == 0 {
		return DefaultUserCacheTTL
	}
	return db.UserCacheTTL
}
