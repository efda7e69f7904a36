// SPDX-License-Identifier: Apache-2.0

// Package crypt encrypts secrets at rest (app secrets, bank credentials,
// connector state, signing keys) by envelope encryption.
//
// A key-encryption key (KEK), opened by OpenKEK, wraps random data keys that
// an iswigo.DataKeyStore keeps beside the data. A Cipher seals values with
// the newest data key, using AES-256-GCM, and opens them with any data key
// the store holds. Rotating a data key (Cipher.Rotate) leaves old
// ciphertexts readable; changing the KEK only re-wraps the data keys
// (Cipher.Rewrap), not the data.
package crypt

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/iswigo/iswigo"
	"gocloud.dev/secrets"
)

// The ciphertext format, version 1, is documented on Cipher.
const (
	version1   = 1
	keyIDLen   = 8
	nonceLen   = 12
	headerLen  = 1 + keyIDLen + nonceLen
	tagLen     = 16
	dataKeyLen = 32
)

// ErrInvalidCiphertext is wrapped by the errors of Cipher.Decrypt when the
// ciphertext cannot be opened: it is malformed, of an unknown version,
// sealed by a data key the store does not hold, altered, or bound to
// another aad.
var ErrInvalidCiphertext = errors.New("crypt: invalid ciphertext")

type keyID [keyIDLen]byte

func (id keyID) String() string { return hex.EncodeToString(id[:]) }

// Cipher is an iswigo.Cipher that seals values with data keys wrapped by a
// key-encryption key and kept in an iswigo.DataKeyStore. Its methods are
// safe for concurrent use, and several processes may share one store.
//
// A ciphertext, version 1, is laid out as follows:
//
//	offset  size  content
//	0       1     version, 1
//	1       8     data key id: the 16 hex characters of iswigo.DataKey.ID, decoded
//	9       12    random GCM nonce
//	21      n+16  AES-256-GCM sealed plaintext (n bytes) and its 16-byte tag
//
// The caller's aad is the GCM additional data; it is not stored. The header
// (version and key id) is not itself authenticated, but a changed key id
// selects a key that fails authentication, and any version other than 1 is
// refused. Nonces are random: a data key should be rotated well before it
// seals 2^32 values.
//
// A Cipher does not close its key-encryption keepers.
type Cipher struct {
	store iswigo.DataKeyStore

	// loadMu serializes the operations that read the store to change the
	// key set (reload, Rotate, Rewrap). It is taken before mu.
	loadMu sync.Mutex
	// loads counts the reloads of the store, under mu, so that a Decrypt
	// waiting for loadMu can tell whether another reload already ran.
	loads uint64

	mu      sync.RWMutex
	kek     *secrets.Keeper
	keys    map[keyID]cipher.AEAD
	current keyID // the key that encrypts
}

var _ iswigo.Cipher = (*Cipher)(nil)

