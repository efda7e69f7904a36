// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"io"
	"regexp"
	"testing"
	"time"
)

// inProcess is "iswigo serve" run in the test's process.
type inProcess struct {
	stderr *lockedBuffer
	stop   context.CancelFunc // as SIGINT/SIGTERM
	done   chan error         // run's result
}

// serveInProcess runs "iswigo serve args…" in a goroutine and waits until
// every pattern (a regexp with one group) matches its log; it returns the
// groups, in order. The server is stopped when t ends.
func serveInProcess(t *testing.T, args []string, patterns ...string) (*inProcess, []string) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	p := &inProcess{stderr: &lockedBuffer{}, stop: stop, done: make(chan error, 1)}
	go func() { p.done <- run(ctx, append([]string{"serve"}, args...), io.Discard, p.stderr) }()
	t.Cleanup(stop)
	found := make([]string, len(patterns))
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		missing := 0
		for i, pat := range patterns {
			if m := regexp.MustCompile(pat).FindStringSubmatch(p.stderr.String()); m != nil {
				found[i] = m[1]
			} else {
				missing++
			}
		}
		if missing == 0 {
			return p, found
		}
	}
	t.Fatalf("serve did not log %q: %s", patterns, p.stderr.String())
	return nil, nil
}

// listening matches the API's address in a JSON log.
const listening = `"msg":"listening","addr":"([^"]+)"`

// wait stops the server and returns run's result.
func (p *inProcess) wait(t *testing.T) error {
	p.stop()
	select {
	case err := <-p.done:
		return err
	case <-time.After(20 * time.Second):
		t.Fatal("server did not stop")
		return nil
	}
}
