// SPDX-License-Identifier: Apache-2.0

package jsonlog

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"
)

// both logs r with slog.NewJSONHandler and with NewHandler, and returns
// the two outputs.
func both(t testing.TB, opts *slog.HandlerOptions, r slog.Record) (want, got string) {
	t.Helper()
	var a, b bytes.Buffer
	if err := slog.NewJSONHandler(&a, opts).Handle(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if err := NewHandler(&b, opts).Handle(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	return a.String(), b.String()
}

func record(msg string, attrs ...slog.Attr) slog.Record {
	r := slog.NewRecord(time.Date(2026, 12, 1, 12, 34, 56, 789000000, time.UTC), slog.LevelInfo, msg, 0)
	r.AddAttrs(attrs...)
	return r
}

// TestSameAsSlog pins the contract: every record, fast path or not, is
// written exactly as slog.JSONHandler writes it.
func TestSameAsSlog(t *testing.T) {
	local := time.FixedZone("CET", 3600)
	cases := []struct {
		name string
		r    slog.Record
	}{
		{"request line", record("request", slog.String("request_id", "0123456789abcdef01234567"),
			slog.String("method", "GET"), slog.String("path", "/v1/bank/accounts/abc/transactions"),
			slog.String("route", "GET /v1/bank/accounts/{id}/transactions"), slog.Int("status", 200),
			slog.Int64("bytes", 5123), slog.Float64("duration_ms", 1.234), slog.String("remote", "127.0.0.1"),
			slog.String("app", "psd2-app"))},
		{"no attrs", record("hello")},
		{"zero time", slog.NewRecord(time.Time{}, slog.LevelWarn, "no time", 0)},
		{"local time, monotonic", slog.NewRecord(time.Now().In(local), slog.LevelDebug, "m", 0)},
		{"custom level", slog.NewRecord(time.Unix(0, 1).UTC(), slog.LevelInfo+2, "lv", 0)},
		{"escapes", record("a\"b\\c\n\r\t\x00\x1f\x7f<>&\u2028\u2029é\xff\xfe😀", slog.String("k\"\n", "v\x01\u2029"))},
		{"numbers", record("n", slog.Int64("min", math.MinInt64), slog.Uint64("max", math.MaxUint64),
			slog.Bool("t", true), slog.Bool("f", false), slog.Duration("d", 1500*time.Millisecond))},
		{"floats", record("f", slog.Float64("zero", 0), slog.Float64("negzero", math.Copysign(0, -1)),
			slog.Float64("tiny", 1e-7), slog.Float64("small", 0.000001), slog.Float64("big", 1e21), slog.Float64("below", 999999999999999999999.0),
			slog.Float64("e100", -1.5e100), slog.Float64("e-300", 2.5e-300), slog.Float64("third", 1.0/3), slog.Float64("max", math.MaxFloat64))},
		{"nan (slow path)", record("f", slog.Float64("nan", math.NaN()), slog.Float64("inf", math.Inf(1)))},
		{"time attr (slow path)", record("t", slog.Time("at", time.Date(2020, 1, 2, 3, 4, 5, 6, time.UTC)))},
		{"any (slow path)", record("a", slog.Any("err", errors.New("boom")), slog.Any("m", map[string]int{"x": 1}))},
		{"group (slow path)", record("g", slog.Group("req", slog.String("m", "GET"), slog.Int("s", 200)))},
		{"empty key (slow path)", record("e", slog.String("", "v"), slog.Attr{})},
		{"year out of range (slow path)", slog.NewRecord(time.Date(10001, 1, 1, 0, 0, 0, 0, time.UTC), slog.LevelInfo, "y", 0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, got := both(t, nil, c.r)
			if got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}

// TestSameAsSlogRandom compares many random records of the kinds the fast
// path formats.
func TestSameAsSlogRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "Z", "0", " ", "\"", "\\", "\n", "\x00", "\x1b", "\x7f", "é", "€", "\u2028", "\xc3", "\xff", "😀", "<", "&"}
	str := func() string {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	for i := range 20000 {
		var attrs []slog.Attr
		for range rng.IntN(10) {
			key := "k" + str()
			switch rng.IntN(6) {
			case 0:
				attrs = append(attrs, slog.String(key, str()))
			case 1:
				attrs = append(attrs, slog.Int64(key, rng.Int64()-rng.Int64()))
			case 2:
				attrs = append(attrs, slog.Uint64(key, rng.Uint64()))
			case 3:
				attrs = append(attrs, slog.Bool(key, rng.IntN(2) == 0))
			case 4:
				attrs = append(attrs, slog.Duration(key, time.Duration(rng.Int64())))
			case 5:
				f := math.Float64frombits(rng.Uint64())
				if rng.IntN(2) == 0 {
					f = rng.Float64() * math.Pow(10, float64(rng.IntN(50)-25))
				}
				attrs = append(attrs, slog.Float64(key, f))
			}
		}
		r := slog.NewRecord(time.Unix(rng.Int64N(1<<34), rng.Int64N(1e9)).UTC(), slog.Level(rng.IntN(20)-8), str(), 0)
		r.AddAttrs(attrs...)
		want, got := both(t, nil, r)
		if got != want {
			t.Fatalf("record %d:\ngot  %s\nwant %s", i, got, want)
		}
	}
}

// TestOptionsAndDerived: levels filter as slog's; ReplaceAttr, source,
// WithAttrs and WithGroup give slog's output, through the same writer.
func TestOptionsAndDerived(t *testing.T) {
	h := NewHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn})
	if h.Enabled(context.Background(), slog.LevelInfo) || !h.Enabled(context.Background(), slog.LevelWarn) {
		t.Error("level Warn: Info enabled or Warn not")
	}
	if !NewHandler(io.Discard, nil).Enabled(context.Background(), slog.LevelInfo) {
		t.Error("default level: Info not enabled")
	}
	r := record("request", slog.String("path", "/x"), slog.Int("status", 200))
	replace := &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == "status" {
			a.Value = slog.StringValue("ok")
		}
		return a
	}}
	if want, got := both(t, replace, r); got != want || !strings.Contains(got, `"status":"ok"`) {
		t.Errorf("ReplaceAttr: got %s want %s", got, want)
	}
	var a, b bytes.Buffer
	_ = slog.NewJSONHandler(&a, nil).WithAttrs([]slog.Attr{slog.String("svc", "api")}).WithGroup("g").Handle(context.Background(), r)
	_ = NewHandler(&b, nil).WithAttrs([]slog.Attr{slog.String("svc", "api")}).WithGroup("g").Handle(context.Background(), r)
	if a.String() != b.String() {
		t.Errorf("derived: got %s want %s", b.String(), a.String())
	}
}

