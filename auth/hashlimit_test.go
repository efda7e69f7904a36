// SPDX-License-Identifier: Apache-2.0

package auth

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestHashLimiterBounds: with 2 slots and a queue of 3, two computations
// run, three wait and the sixth is refused at once; a waiter whose wait
// ends first is refused; the waiters then run as slots free up, never more
// than two at once.
func TestHashLimiterBounds(t *testing.T) {
	l := NewHashLimiter(HashLimiterParams{Concurrency: 2, Queue: 3, Wait: time.Hour})
	release := make(chan struct{})
	var mu sync.Mutex
	running, most, ran := 0, 0, 0
	work := func() {
		mu.Lock()
		running++
		most = max(most, running)
		mu.Unlock()
		<-release
		mu.Lock()
		running--
		ran++
		mu.Unlock()
	}
	var wg sync.WaitGroup
	errs := make(chan error, 5)
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- l.Do(context.Background(), work) }()
	}
	// Wait until 2 run and 3 wait.
	for len(l.slots) < 2 || len(l.waiting) < 3 {
		time.Sleep(time.Millisecond)
	}
	if err := l.Do(context.Background(), work); !errors.Is(err, ErrHashingBusy) {
		t.Fatalf("sixth: %v, want ErrHashingBusy at once", err)
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if ran != 5 || most != 2 {
		t.Fatalf("%d ran, %d at once; want 5, 2", ran, most)
	}
}

func TestHashLimiterWaitEnds(t *testing.T) {
	l := NewHashLimiter(HashLimiterParams{Concurrency: 1, Queue: 1, Wait: 10 * time.Millisecond})
	release := make(chan struct{})
	go l.Do(context.Background(), func() { <-release })
	for len(l.slots) < 1 {
		time.Sleep(time.Millisecond)
	}
	ran := false
	if err := l.Do(context.Background(), func() { ran = true }); !errors.Is(err, ErrHashingBusy) || ran {
		t.Fatalf("waiter past its wait: %v, ran %v", err, ran)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Do(ctx, func() { ran = true }); !errors.Is(err, context.Canceled) || ran {
		t.Fatalf("cancelled waiter: %v, ran %v", err, ran)
	}
	close(release)
	if l.RetryAfter() != 1 {
		t.Fatalf("RetryAfter %d", l.RetryAfter())
	}
}
