// SPDX-License-Identifier: Apache-2.0

//go:build !unix

package argon2id

// newArena puts n blocks on the Go heap where memory mapping is not
// available; the pool still reuses them.
func newArena(n int) *arena { return heapArena(n) }
