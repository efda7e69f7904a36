// SPDX-License-Identifier: Apache-2.0

package argon2id

import (
	"encoding/binary"
	"sync"
	"sync/atomic"
)

const (
	version    = 0x13 // RFC 9106's only version
	typeID     = 2    // Argon2id
	syncPoints = 4    // slices per pass
	blockWords = 128  // 64-bit words in a 1 KiB block
	// addressesPerBlock is how many reference positions one address block
	// of the data-independent passes holds.
	addressesPerBlock = blockWords
)

// filled counts the blocks computed by this process, for Work.
var filled atomic.Uint64

// Work returns how many 1 KiB blocks the process's hashes have computed so
// far: time × memory per hash (memory rounded down to a multiple of
// 4·threads). Tests use it to check that two calls do the same work
// without timing them.
func Work() uint64 { return filled.Load() }

// block is one 1 KiB memory block, as 128 little-endian 64-bit words.
type block [blockWords]uint64

// Key returns the keyLen-byte Argon2id tag of password and salt with time
// passes over memory KiB in threads lanes: the same bytes as
// golang.org/x/crypto/argon2.IDKey. The working memory comes from the
// package's arena pool.
//
// It panics if threads is 0, time is 0, keyLen is 0 or memory is below
// 8*threads KiB: callers validate their parameters first.
func Key(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	return derive(password, salt, nil, nil, time, memory, threads, keyLen)
}

// derive is Key with RFC 9106's optional secret and associated data.
func derive(password, salt, secret, data []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	if threads == 0 || time == 0 || keyLen == 0 || memory < 2*syncPoints*uint32(threads) {
		panic("argon2id: parameters out of range")
	}
	h0 := initialHash(password, salt, secret, data, time, memory, threads, keyLen)
	lanes := uint32(threads)
	// The memory actually used: a multiple of 4 blocks per lane.
	blocks := memory / (syncPoints * lanes) * (syncPoints * lanes)
	a := arenas.get(int(blocks))
	defer arenas.put(a)
	mem := a.blocks[:blocks]
	f := filler{mem: mem, lanes: lanes, laneLen: blocks / lanes, passes: time}
	f.segLen = f.laneLen / syncPoints
	f.firstBlocks(&h0)
	f.fill()
	filled.Add(uint64(blocks) * uint64(time))
	return f.finalize(keyLen)
}

// initialHash is H0: BLAKE2b-512 over the parameters and inputs.
func initialHash(password, salt, secret, data []byte, time, memory uint32, threads uint8, keyLen uint32) [64]byte {
	h := newBlake2b(64)
	var word [4]byte
	put := func(v uint32) {
		binary.LittleEndian.PutUint32(word[:], v)
		h.Write(word[:])
	}
	for _, v := range [...]uint32{uint32(threads), keyLen, memory, time, version, typeID} {
		put(v)
	}
	for _, s := range [...][]byte{password, salt, secret, data} {
		put(uint32(len(s)))
		h.Write(s)
	}
	var out [64]byte
	h.Sum(out[:0])
	return out
}

// filler holds one computation's memory and geometry.
type filler struct {
	mem                    []block
	lanes, laneLen, segLen uint32
	passes                 uint32
}

// firstBlocks computes the first two blocks of every lane from H0.
func (f *filler) firstBlocks(h0 *[64]byte) {
	var in [72]byte
	copy(in[:], h0[:])
	var raw [1024]byte
	for lane := range f.lanes {
		binary.LittleEndian.PutUint32(in[68:], lane)
		for col := range uint32(2) {
			binary.LittleEndian.PutUint32(in[64:], col)
			variableHash(raw[:], in[:])
			b := &f.mem[lane*f.laneLen+col]
			for i := range b {
				b[i] = binary.LittleEndian.Uint64(raw[8*i:])
			}
		}
	}
}

