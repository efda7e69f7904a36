// SPDX-License-Identifier: Apache-2.0

package argon2id

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"testing"

	"golang.org/x/crypto/argon2"
)

// RFC 9106 §5.3: Argon2id with a secret and associated data.
func TestRFCVector(t *testing.T) {
	password := bytes.Repeat([]byte{1}, 32)
	salt := bytes.Repeat([]byte{2}, 16)
	secret := bytes.Repeat([]byte{3}, 8)
	data := bytes.Repeat([]byte{4}, 12)
	got := derive(password, salt, secret, data, 3, 32, 4, 32)
	want := "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"
	if hex.EncodeToString(got) != want {
		t.Fatalf("tag %x, want %s", got, want)
	}
}

// The tags are x/crypto's for random inputs and parameters, including
// several lanes, odd memory sizes and long tags.
func TestSameAsXCrypto(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 60 {
		password := make([]byte, rng.IntN(40))
		salt := make([]byte, 8+rng.IntN(24))
		for _, b := range [][]byte{password, salt} {
			for i := range b {
				b[i] = byte(rng.UintN(256))
			}
		}
		threads := uint8(1 + rng.IntN(4))
		memory := uint32(8*int(threads) + rng.IntN(600))
		time := uint32(1 + rng.IntN(3))
		keyLen := uint32(4 + rng.IntN(140))
		got := Key(password, salt, time, memory, threads, keyLen)
		want := argon2.IDKey(password, salt, time, memory, threads, keyLen)
		if !bytes.Equal(got, want) {
			t.Fatalf("case %d (t=%d m=%d p=%d len=%d): %x, want %x", n, time, memory, threads, keyLen, got, want)
		}
	}
}

// A reused arena's old contents never reach the result: every block is
// written before it is read.
func TestDirtyArena(t *testing.T) {
	want := argon2.IDKey([]byte("password"), []byte("somesalt"), 2, 1024, 1, 32)
	a := arenas.get(1024)
	for i := range a.blocks {
		for j := range a.blocks[i] {
			a.blocks[i][j] = ^uint64(0)
		}
	}
	arenas.put(a)
	if got := Key([]byte("password"), []byte("somesalt"), 2, 1024, 1, 32); !bytes.Equal(got, want) {
		t.Fatalf("%x, want %x", got, want)
	}
}

// Default parameters, as a login computes them.
func TestDefaultParameters(t *testing.T) {
	got := Key([]byte("Str0ng!Passw0rd"), []byte("0123456789abcdef"), 2, 19*1024, 1, 32)
	want := argon2.IDKey([]byte("Str0ng!Passw0rd"), []byte("0123456789abcdef"), 2, 19*1024, 1, 32)
	if !bytes.Equal(got, want) {
		t.Fatalf("%x, want %x", got, want)
	}
}

// FuzzSameAsXCrypto: for any password, salt and small parameters, the tag
// is x/crypto's.
func FuzzSameAsXCrypto(f *testing.F) {
	f.Add([]byte("password"), []byte("somesalt"), uint8(1), uint16(64), uint8(1), uint8(32))
	f.Add([]byte{}, []byte("12345678"), uint8(3), uint16(37), uint8(4), uint8(100))
	f.Fuzz(func(t *testing.T, password, salt []byte, time uint8, memory uint16, threads uint8, keyLen uint8) {
		p := uint8(1 + threads%4)
		tm := uint32(1 + time%3)
		m := uint32(8*int(p)) + uint32(memory%512)
		n := uint32(1 + keyLen%160)
		if got, want := Key(password, salt, tm, m, p, n), argon2.IDKey(password, salt, tm, m, p, n); !bytes.Equal(got, want) {
			t.Fatalf("t=%d m=%d p=%d len=%d: %x, want %x", tm, m, p, n, got, want)
		}
	})
}
