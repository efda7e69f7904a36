// SPDX-License-Identifier: Apache-2.0

package argon2id

import (
	"testing"

	"golang.org/x/crypto/argon2"
)

// BenchmarkKey is one hash at iswigo's default parameters (19 MiB, 2
// passes, 1 lane), here and in x/crypto, whose amd64 build uses SSE4.1
// assembly for the compression:
//
//	go test -run '^$' -bench Key -benchmem ./internal/argon2id
func BenchmarkKey(b *testing.B) {
	password, salt := []byte("Str0ng!Passw0rd"), []byte("0123456789abcdef")
	b.Run("arena", func(b *testing.B) {
		for b.Loop() {
			Key(password, salt, 2, 19*1024, 1, 32)
		}
	})
	b.Run("x-crypto", func(b *testing.B) {
		for b.Loop() {
			argon2.IDKey(password, salt, 2, 19*1024, 1, 32)
		}
	})
}