// fill makes the passes. Within a slice the lanes depend only on each
// other's finished slices, so they run side by side.
func (f *filler) fill() {
	for pass := range f.passes {
		for slice := range uint32(syncPoints) {
			if f.lanes == 1 {
				f.segment(pass, slice, 0)
				continue
			}
			var wg sync.WaitGroup
			for lane := range f.lanes {
				wg.Go(func() { f.segment(pass, slice, lane) })
			}
			wg.Wait()
		}
	}
}

// segment computes one lane's blocks of one slice of one pass.
func (f *filler) segment(pass, slice, lane uint32) {
	// Argon2id: the first half of the first pass picks its references
	// from address blocks (independent of the password's data), the rest
	// from the previous block's first word.
	independent := pass == 0 && slice < syncPoints/2
	var counter, address block
	if independent {
		counter[0], counter[1], counter[2] = uint64(pass), uint64(lane), uint64(slice)
		counter[3], counter[4], counter[5] = uint64(len(f.mem)), uint64(f.passes), typeID
	}
	start := uint32(0)
	if pass == 0 && slice == 0 {
		start = 2 // the first two blocks come from H0
		if independent {
			nextAddresses(&address, &counter)
		}
	}
	laneStart := lane * f.laneLen
	for i := start; i < f.segLen; i++ {
		col := slice*f.segLen + i
		prev := laneStart + col - 1
		if col == 0 {
			prev = laneStart + f.laneLen - 1
		}
		var rnd uint64
		if independent {
			if i%addressesPerBlock == 0 {
				nextAddresses(&address, &counter)
			}
			rnd = address[i%addressesPerBlock]
		} else {
			rnd = f.mem[prev][0]
		}
		refLane := lane
		if pass != 0 || slice != 0 {
			refLane = uint32((rnd >> 32) % uint64(f.lanes))
		}
		ref := refLane*f.laneLen + f.refColumn(pass, slice, i, refLane == lane, uint32(rnd))
		compress(&f.mem[laneStart+col], &f.mem[prev], &f.mem[ref], pass > 0)
	}
}

// refColumn maps j1 to the column of the reference block in its lane
// (RFC 9106 §3.4.1.2): over the blocks that may be referenced, with a
// distribution skewed towards the most recent ones.
func (f *filler) refColumn(pass, slice, i uint32, sameLane bool, j1 uint32) uint32 {
	var area uint32 // how many blocks may be referenced
	switch {
	case pass == 0 && slice == 0:
		area = i - 1 // this segment so far, but the previous block
	case pass == 0 && sameLane:
		area = slice*f.segLen + i - 1
	case pass == 0:
		area = slice * f.segLen
		if i == 0 {
			area--
		}
	case sameLane:
		area = f.laneLen - f.segLen + i - 1
	default:
		area = f.laneLen - f.segLen
		if i == 0 {
			area--
		}
	}
	x := uint64(j1) * uint64(j1) >> 32
	rel := uint64(area) - 1 - (uint64(area) * x >> 32)
	first := uint32(0) // where the area starts: after this slice, on later passes
	if pass != 0 && slice != syncPoints-1 {
		first = (slice + 1) * f.segLen
	}
	return uint32((uint64(first) + rel) % uint64(f.laneLen))
}

// nextAddresses advances the counter block and makes the next address
// block: G(0, G(0, counter)).
func nextAddresses(address, counter *block) {
	counter[6]++
	var zero block
	compress(address, &zero, counter, false)
	compress(address, &zero, address, false)
}

// finalize XORs the last block of every lane and hashes it to keyLen bytes.
func (f *filler) finalize(keyLen uint32) []byte {
	last := f.mem[f.laneLen-1]
	for lane := uint32(1); lane < f.lanes; lane++ {
		b := &f.mem[lane*f.laneLen+f.laneLen-1]
		for i := range last {
			last[i] ^= b[i]
		}
	}
	var raw [1024]byte
	for i, w := range last {
		binary.LittleEndian.PutUint64(raw[8*i:], w)
	}
	out := make([]byte, keyLen)
	variableHash(out, raw[:])
	return out
}
