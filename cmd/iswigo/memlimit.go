// SPDX-License-Identifier: Apache-2.0

package main

import (
	"flag"
	"fmt"
	"log/slog"
	"math"
	"runtime/debug"
	"strconv"
	"strings"
)

// memoryFlags are the Go runtime's memory settings of "iswigo serve".
type memoryFlags struct {
	limit     string // --memory-limit
	gcPercent string // --gc-percent
}

func (m *memoryFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&m.limit, "memory-limit", "", "soft memory limit of the Go runtime, e.g. 256MiB or 1GiB (0: none); empty = GOMEMLIMIT, else none")
	fs.StringVar(&m.gcPercent, "gc-percent", "", "GOGC: heap growth between collections in percent, or off (only with --memory-limit); empty = GOGC, else 100")
}

// apply sets the runtime's memory limit and GC percentage from the flags
// (nothing for an empty flag: the GOMEMLIMIT and GOGC variables, read by
// the runtime at start, then apply) and logs what is in force.
func (m *memoryFlags) apply(logger *slog.Logger) error {
	if m.limit != "" {
		n, err := parseBytes(m.limit)
		if err != nil {
			return fmt.Errorf("--memory-limit: %w", err)
		}
		if n == 0 {
			n = math.MaxInt64 // none
		}
		debug.SetMemoryLimit(n)
	}
	if m.gcPercent != "" {
		p := -1
		if m.gcPercent != "off" {
			var err error
			if p, err = strconv.Atoi(m.gcPercent); err != nil || p <= 0 {
				return fmt.Errorf("--gc-percent: want a positive number or off, got %q", m.gcPercent)
			}
		}
		if p < 0 && debug.SetMemoryLimit(-1) == math.MaxInt64 {
			return fmt.Errorf("--gc-percent off needs --memory-limit (or GOMEMLIMIT): the heap would grow without bound")
		}
		debug.SetGCPercent(p)
	}
	limit := debug.SetMemoryLimit(-1)
	gc := debug.SetGCPercent(-1)
	debug.SetGCPercent(gc)
	attrs := []any{"gc_percent", gc}
	if limit != math.MaxInt64 {
		attrs = append(attrs, "memory_limit_bytes", limit)
	}
	logger.Debug("go runtime memory", attrs...)
	return nil
}

// parseBytes parses a size in bytes with an optional unit: B, KiB, MiB,
// GiB, TiB (powers of 1024, as GOMEMLIMIT) or KB, MB, GB, TB (of 1000).
func parseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   float64
	}{
		{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1},
	}
	num, mult := strings.TrimSpace(s), 1.0
	for _, u := range units {
		if v, ok := strings.CutSuffix(num, u.suffix); ok {
			num, mult = strings.TrimSpace(v), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 || math.IsNaN(f) || f*mult >= math.MaxInt64 {
		return 0, fmt.Errorf("want a size such as 512MiB or 2GiB, got %q", s)
	}
	return int64(f * mult), nil
}
