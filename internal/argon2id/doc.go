// SPDX-License-Identifier: Apache-2.0

// Package argon2id computes Argon2id (RFC 9106, version 0x13) in memory
// that it keeps between calls.
//
// golang.org/x/crypto/argon2 allocates a fresh buffer on the Go heap for
// every hash (19 MiB at iswigo's default parameters) and drops it at once:
// under a steady trickle of logins the heap's goal jumps by that much at
// each collection that happens mid-hash, the runtime hands the freed
// spans back to the kernel and the next hash takes them again, so the
// process's resident set saws by tens of megabytes (docs/benchmarks.md,
// memory of the real binary). Here each hash borrows an arena: memory
// mapped outside the Go heap where the platform allows it, reused by the
// next hash and returned to the kernel after a minute without hashing.
// The garbage collector never sees it.
//
// Key's output is byte for byte that of golang.org/x/crypto/argon2.IDKey
// for the same arguments (the tests compare both on random inputs and
// check RFC 9106's test vector).
package argon2id
