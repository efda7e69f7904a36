// SPDX-License-Identifier: Apache-2.0

package crypt_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iswigo/iswigo/crypt"
)

var ctx = context.Background()

// keyIDOf returns the data key id that ciphertext carries.
func keyIDOf(t *testing.T, ciphertext []byte) string {
	t.Helper()
	if len(ciphertext) < 9 {
		t.Fatalf("ciphertext of %d bytes has no key id", len(ciphertext))
	}
	return hex.EncodeToString(ciphertext[1:9])
}

func mustEncrypt(t *testing.T, c *crypt.Cipher, plaintext, aad string) []byte {
	t.Helper()
	ct, err := c.Encrypt(ctx, []byte(plaintext), []byte(aad))
	if err != nil {
		t.Fatal(err)
	}
	return ct
}

func mustDecrypt(t *testing.T, c *crypt.Cipher, ciphertext []byte, aad, want string) {
	t.Helper()
	got, err := c.Decrypt(ctx, ciphertext, []byte(aad))
	if err != nil {
		t.Fatalf("Decrypt: %v", err)
	}
	if string(got) != want {
		t.Fatalf("Decrypt = %q, want %q", got, want)
	}
}

func TestNewCreatesOneKey(t *testing.T) {
	kek, store := newKEK(t), &memStore{}
	before := time.Now().UTC()
	newCipher(t, kek, store)
	newCipher(t, kek, store)
	if n, _ := store.count(); n != 1 {
		t.Fatalf("store holds %d data keys after two New, want 1", n)
	}
	dk := store.keys[0]
	if _, err := hex.DecodeString(dk.ID); err != nil || len(dk.ID) != 16 {
		t.Errorf("data key id %q is not 16 hex characters", dk.ID)
	}
	if dk.CreatedAt.Location() != time.UTC || dk.CreatedAt.Before(before.Add(-time.Second)) || dk.CreatedAt.After(time.Now().Add(time.Second)) {
		t.Errorf("CreatedAt = %v, want now in UTC", dk.CreatedAt)
	}
	raw, err := kek.Decrypt(ctx, dk.Wrapped)
	if err != nil || len(raw) != 32 {
		t.Fatalf("wrapped data key unwraps to %d bytes, %v; want 32 bytes", len(raw), err)
	}
	if bytes.Contains(dk.Wrapped, raw) {
		t.Error("wrapped data key contains the data key")
	}
}

func TestRoundTrip(t *testing.T) {
	c := newCipher(t, newKEK(t), &memStore{})
	for _, plaintext := range []string{"", "s", "client secret 0123456789", strings.Repeat("x", 1<<16)} {
		ct := mustEncrypt(t, c, plaintext, "apps.secret:1")
		if want := 1 + 8 + 12 + len(plaintext) + 16; len(ct) != want {
			t.Errorf("len(ciphertext) = %d, want %d", len(ct), want)
		}
		if ct[0] != 1 {
			t.Errorf("version byte = %d, want 1", ct[0])
		}
		if len(plaintext) > 4 && bytes.Contains(ct, []byte(plaintext)) {
			t.Error("ciphertext contains the plaintext")
		}
		mustDecrypt(t, c, ct, "apps.secret:1", plaintext)
	}
	// Same input twice: different nonces, different ciphertexts.
	a, b := mustEncrypt(t, c, "same", "aad"), mustEncrypt(t, c, "same", "aad")
	if bytes.Equal(a, b) {
		t.Error("two encryptions of the same plaintext are equal")
	}
	// nil and empty aad are the same additional data.
	ct, err := c.Encrypt(ctx, []byte("p"), nil)
	if err != nil {
		t.Fatal(err)
	}
	mustDecrypt(t, c, ct, "", "p")
}

