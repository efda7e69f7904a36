// SPDX-License-Identifier: Apache-2.0

package argon2id

import (
	"runtime"
	"sync"
	"time"
)

// Bounds of the arena pool.
const (
	// maxPooledBlocks is the largest arena kept for reuse (64 MiB). A hash
	// stored with more memory than that (an old or unusual parameter set)
	// gets an arena of its own, unmapped after the call.
	maxPooledBlocks = 64 << 10
	// idleRelease is how long an unused arena stays mapped.
	idleRelease = time.Minute
)

// arena is working memory for one computation at a time.
type arena struct {
	blocks  []block
	unmap   func() // returns the memory; nil when it is on the Go heap
	lastUse time.Time
}

func (a *arena) release() {
	if a.unmap != nil {
		a.unmap()
	}
	a.blocks = nil
}

// arenaPool keeps free arenas: at most one per processor (concurrent
// hashes are bounded above by auth.HashLimiter anyway), each unmapped
// after idleRelease without use.
type arenaPool struct {
	mu      sync.Mutex
	free    []*arena
	sweeper *time.Timer // armed while free is not empty
}

var arenas arenaPool

// get returns a free arena of at least n blocks, or a new one.
func (p *arenaPool) get(n int) *arena {
	p.mu.Lock()
	for i := len(p.free) - 1; i >= 0; i-- {
		if a := p.free[i]; len(a.blocks) >= n {
			p.free = append(p.free[:i], p.free[i+1:]...)
			p.mu.Unlock()
			return a
		}
	}
	p.mu.Unlock()
	return newArena(n)
}

// put gives a back for reuse, or unmaps it when it is too large or the
// pool is full. A smaller free arena is dropped in favour of a larger one.
func (p *arenaPool) put(a *arena) {
	if len(a.blocks) > maxPooledBlocks {
		a.release()
		return
	}
	a.lastUse = time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) >= runtime.GOMAXPROCS(0) {
		smallest := 0
		for i, f := range p.free {
			if len(f.blocks) < len(p.free[smallest].blocks) {
				smallest = i
			}
		}
		if len(p.free[smallest].blocks) >= len(a.blocks) {
			a.release()
			return
		}
		p.free[smallest].release()
		p.free = append(p.free[:smallest], p.free[smallest+1:]...)
	}
	p.free = append(p.free, a)
	if p.sweeper == nil {
		p.sweeper = time.AfterFunc(idleRelease, p.sweep)
	}
}

// sweep unmaps the arenas unused for idleRelease and re-arms itself while
// any remain.
func (p *arenaPool) sweep() {
	p.mu.Lock()
	defer p.mu.Unlock()
	kept := p.free[:0]
	oldest := time.Now()
	for _, a := range p.free {
		if time.Since(a.lastUse) >= idleRelease {
			a.release()
			continue
		}
		kept = append(kept, a)
		if a.lastUse.Before(oldest) {
			oldest = a.lastUse
		}
	}
	clear(p.free[len(kept):])
	p.free = kept
	p.sweeper = nil
	if len(p.free) > 0 {
		p.sweeper = time.AfterFunc(idleRelease-time.Since(oldest), p.sweep)
	}
}

// heapArena is the fallback: memory on the Go heap.
func heapArena(n int) *arena { return &arena{blocks: make([]block, n)} }