// TestConcurrentLines: lines written at once from the fast and the slow
// path never interleave.
func TestConcurrentLines(t *testing.T) {
	var buf bytes.Buffer // not safe for concurrent use: the handler's lock is
	logger := slog.New(NewHandler(&buf, nil))
	derived := logger.With("svc", "api")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 500 {
				if i%2 == 0 {
					logger.Info("fast", "path", strings.Repeat("x", 100))
				} else {
					derived.Info("slow", "path", strings.Repeat("y", 100))
				}
			}
		}()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 4000 {
		t.Fatalf("%d lines, want 4000", len(lines))
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, `{"time":`) || !strings.HasSuffix(l, `"}`) || strings.Count(l, `"time":`) != 1 {
			t.Fatalf("interleaved line: %q", l)
		}
	}
}

func FuzzSameAsSlog(f *testing.F) {
	f.Add("request", "path", "/v1/a\"b", 1.25, int64(7))
	f.Add("\xff\u2028", "\x00", "é", 1e-7, int64(-1))
	f.Fuzz(func(t *testing.T, msg, key, val string, fl float64, n int64) {
		if key == "" {
			key = "k"
		}
		r := record(msg, slog.String(key, val), slog.Float64("f", fl), slog.Int64("n", n))
		want, got := both(t, nil, r)
		if got != want {
			t.Fatalf("got  %s\nwant %s", got, want)
		}
	})
}

// BenchmarkRequestLine compares the request line through slog's handler
// and through this one.
func BenchmarkRequestLine(b *testing.B) {
	for _, c := range []struct {
		name string
		h    slog.Handler
	}{{"slog", slog.NewJSONHandler(io.Discard, nil)}, {"jsonlog", NewHandler(io.Discard, nil)}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := slog.NewRecord(time.Now(), slog.LevelInfo, "request", 0)
				r.AddAttrs(slog.String("request_id", "0123456789abcdef01234567"),
					slog.String("method", "GET"), slog.String("path", "/v1/bank/accounts/abc/transactions"),
					slog.String("route", "GET /v1/bank/accounts/{id}/transactions"), slog.Int("status", 200),
					slog.Int64("bytes", 5123), slog.Float64("duration_ms", 1.234), slog.String("remote", "127.0.0.1"),
					slog.String("app", "psd2-app"))
				_ = c.h.Handle(context.Background(), r)
			}
		})
	}
}
