// SPDX-License-Identifier: Apache-2.0

package auth

import (
	"crypto/sha256"
	"sync"
	"time"

	"github.com/iswigo/iswigo"
)

// maxCachedTokens bounds the verified-token cache (about 200 bytes an entry).
const maxCachedTokens = 100_000

// claimsCache remembers the claims of verified tokens, keyed by the
// SHA-256 of the token string, so that verifying a token again costs a
// hash and a map lookup instead of an RSA verification.
type claimsCache struct {
	mu  sync.RWMutex
	m   map[[sha256.Size]byte]iswigo.TokenClaims
	max int
}

func newClaimsCache(max int) *claimsCache {
	return &claimsCache{m: make(map[[sha256.Size]byte]iswigo.TokenClaims), max: max}
}

// get returns the cached claims of the token whose hash is key, expired or not.
func (c *claimsCache) get(key [sha256.Size]byte) (iswigo.TokenClaims, bool) {
	c.mu.RLock()
	tc, ok := c.m[key]
	c.mu.RUnlock()
	return tc, ok
}

// put caches tc. When the cache is full it first drops the expired entries
// and then, if that was not enough, arbitrary ones down to 90% of max, so
// that the cost of the sweep is spread over many puts.
func (c *claimsCache) put(key [sha256.Size]byte, tc iswigo.TokenClaims, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		for k, v := range c.m {
			if !now.Before(v.ExpiresAt) {
				delete(c.m, k)
			}
		}
		for k := range c.m {
			if len(c.m) < c.max*9/10 {
				break
			}
			delete(c.m, k)
		}
	}
	c.m[key] = tc
}

// remove drops key.
func (c *claimsCache) remove(key [sha256.Size]byte) {
	c.mu.Lock()
	delete(c.m, key)
	c.mu.Unlock()
}

func (c *claimsCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}
