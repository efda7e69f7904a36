// SPDX-License-Identifier: Apache-2.0

package crypt_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/crypt"
	"gocloud.dev/secrets"
)

// memStore is an in-memory iswigo.DataKeyStore.
type memStore struct {
	mu    sync.Mutex
	keys  []*iswigo.DataKey
	finds int // calls to FindDataKeys
	// gate, when set, is called by FindDataKeys before it answers.
	gate func()
}

func (s *memStore) FindDataKeys(ctx context.Context) ([]*iswigo.DataKey, error) {
	s.mu.Lock()
	gate := s.gate
	s.mu.Unlock()
	if gate != nil {
		gate()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.finds++
	out := make([]*iswigo.DataKey, len(s.keys))
	for i, k := range s.keys {
		c := *k
		c.Wrapped = slices.Clone(k.Wrapped)
		out[i] = &c
	}
	return out, nil
}

func (s *memStore) CreateDataKey(ctx context.Context, k *iswigo.DataKey) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.keys {
		if o.ID == k.ID {
			return fmt.Errorf("data key %s exists", k.ID)
		}
	}
	c := *k
	c.Wrapped = slices.Clone(k.Wrapped)
	s.keys = append(s.keys, &c)
	return nil
}

func (s *memStore) UpdateDataKeyWrapping(ctx context.Context, id string, wrapped []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.keys {
		if k.ID == id {
			k.Wrapped = slices.Clone(wrapped)
			return nil
		}
	}
	return fmt.Errorf("no data key %s", id)
}

func (s *memStore) count() (keys, finds int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.keys), s.finds
}

// newKEK returns a base64key:// keeper over 32 random bytes.
func newKEK(t testing.TB) *secrets.Keeper {
	t.Helper()
	var b [32]byte
	rand.Read(b[:])
	k, err := secrets.OpenKeeper(context.Background(), "base64key://"+base64.URLEncoding.EncodeToString(b[:]))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	return k
}

func newCipher(t testing.TB, kek *secrets.Keeper, store iswigo.DataKeyStore) *crypt.Cipher {
	t.Helper()
	c, err := crypt.New(context.Background(), kek, store)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