// New returns a Cipher that uses the data keys of store, unwrapped with
// kek. If the store holds no key, New creates one. New fails if a data key
// cannot be unwrapped (kek is not the key that wrapped it).
//
// The newest data key (last in FindDataKeys order) encrypts; every data key
// decrypts.
func New(ctx context.Context, kek *secrets.Keeper, store iswigo.DataKeyStore) (*Cipher, error) {
	if kek == nil || store == nil {
		return nil, errors.New("crypt: New needs a key-encryption key and a data key store")
	}
	c := &Cipher{store: store, kek: kek, keys: make(map[keyID]cipher.AEAD)}
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	n, err := c.reload(ctx)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		if _, err := c.createKey(ctx); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// reload unwraps the keys of the store that c does not know yet and makes
// the newest key the encrypting one. It returns the number of keys in the
// store. The caller holds c.loadMu.
func (c *Cipher) reload(ctx context.Context) (int, error) {
	dks, err := c.store.FindDataKeys(ctx)
	if err != nil {
		return 0, fmt.Errorf("crypt: find data keys: %w", err)
	}
	c.mu.RLock()
	kek := c.kek
	c.mu.RUnlock()

	ids := make([]keyID, len(dks))
	added := make(map[keyID]cipher.AEAD)
	for i, dk := range dks {
		id, err := parseKeyID(dk.ID)
		if err != nil {
			return 0, err
		}
		ids[i] = id
		c.mu.RLock()
		_, known := c.keys[id]
		c.mu.RUnlock()
		if known {
			continue
		}
		aead, err := unwrap(ctx, kek, dk)
		if err != nil {
			return 0, err
		}
		added[id] = aead
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	for id, aead := range added {
		c.keys[id] = aead
	}
	if len(ids) > 0 {
		c.current = ids[len(ids)-1]
	}
	c.loads++
	return len(dks), nil
}

// createKey stores a new data key and makes it the encrypting key. The
// caller holds c.loadMu.
func (c *Cipher) createKey(ctx context.Context) (keyID, error) {
	var id keyID
	rand.Read(id[:])
	raw := make([]byte, dataKeyLen)
	rand.Read(raw)
	defer clear(raw)

	aead, err := newAEAD(raw)
	if err != nil {
		return keyID{}, err
	}
	c.mu.RLock()
	kek := c.kek
	c.mu.RUnlock()
	wrapped, err := kek.Encrypt(ctx, raw)
	if err != nil {
		return keyID{}, fmt.Errorf("crypt: wrap data key: %w", err)
	}
	dk := &iswigo.DataKey{ID: id.String(), Wrapped: wrapped, CreatedAt: time.Now().UTC()}
	if err := c.store.CreateDataKey(ctx, dk); err != nil {
		return keyID{}, fmt.Errorf("crypt: create data key: %w", err)
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	c.keys[id] = aead
	c.current = id
	return id, nil
}

// Rotate creates a data key, which becomes the encrypting key of c, and
// returns its id. Ciphertexts sealed by older keys still open.
//
// Other Ciphers over the same store learn the new key when they first
// decrypt a ciphertext it sealed, and from then on encrypt with it too.
func (c *Cipher) Rotate(ctx context.Context) (id string, err error) {
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	kid, err := c.createKey(ctx)
	if err != nil {
		return "", err
	}
	return kid.String(), nil
}

// Rewrap re-wraps every data key of the store under newKEK and makes c use
// newKEK from then on. It is the step that follows a change of the
// key-encryption key: once it returns, Ciphers must be built with newKEK.
//
// Rewrap may be run again after a failure: keys already wrapped by newKEK
// are left as they are. Keys created by another process during Rewrap may
// stay wrapped by the old key; run it while no other process rotates.
func (c *Cipher) Rewrap(ctx context.Context, newKEK *secrets.Keeper) error {
	if newKEK == nil {
		return errors.New("crypt: Rewrap needs a key-encryption key")
	}
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	dks, err := c.store.FindDataKeys(ctx)
	if err != nil {
		return fmt.Errorf("crypt: find data keys: %w", err)
	}
	c.mu.RLock()
	oldKEK := c.kek
	c.mu.RUnlock()
	for _, dk := range dks {
		raw, err := oldKEK.Decrypt(ctx, dk.Wrapped)
		if err != nil {
			if raw, err := newKEK.Decrypt(ctx, dk.Wrapped); err == nil {
				clear(raw)
				continue // re-wrapped by an earlier, interrupted Rewrap
			}
			return fmt.Errorf("crypt: unwrap data key %s: %w", dk.ID, err)
		}
		wrapped, err := newKEK.Encrypt(ctx, raw)
		clear(raw)
		if err != nil {
			return fmt.Errorf("crypt: wrap data key %s: %w", dk.ID, err)
		}
		if err := c.store.UpdateDataKeyWrapping(ctx, dk.ID, wrapped); err != nil {
			return fmt.Errorf("crypt: update data key %s: %w", dk.ID, err)
		}
	}
	c.mu.Lock()
	c.kek = newKEK
	c.mu.Unlock()
	return nil
}

// Encrypt seals plaintext with the newest data key, binding it to aad, and
// returns the ciphertext in the format described on Cipher.
func (c *Cipher) Encrypt(ctx context.Context, plaintext, aad []byte) ([]byte, error) {
	c.mu.RLock()
	id := c.current
	aead := c.keys[id]
	c.mu.RUnlock()

	out := make([]byte, headerLen, headerLen+len(plaintext)+tagLen)
	out[0] = version1
	copy(out[1:], id[:])
	nonce := out[1+keyIDLen : headerLen]
	rand.Read(nonce)
	return aead.Seal(out, nonce, plaintext, aad), nil
}

// Decrypt opens a ciphertext made by Encrypt with the same aad. When the
// ciphertext names a data key c does not know, Decrypt reads the store
// again, once, since another process may have rotated. Its errors wrap
// ErrInvalidCiphertext when the ciphertext cannot be opened, and never
// contain plaintext or key material.
func (c *Cipher) Decrypt(ctx context.Context, ciphertext, aad []byte) ([]byte, error) {
	if len(ciphertext) < headerLen+tagLen {
		return nil, fmt.Errorf("%w: too short", ErrInvalidCiphertext)
	}
	if v := ciphertext[0]; v != version1 {
		return nil, fmt.Errorf("%w: unknown version %d", ErrInvalidCiphertext, v)
	}
	id := keyID(ciphertext[1 : 1+keyIDLen])
	c.mu.RLock()
	aead, ok := c.keys[id]
	loads := c.loads
	c.mu.RUnlock()
	if !ok {
		var err error
		if aead, err = c.reloadFor(ctx, id, loads); err != nil {
			return nil, err
		}
	}
	plaintext, err := aead.Open(nil, ciphertext[1+keyIDLen:headerLen], ciphertext[headerLen:], aad)
	if err != nil {
		return nil, fmt.Errorf("%w: message authentication failed", ErrInvalidCiphertext)
	}
	return plaintext, nil
}

// reloadFor returns the AEAD of key id, reading the store again unless
// another reload ran since the caller saw loads. Concurrent misses thus
// cost one store read, not one each.
func (c *Cipher) reloadFor(ctx context.Context, id keyID, loads uint64) (cipher.AEAD, error) {
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	c.mu.RLock()
	aead, ok := c.keys[id]
	reloaded := c.loads != loads
	c.mu.RUnlock()
	if !ok && !reloaded {
		if _, err := c.reload(ctx); err != nil {
			return nil, err
		}
		c.mu.RLock()
		aead, ok = c.keys[id]
		c.mu.RUnlock()
	}
	if !ok {
		return nil, fmt.Errorf("%w: unknown data key %s", ErrInvalidCiphertext, id)
	}
	return aead, nil
}

func parseKeyID(s string) (keyID, error) {
	var id keyID
	if len(s) != 2*keyIDLen {
		return id, fmt.Errorf("crypt: data key id %q is not 16 hex characters", s)
	}
	if _, err := hex.Decode(id[:], []byte(s)); err != nil {
		return id, fmt.Errorf("crypt: data key id %q is not 16 hex characters", s)
	}
	return id, nil
}

func unwrap(ctx context.Context, kek *secrets.Keeper, dk *iswigo.DataKey) (cipher.AEAD, error) {
	raw, err := kek.Decrypt(ctx, dk.Wrapped)
	if err != nil {
		return nil, fmt.Errorf("crypt: unwrap data key %s (is the key-encryption key the one that wrapped it?): %w", dk.ID, err)
	}
	defer clear(raw)
	if len(raw) != dataKeyLen {
		return nil, fmt.Errorf("crypt: data key %s is %d bytes, want %d", dk.ID, len(raw), dataKeyLen)
	}
	return newAEAD(raw)
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("crypt: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("crypt: %w", err)
	}
	return aead, nil
}
