// SPDX-License-Identifier: Apache-2.0

package main

import (
	"io"
	"log/slog"
	"math"
	"runtime/debug"
	"testing"
)

func TestParseBytes(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{
		{"0", 0}, {"1024", 1024}, {"512B", 512}, {"64KiB", 64 << 10}, {"256MiB", 256 << 20}, {"1.5GiB", 3 << 29},
		{"2TiB", 2 << 40}, {"300MB", 300e6}, {"1 GB", 1e9}, {" 8 MiB ", 8 << 20},
	} {
		if got, err := parseBytes(c.in); err != nil || got != c.want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "MiB", "-1MiB", "12 parsecs", "1e30GiB", "NaN"} {
		if n, err := parseBytes(bad); err == nil {
			t.Errorf("parseBytes(%q) = %d, want an error", bad, n)
		}
	}
}

// TestMemoryFlags: the flags set the runtime's limit and GC percentage;
// "off" needs a limit; empty flags change nothing.
func TestMemoryFlags(t *testing.T) {
	oldLimit, oldGC := debug.SetMemoryLimit(-1), debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetMemoryLimit(oldLimit); debug.SetGCPercent(oldGC) })
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))

	debug.SetMemoryLimit(math.MaxInt64)
	if err := (&memoryFlags{}).apply(logger); err != nil || debug.SetMemoryLimit(-1) != math.MaxInt64 || debug.SetGCPercent(100) != 100 {
		t.Fatalf("empty flags changed the runtime (err %v)", err)
	}
	if err := (&memoryFlags{gcPercent: "off"}).apply(logger); err == nil {
		t.Error("--gc-percent off without a limit accepted")
	}
	if err := (&memoryFlags{limit: "192MiB", gcPercent: "off"}).apply(logger); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetMemoryLimit(-1); got != 192<<20 {
		t.Errorf("memory limit %d, want %d", got, 192<<20)
	}
	if got := debug.SetGCPercent(100); got != -1 {
		t.Errorf("GC percent %d, want -1 (off)", got)
	}
	if err := (&memoryFlags{limit: "0", gcPercent: "50"}).apply(logger); err != nil {
		t.Fatal(err)
	}
	if debug.SetMemoryLimit(-1) != math.MaxInt64 || debug.SetGCPercent(100) != 50 {
		t.Error("--memory-limit 0 --gc-percent 50 not applied")
	}
	for _, bad := range []memoryFlags{{limit: "lots"}, {gcPercent: "0"}, {gcPercent: "-5"}, {gcPercent: "fast"}} {
		if err := bad.apply(logger); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