func TestAADMismatch(t *testing.T) {
	c := newCipher(t, newKEK(t), &memStore{})
	const secret = "bank password hunter2"
	ct := mustEncrypt(t, c, secret, "apps.secret:1")
	for _, aad := range []string{"apps.secret:2", "", "apps.secret:1 ", "apps.secret:"} {
		got, err := c.Decrypt(ctx, ct, []byte(aad))
		if err == nil {
			t.Fatalf("Decrypt with aad %q succeeded: %q", aad, got)
		}
		if !errors.Is(err, crypt.ErrInvalidCiphertext) {
			t.Errorf("error %v does not wrap ErrInvalidCiphertext", err)
		}
		if strings.Contains(err.Error(), secret) || got != nil {
			t.Errorf("failed Decrypt leaks the plaintext: %q, %v", got, err)
		}
	}
}

func TestTamper(t *testing.T) {
	c := newCipher(t, newKEK(t), &memStore{})
	ct := mustEncrypt(t, c, "connector state", "connections.state:7")
	for i := range ct {
		for _, mask := range []byte{0x01, 0x80, 0xff} {
			bad := bytes.Clone(ct)
			bad[i] ^= mask
			if got, err := c.Decrypt(ctx, bad, []byte("connections.state:7")); err == nil {
				t.Fatalf("byte %d ^ %#x: Decrypt succeeded: %q", i, mask, got)
			} else if !errors.Is(err, crypt.ErrInvalidCiphertext) {
				t.Errorf("byte %d ^ %#x: error %v does not wrap ErrInvalidCiphertext", i, mask, err)
			}
		}
	}
	for n := range len(ct) {
		if _, err := c.Decrypt(ctx, ct[:n], []byte("connections.state:7")); err == nil {
			t.Fatalf("Decrypt of the first %d bytes succeeded", n)
		}
	}
	if _, err := c.Decrypt(ctx, append(bytes.Clone(ct), 0), []byte("connections.state:7")); err == nil {
		t.Fatal("Decrypt with a trailing byte succeeded")
	}
	// The original still opens: the failures above are the tampering's.
	mustDecrypt(t, c, ct, "connections.state:7", "connector state")
}

func TestSecondCipher(t *testing.T) {
	kek, store := newKEK(t), &memStore{}
	c1 := newCipher(t, kek, store)
	ct := mustEncrypt(t, c1, "jwt private key", "signing_keys:1")
	c2 := newCipher(t, kek, store)
	mustDecrypt(t, c2, ct, "signing_keys:1", "jwt private key")
	mustDecrypt(t, c1, mustEncrypt(t, c2, "back", "a"), "a", "back")
}

func TestRotate(t *testing.T) {
	kek, store := newKEK(t), &memStore{}
	c := newCipher(t, kek, store)
	old := mustEncrypt(t, c, "old", "a")
	id, err := c.Rotate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := store.count(); n != 2 {
		t.Fatalf("store holds %d data keys after Rotate, want 2", n)
	}
	if id == keyIDOf(t, old) || store.keys[1].ID != id {
		t.Fatalf("Rotate = %q; old key %q, stored keys %q and %q", id, keyIDOf(t, old), store.keys[0].ID, store.keys[1].ID)
	}
	mustDecrypt(t, c, old, "a", "old")
	ct := mustEncrypt(t, c, "new", "a")
	if got := keyIDOf(t, ct); got != id {
		t.Fatalf("new ciphertext carries key %s, want %s", got, id)
	}
	mustDecrypt(t, c, ct, "a", "new")

	// A Cipher built after the rotation encrypts with the newest key.
	c2 := newCipher(t, kek, store)
	if got := keyIDOf(t, mustEncrypt(t, c2, "x", "a")); got != id {
		t.Fatalf("new Cipher encrypts with key %s, want the newest %s", got, id)
	}
	mustDecrypt(t, c2, old, "a", "old")
}

