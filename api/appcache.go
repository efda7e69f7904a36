// SPDX-License-Identifier: Apache-2.0

package api

import (
	"context"
	"sync"
	"time"

	"github.com/iswigo/iswigo"
)

// appCache keeps applications in memory for a short time so that the
// signature check does not read and decrypt the app on every request.
type appCache struct {
	mu      sync.Mutex
	entries map[string]appCacheEntry // by name
}

type appCacheEntry struct {
	app     *iswigo.App
	expires time.Time
}

// maxCachedApps bounds the cache; it is emptied when full.
const maxCachedApps = 10000

// findApp returns the named application, from the cache when fresh.
// Callers must not modify the returned App.
func (s *Server) findApp(ctx context.Context, name string) (*iswigo.App, error) {
	now := time.Now()
	c := &s.appCache
	c.mu.Lock()
	e, ok := c.entries[name]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.app, nil
	}
	app, err := s.Apps.FindAppByName(ctx, name)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= maxCachedApps {
		c.entries = make(map[string]appCacheEntry)
	}
	c.entries[name] = appCacheEntry{app: app, expires: now.Add(s.AppCacheTTL)}
	c.mu.Unlock()
	return app, nil
}
