// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"sync"
	"time"
)

var idMu sync.Mutex
var lastIDMillis int64
var lastIDSeq uint16

// NewID returns a new UUID version 7 (RFC 9562) as a lower-case string:
// time-ordered, with 62 random bits, and strictly increasing within one process.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])

	idMu.Lock()
	ms := time.Now().UnixMilli()
	if ms <= lastIDMillis {
		ms = lastIDMillis
		lastIDSeq++
		if lastIDSeq > 0x0fff {
			ms++
			lastIDSeq = 0
		}
	} else {
		lastIDSeq = binary.BigEndian.Uint16(b[6:8]) & 0x07ff // leave room to count up
	}
	lastIDMillis = ms
	seq := lastIDSeq
	idMu.Unlock()

	b[0], b[1], b[2], b[3], b[4], b[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	b[6] = 0x70 | byte(seq>>8)&0x0f
	b[7] = byte(seq)
	b[8] = 0x80 | b[8]&0x3f
	return formatUUID(b)
}

// NewRandomID returns a new UUID version 4: for identifiers that must not
// reveal their creation time or order (funnel sessions).
func NewRandomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = 0x40 | b[6]&0x0f
	b[8] = 0x80 | b[8]&0x3f
	return formatUUID(b)
}

func formatUUID(b [16]byte) string {
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// ValidID reports whether s is a UUID in canonical lower- or upper-case form.
// Handlers use it to answer 404 for malformed ids without a query.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}
