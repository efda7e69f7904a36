// SPDX-License-Identifier: Apache-2.0

package auth

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/iswigo/iswigo"
)

const (
	// keyReloadInterval is how often the keys are reloaded from the store,
	// so that a rotation by another process is picked up: the longest a
	// process signs with a key that another has retired.
	keyReloadInterval = time.Minute
	// keyMissReloadInterval limits the reloads caused by tokens naming an
	// unknown key.
	keyMissReloadInterval = 10 * time.Second
	// keyGrace is how long a retired key still verifies and is published:
	// the lifetime of the tokens it signed, plus keyReloadInterval for the
	// tokens a process signed before it noticed the rotation.
	keyGrace = iswigo.TokenLifetime + keyReloadInterval
	// minKeyBits is the smallest RSA key generated or accepted.
	minKeyBits = 2048
)

// signingKey is a parsed iswigo.SigningKey.
type signingKey struct {
	id        string
	der       []byte
	priv      *rsa.PrivateKey
	createdAt time.Time
	retiredAt time.Time // zero while active
}

// usable reports whether k may verify a token at now: it is active, or was
// retired less than keyGrace ago.
func (k *signingKey) usable(now time.Time) bool {
	return k.retiredAt.IsZero() || now.Sub(k.retiredAt) < keyGrace
}

// keyring is an immutable snapshot of the keys loaded from the store.
type keyring struct {
	loadedAt time.Time
	keys     []*signingKey // oldest first, as the store returns them
	byID     map[string]*signingKey
	current  *signingKey // the newest active key; nil if none
}

// newKeyring parses rows. Keys already parsed in prev, with the same ID and
// DER, are reused rather than parsed again.
func newKeyring(rows []*iswigo.SigningKey, prev *keyring, loadedAt time.Time) (*keyring, error) {
	r := &keyring{loadedAt: loadedAt, byID: make(map[string]*signingKey, len(rows))}
	for _, row := range rows {
		if row.ID == "" {
			return nil, errors.New("auth: signing key without an ID")
		}
		if _, dup := r.byID[row.ID]; dup {
			return nil, fmt.Errorf("auth: signing key %s appears twice", row.ID)
		}
		k := &signingKey{id: row.ID, der: row.PrivateDER, createdAt: row.CreatedAt, retiredAt: row.RetiredAt}
		if old := prev.lookup(row.ID); old != nil && bytes.Equal(old.der, row.PrivateDER) {
			k.priv = old.priv
		} else {
			priv, err := parseSigningKey(row.PrivateDER)
			if err != nil {
				return nil, fmt.Errorf("auth: signing key %s: %w", row.ID, err)
			}
			k.priv = priv
		}
		r.byID[row.ID] = k
		r.keys = append(r.keys, k)
		if k.retiredAt.IsZero() && (r.current == nil || !k.createdAt.Before(r.current.createdAt)) {
			r.current = k
		}
	}
	return r, nil
}

// lookup returns the key named kid, or nil. It accepts a nil r.
func (r *keyring) lookup(kid string) *signingKey {
	if r == nil {
		return nil
	}
	return r.byID[kid]
}

func parseSigningKey(der []byte) (*rsa.PrivateKey, error) {
	key, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, err
	}
	priv, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("not an RSA key but %T", key)
	}
	if priv.N.BitLen() < minKeyBits {
		return nil, fmt.Errorf("RSA key of %d bits, fewer than %d", priv.N.BitLen(), minKeyBits)
	}
	return priv, nil
}

// newSigningKey generates an RSA key of bits bits with a random 16-hex-digit ID.
func newSigningKey(bits int, now time.Time) (*iswigo.SigningKey, error) {
	priv, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		return nil, fmt.Errorf("auth: generate signing key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("auth: encode signing key: %w", err)
	}
	return &iswigo.SigningKey{ID: randomHex(8), PrivateDER: der, CreatedAt: now}, nil
}

// randomHex returns n random bytes in lower-case hex.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand since Go 1.24)
	return hex.EncodeToString(b)
}

