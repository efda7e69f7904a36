// SPDX-License-Identifier: Apache-2.0

package argon2id

import (
	"runtime"
	"testing"
	"time"
)

func TestArenaReused(t *testing.T) {
	var p arenaPool
	a := p.get(100)
	if len(a.blocks) != 100 {
		t.Fatalf("%d blocks", len(a.blocks))
	}
	a.blocks[99][127] = 7 // the memory is writable to its end
	p.put(a)
	if b := p.get(50); b != a {
		t.Fatal("a smaller request did not reuse the free arena")
	}
	p.put(a)
	if b := p.get(200); b == a || len(b.blocks) != 200 {
		t.Fatal("a larger request got the small arena")
	}
}

func TestArenaTooLargeNotKept(t *testing.T) {
	var p arenaPool
	a := p.get(maxPooledBlocks + 1)
	p.put(a)
	if a.blocks != nil || len(p.free) != 0 {
		t.Fatal("an arena above maxPooledBlocks was kept")
	}
}

func TestArenaPoolBounded(t *testing.T) {
	var p arenaPool
	n := runtime.GOMAXPROCS(0)
	var held []*arena
	for i := range n + 2 {
		held = append(held, p.get(10+i))
	}
	for _, a := range held {
		p.put(a)
	}
	if len(p.free) != n {
		t.Fatalf("%d free arenas, want GOMAXPROCS (%d)", len(p.free), n)
	}
	for _, a := range p.free {
		if len(a.blocks) < 12 { // the smallest were the ones dropped
			t.Fatalf("kept an arena of %d blocks", len(a.blocks))
		}
	}
	if held[0].blocks != nil || held[1].blocks != nil {
		t.Fatal("dropped arenas were not released")
	}
}

func TestArenaIdleRelease(t *testing.T) {
	var p arenaPool
	old, recent := p.get(10), p.get(10)
	p.put(old)
	p.put(recent)
	old.lastUse = time.Now().Add(-idleRelease - time.Second)
	p.sweep()
	if old.blocks != nil || recent.blocks == nil || len(p.free) != 1 || p.free[0] != recent {
		t.Fatalf("after a sweep: old %v, recent %v, %d free", old.blocks != nil, recent.blocks != nil, len(p.free))
	}
	if p.sweeper == nil {
		t.Fatal("no sweep armed while an arena is free")
	}
	recent.lastUse = time.Now().Add(-idleRelease)
	p.sweep()
	if len(p.free) != 0 || p.sweeper != nil {
		t.Fatal("the last arena was not released, or a sweep is still armed")
	}
}
