package woob

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector/woob/woobtest"
)

// fakeWoob returns options for a woob data directory with the fake
// modules, installed by Update: the real woob core, no network.
func fakeWoob(t testing.TB) Options {
	t.Helper()
	python := woobtest.Python(t)
	opts := Options{Python: python, DataDir: woobtest.DataDir(t, t.TempDir()), Logger: testLogger(t, nil)}
	var out bytes.Buffer
	if err := Update(t.Context(), opts, &out); err != nil {
		t.Fatalf("woob update with the fake repository: %v\n%s", err, out.String())
	}
	return opts
}

// testLogger logs to t, and also to w when not nil.
func testLogger(t testing.TB, w *syncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t: t, w: w}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct {
	t testing.TB
	w *syncBuffer
}

func (tw testWriter) Write(p []byte) (int, error) {
	if tw.w != nil {
		tw.w.Write(p)
	}
	tw.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// moduleOf returns the connector of a fake module, with provider id id.
func moduleOf(t testing.TB, opts Options, module string, id int) *moduleConnector {
	t.Helper()
	cat, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	c, err := cat.Connector(t.Context(), module)
	if err != nil {
		t.Fatal(err)
	}
	mc := c.(*moduleConnector)
	mc.provider.ID = id
	return mc
}

// stepSession is a session that also runs decoupled and redirect steps,
// as the engine does, without its waits: polls follow each other at once,
// and the redirect's callback is what callback returns.
type stepSession struct {
	iswigo.SyncSession
	polls        int
	message      string
	authorizeURL string
	callback     func(authorizeURL string) map[string]string
}

const (
	testCallbackURL = "http://127.0.0.1:9/callback"
	testState       = "st4te-1234"
)

func (s *stepSession) Decoupled(ctx context.Context, message string, interval time.Duration, poll func(context.Context) (bool, error)) error {
	if !s.Interactive() {
		return iswigo.Fail(iswigo.ErrnoSCARequired, "nobody present")
	}
	s.message = message
	for s.polls < 10 {
		s.polls++
		done, err := poll(ctx)
		if err != nil || done {
			return err
		}
	}
	return iswigo.Fail(iswigo.ErrnoStepTimeout, "not approved")
}

func (s *stepSession) Redirect(ctx context.Context, start func(ctx context.Context, callbackURL, state string) (string, error)) (map[string]string, error) {
	if !s.Interactive() {
		return nil, iswigo.Fail(iswigo.ErrnoSCARequired, "nobody present")
	}
	u, err := start(ctx, testCallbackURL, testState)
	if err != nil {
		return nil, err
	}
	s.authorizeURL = u
	return s.callback(u), nil
}