// EnsureKey loads the keys from the store and, if none is active, generates
// one (an RSA key of TokenOptions.KeyBits) and stores it. Call it once at
// startup, before Issue. Two processes starting together may each create a
// key; the store keeps the newer active and the other verifies as retired.
func (s *TokenService) EnsureKey(ctx context.Context) error {
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	r, err := s.loadLocked(ctx)
	if err != nil {
		return err
	}
	if r.current != nil {
		return nil
	}
	_, err = s.createKeyLocked(ctx)
	return err
}

// Rotate generates a new key, stores it (the store retires every other
// active key) and reloads the keys. New tokens are signed with the new key;
// tokens signed with the older keys keep verifying until they expire.
// Other processes pick the new key up within a minute. If the key was
// stored but the reload failed, Rotate returns its kid and the error.
func (s *TokenService) Rotate(ctx context.Context) (kid string, err error) {
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	return s.createKeyLocked(ctx)
}

func (s *TokenService) createKeyLocked(ctx context.Context) (string, error) {
	k, err := newSigningKey(s.keyBits, s.now())
	if err != nil {
		return "", err
	}
	if err := s.store.CreateSigningKey(ctx, k); err != nil {
		return "", fmt.Errorf("auth: store signing key: %w", err)
	}
	s.logger.Info("auth: new token signing key", "kid", k.ID, "bits", s.keyBits)
	if _, err := s.loadLocked(ctx); err != nil {
		return k.ID, err
	}
	return k.ID, nil
}

// loadLocked reads the keys that may still verify a token and makes them
// current. The caller holds s.loadMu.
func (s *TokenService) loadLocked(ctx context.Context) (*keyring, error) {
	now := s.now()
	rows, err := s.store.FindSigningKeys(ctx, now.Add(-keyGrace))
	if err != nil {
		return nil, fmt.Errorf("auth: load signing keys: %w", err)
	}
	r, err := newKeyring(rows, s.ring.Load(), now)
	if err != nil {
		return nil, err
	}
	s.ring.Store(r)
	return r, nil
}

// keys returns the loaded keys, reloading them first if they are older
// than keyReloadInterval. While one goroutine reloads, the others go on
// with the keys they have. If a reload fails and keys were loaded before,
// those are kept (and the failure logged) until the next attempt.
func (s *TokenService) keys(ctx context.Context) (*keyring, error) {
	r := s.ring.Load()
	if r != nil && s.fresh(r) {
		return r, nil
	}
	if r == nil {
		s.loadMu.Lock()
	} else if !s.loadMu.TryLock() {
		return r, nil // another goroutine is reloading
	}
	defer s.loadMu.Unlock()
	if r = s.ring.Load(); r != nil && s.fresh(r) {
		return r, nil
	}
	nr, err := s.loadLocked(ctx)
	if err != nil {
		if r == nil {
			return nil, err
		}
		s.logger.Warn("auth: reloading signing keys failed; keeping the loaded ones", "err", err)
		stale := *r
		stale.loadedAt = s.now() // try again in keyReloadInterval, not at every request
		s.ring.Store(&stale)
		return r, nil
	}
	return nr, nil
}

func (s *TokenService) fresh(r *keyring) bool {
	age := s.now().Sub(r.loadedAt)
	return age >= 0 && age < keyReloadInterval
}

// reloadForKid reloads the keys because a token names kid, which is not
// loaded, at most once per keyMissReloadInterval. It returns the key, or
// nil if it is still unknown.
func (s *TokenService) reloadForKid(ctx context.Context, kid string) *signingKey {
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	if k := s.ring.Load().lookup(kid); k != nil {
		return k // loaded while we waited
	}
	now := s.now()
	if since := now.Sub(s.lastMissLoad); !s.lastMissLoad.IsZero() && since >= 0 && since < keyMissReloadInterval {
		return nil
	}
	s.lastMissLoad = now
	r, err := s.loadLocked(ctx)
	if err != nil {
		s.logger.Warn("auth: reloading signing keys for an unknown kid failed", "err", err)
		return nil
	}
	return r.lookup(kid)
}