func TestReloadAfterRotationElsewhere(t *testing.T) {
	kek, store := newKEK(t), &memStore{}
	a := newCipher(t, kek, store) // built before the rotation
	b := newCipher(t, kek, store)
	id, err := b.Rotate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ct := mustEncrypt(t, b, "rotated", "a")
	if keyIDOf(t, ct) != id {
		t.Fatal("ciphertext does not carry the new key")
	}
	_, findsBefore := store.count()
	mustDecrypt(t, a, ct, "a", "rotated")
	_, findsAfter := store.count()
	if findsAfter != findsBefore+1 {
		t.Errorf("Decrypt of an unknown key read the store %d times, want 1", findsAfter-findsBefore)
	}
	// Having learnt the newer key, a encrypts with it.
	if got := keyIDOf(t, mustEncrypt(t, a, "x", "a")); got != id {
		t.Errorf("after reload, encrypting key = %s, want %s", got, id)
	}
	// A known key costs no store read.
	mustDecrypt(t, a, ct, "a", "rotated")
	if _, f := store.count(); f != findsAfter {
		t.Errorf("Decrypt of a known key read the store")
	}
}

func TestConcurrentMissesCoalesce(t *testing.T) {
	kek, store := newKEK(t), &memStore{}
	c := newCipher(t, kek, store)
	// A ciphertext whose key no store of c's will ever hold.
	ct := mustEncrypt(t, newCipher(t, kek, &memStore{}), "x", "a")

	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	store.mu.Lock()
	store.gate = func() {
		once.Do(func() { close(entered) })
		<-release
	}
	store.mu.Unlock()
	_, before := store.count()

	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			if _, err := c.Decrypt(ctx, ct, []byte("a")); !errors.Is(err, crypt.ErrInvalidCiphertext) {
				errs <- fmt.Errorf("Decrypt with an unknown key: %v, want ErrInvalidCiphertext", err)
			}
		})
	}
	select {
	case <-entered: // one Decrypt reads the store,
	case <-time.After(5 * time.Second):
		close(release)
		t.Fatal("no Decrypt read the store")
	}
	time.Sleep(20 * time.Millisecond) // the others miss and queue behind it
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if _, after := store.count(); after-before != 1 {
		t.Errorf("%d concurrent Decrypts of an unknown key read the store %d times, want 1", n, after-before)
	}
}

func TestUnknownKey(t *testing.T) {
	kek := newKEK(t)
	a := newCipher(t, kek, &memStore{})
	b := newCipher(t, kek, &memStore{}) // another deployment
	store := &memStore{}
	c := newCipher(t, kek, store)
	for _, ct := range [][]byte{mustEncrypt(t, a, "x", "a"), mustEncrypt(t, b, "x", "a")} {
		_, finds := store.count()
		_, err := c.Decrypt(ctx, ct, []byte("a"))
		if !errors.Is(err, crypt.ErrInvalidCiphertext) || !strings.Contains(err.Error(), "unknown data key "+keyIDOf(t, ct)) {
			t.Errorf("Decrypt with a key of another store: %v; want unknown data key %s", err, keyIDOf(t, ct))
		}
		if _, f := store.count(); f != finds+1 {
			t.Errorf("Decrypt of an unknown key read the store %d times, want 1", f-finds)
		}
	}
}

func TestVersion(t *testing.T) {
	c := newCipher(t, newKEK(t), &memStore{})
	ct := mustEncrypt(t, c, "x", "a")
	for _, v := range []byte{0, 2, 255} {
		bad := bytes.Clone(ct)
		bad[0] = v
		_, err := c.Decrypt(ctx, bad, []byte("a"))
		if !errors.Is(err, crypt.ErrInvalidCiphertext) || !strings.Contains(err.Error(), "version") {
			t.Errorf("version %d: %v, want an unknown version error", v, err)
		}
	}
}

