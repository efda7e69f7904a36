// SPDX-License-Identifier: Apache-2.0

package woob

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/iswigo/iswigo/connector/woob/woobtest"
	"github.com/iswigo/iswigo/internal/servertest"
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
func testLogger(t testing.TB, w *servertest.SyncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t: t, w: w}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct {
	t testing.TB
	w *servertest.SyncBuffer
}

func (tw testWriter) Write(p []byte) (int, error) {
	if tw.w != nil {
		tw.w.Write(p)
	}
	tw.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
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
