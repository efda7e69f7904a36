// SPDX-License-Identifier: Apache-2.0

package argon2id

import (
	"encoding/binary"
	"hash"

	"golang.org/x/crypto/blake2b"
)

// newBlake2b returns an unkeyed BLAKE2b hash of size bytes (1 to 64).
func newBlake2b(size int) hash.Hash {
	h, err := blake2b.New(size, nil)
	if err != nil {
		panic(err) // size is always in range here
	}
	return h
}

// variableHash fills out with H' of in (RFC 9106 §3.3): BLAKE2b of the
// output's length and in when that fits in 64 bytes; otherwise a chain of
// BLAKE2b-512 hashes, each giving its first 32 bytes, and a last hash of
// the remaining length.
func variableHash(out, in []byte) {
	var length [4]byte
	binary.LittleEndian.PutUint32(length[:], uint32(len(out)))
	if len(out) <= 64 {
		h := newBlake2b(len(out))
		h.Write(length[:])
		h.Write(in)
		h.Sum(out[:0])
		return
	}
	h := newBlake2b(64)
	h.Write(length[:])
	h.Write(in)
	var v [64]byte
	h.Sum(v[:0])
	copy(out, v[:32])
	pos := 32
	for len(out)-pos > 64 {
		v = blake2b.Sum512(v[:])
		copy(out[pos:], v[:32])
		pos += 32
	}
	h = newBlake2b(len(out) - pos)
	h.Write(v[:])
	h.Sum(out[pos:pos])
}