func TestRewrap(t *testing.T) {
	oldKEK, newKEK2, store := newKEK(t), newKEK(t), &memStore{}
	c := newCipher(t, oldKEK, store)
	ct1 := mustEncrypt(t, c, "first", "a")
	if _, err := c.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	ct2 := mustEncrypt(t, c, "second", "a")
	wrappedBefore := [][]byte{bytes.Clone(store.keys[0].Wrapped), bytes.Clone(store.keys[1].Wrapped)}

	if err := c.Rewrap(ctx, newKEK2); err != nil {
		t.Fatal(err)
	}
	for i, k := range store.keys {
		if bytes.Equal(k.Wrapped, wrappedBefore[i]) {
			t.Errorf("data key %s was not re-wrapped", k.ID)
		}
	}
	n := newCipher(t, newKEK2, store)
	mustDecrypt(t, n, ct1, "a", "first")
	mustDecrypt(t, n, ct2, "a", "second")
	if _, err := crypt.New(ctx, oldKEK, store); err == nil {
		t.Error("New with the old key-encryption key succeeded after Rewrap")
	}

	// c now unwraps with the new KEK: it learns a key created after Rewrap.
	if _, err := n.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	mustDecrypt(t, c, mustEncrypt(t, n, "third", "a"), "a", "third")
	mustDecrypt(t, c, ct1, "a", "first")

	// Rewrap again under the same key (a retry after a failure) leaves
	// every key readable.
	if err := c.Rewrap(ctx, newKEK2); err != nil {
		t.Fatalf("second Rewrap: %v", err)
	}
	mustDecrypt(t, newCipher(t, newKEK2, store), ct1, "a", "first")
}

func TestRewrapResumes(t *testing.T) {
	oldKEK, newKEK2, store := newKEK(t), newKEK(t), &memStore{}
	c := newCipher(t, oldKEK, store)
	ct := mustEncrypt(t, c, "first", "a")
	if _, err := c.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	// An interrupted Rewrap re-wrapped the first key only.
	raw, err := oldKEK.Decrypt(ctx, store.keys[0].Wrapped)
	if err != nil {
		t.Fatal(err)
	}
	w, err := newKEK2.Encrypt(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	store.keys[0].Wrapped = w

	if err := c.Rewrap(ctx, newKEK2); err != nil {
		t.Fatalf("Rewrap after an interrupted one: %v", err)
	}
	mustDecrypt(t, newCipher(t, newKEK2, store), ct, "a", "first")
}

func TestWrongKEK(t *testing.T) {
	store := &memStore{}
	newCipher(t, newKEK(t), store)
	if _, err := crypt.New(ctx, newKEK(t), store); err == nil {
		t.Fatal("New with another key-encryption key succeeded")
	}
}

func TestConcurrent(t *testing.T) {
	kek, store := newKEK(t), &memStore{}
	a, b := newCipher(t, kek, store), newCipher(t, kek, store)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				msg := fmt.Sprintf("%d/%d", g, i)
				ct, err := a.Encrypt(ctx, []byte(msg), []byte("aad"))
				if err != nil {
					errs <- err
					return
				}
				got, err := b.Decrypt(ctx, ct, []byte("aad"))
				if err != nil || string(got) != msg {
					errs <- fmt.Errorf("Decrypt = %q, %v; want %q", got, err, msg)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for range 5 {
			if _, err := a.Rotate(ctx); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func BenchmarkEncrypt(b *testing.B) {
	c := newCipher(b, newKEK(b), &memStore{})
	payload, aad := bytes.Repeat([]byte{'x'}, 64), []byte("apps.secret:0123456789")
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Encrypt(ctx, payload, aad); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecrypt(b *testing.B) {
	c := newCipher(b, newKEK(b), &memStore{})
	payload, aad := bytes.Repeat([]byte{'x'}, 64), []byte("apps.secret:0123456789")
	ct, err := c.Encrypt(ctx, payload, aad)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Decrypt(ctx, ct, aad); err != nil {
			b.Fatal(err)
		}
	}
}
