// SPDX-License-Identifier: Apache-2.0

package auth

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iswigo/iswigo"
)

// memKeyStore is an in-memory iswigo.SigningKeyStore.
type memKeyStore struct {
	mu    sync.Mutex
	keys  []*iswigo.SigningKey // oldest first
	finds atomic.Int64
	fail  atomic.Bool // when set, every call fails
}

var errStoreDown = errors.New("store down")

func (m *memKeyStore) FindSigningKeys(ctx context.Context, since time.Time) ([]*iswigo.SigningKey, error) {
	m.finds.Add(1)
	if m.fail.Load() {
		return nil, errStoreDown
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*iswigo.SigningKey
	for _, k := range m.keys {
		if k.RetiredAt.IsZero() || !k.RetiredAt.Before(since) {
			c := *k
			out = append(out, &c)
		}
	}
	return out, nil
}

// CreateSigningKey stores k and retires every other active key at k.CreatedAt.
func (m *memKeyStore) CreateSigningKey(ctx context.Context, k *iswigo.SigningKey) error {
	if m.fail.Load() {
		return errStoreDown
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, o := range m.keys {
		if o.ID == k.ID {
			return errors.New("duplicate key id")
		}
	}
	for _, o := range m.keys {
		if o.RetiredAt.IsZero() {
			o.RetiredAt = k.CreatedAt
		}
	}
	c := *k
	m.keys = append(m.keys, &c)
	return nil
}

// key returns a copy of the stored key id.
func (m *memKeyStore) key(id string) *iswigo.SigningKey {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range m.keys {
		if k.ID == id {
			c := *k
			return &c
		}
	}
	return nil
}

func (m *memKeyStore) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.keys)
}

// testClock is a clock the test moves.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2026, 11, 26, 10, 0, 0, 500_000_000, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
