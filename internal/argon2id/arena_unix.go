// SPDX-License-Identifier: Apache-2.0

//go:build unix

package argon2id

import (
	"syscall"
	"unsafe"
)

// newArena maps n blocks of anonymous private memory outside the Go heap
// (the pages are zero and become resident as the hash writes them), or
// falls back to the heap if the kernel refuses.
func newArena(n int) *arena {
	raw, err := syscall.Mmap(-1, 0, n*len(block{})*8, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return heapArena(n)
	}
	blocks := unsafe.Slice((*block)(unsafe.Pointer(unsafe.SliceData(raw))), n)
	return &arena{blocks: blocks, unmap: func() { _ = syscall.Munmap(raw) }}
}
