// SPDX-License-Identifier: Apache-2.0

package auth

import (
	"context"
	"errors"
	"runtime"
	"time"
)

// ErrHashingBusy is returned by HashLimiter.Do when no computation slot
// freed up in time: the caller answers 503 with Retry-After.
var ErrHashingBusy = errors.New("auth: password hashing busy")

// HashLimiter bounds the argon2id computations of a process: each costs
// about 20 ms of one core and a 19 MiB arena (kept per slot in use, see
// internal/argon2id), so without a bound a burst of logins takes every
// core and as many arenas. At most Concurrency run at once; up to Queue more wait, each at
// most Wait; the rest are refused at once. Safe for concurrent use.
type HashLimiter struct {
	slots   chan struct{}
	waiting chan struct{}
	wait    time.Duration
}

// HashLimiterParams configure a HashLimiter. Zero values take the defaults.
type HashLimiterParams struct {
	// Concurrency is how many computations run at once. Defaults to half
	// of GOMAXPROCS (at least one): a login storm keeps the other cores for
	// every other route (docs/benchmarks.md, login storm).
	Concurrency int
	// Queue is how many more may wait for a slot. Defaults to 8 per slot.
	Queue int
	// Wait is the longest a computation waits for a slot. Defaults to 2 s.
	Wait time.Duration
}

// NewHashLimiter returns a limiter with p's bounds.
func NewHashLimiter(p HashLimiterParams) *HashLimiter {
	if p.Concurrency <= 0 {
		p.Concurrency = max(1, runtime.GOMAXPROCS(0)/2)
	}
	if p.Queue <= 0 {
		p.Queue = 8 * p.Concurrency
	}
	if p.Wait <= 0 {
		p.Wait = 2 * time.Second
	}
	return &HashLimiter{slots: make(chan struct{}, p.Concurrency), waiting: make(chan struct{}, p.Queue), wait: p.Wait}
}

// Do runs fn in a computation slot. It returns ErrHashingBusy without
// running fn when the queue is full or no slot freed up within the wait,
// and ctx's error if ctx ended first.
func (l *HashLimiter) Do(ctx context.Context, fn func()) error {
	select {
	case l.slots <- struct{}{}: // a free slot: no queueing
	default:
		select {
		case l.waiting <- struct{}{}:
		default:
			return ErrHashingBusy
		}
		timer := time.NewTimer(l.wait)
		defer timer.Stop()
		select {
		case l.slots <- struct{}{}:
			<-l.waiting
		case <-timer.C:
			<-l.waiting
			return ErrHashingBusy
		case <-ctx.Done():
			<-l.waiting
			return ctx.Err()
		}
	}
	defer func() { <-l.slots }()
	fn()
	return nil
}

// RetryAfter is the Retry-After, in seconds, to give a refused caller: the
// longest wait, rounded up.
func (l *HashLimiter) RetryAfter() int {
	return int((l.wait + time.Second - 1) / time.Second)
}
