// SPDX-License-Identifier: Apache-2.0

// Package jsonlog is a slog.Handler that writes exactly the lines of
// slog.NewJSONHandler, byte for byte, but formats the common records
// (strings, integers, booleans, durations and finite floats, no groups)
// itself into a pooled buffer instead of through slog's generic state and
// encoding/json. The request log line, one per HTTP request, is such a
// record: its format is the operators' contract and stays the same.
package jsonlog

import (
	"context"
	"io"
	"log/slog"
	"math"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// Handler writes one JSON object per record, followed by a newline, as
// slog.JSONHandler does. It is safe for concurrent use; each line is one
// Write call on the underlying writer, made under a lock shared by every
// handler derived from it.
type Handler struct {
	// slow formats what the fast path does not: records with groups,
	// times, arbitrary values or LogValuers, and every record of a handler
	// made by WithAttrs or WithGroup. It writes through w too.
	slow  *slog.JSONHandler
	w     *lockedWriter
	level slog.Leveler
	// fast is false when the options change the output in a way the fast
	// path does not reproduce (ReplaceAttr, AddSource).
	fast bool
}

// NewHandler returns a Handler writing to w with opts (nil: the defaults
// of slog.HandlerOptions).
func NewHandler(w io.Writer, opts *slog.HandlerOptions) *Handler {
	if opts == nil {
		opts = &slog.HandlerOptions{}
	}
	lw := &lockedWriter{w: w}
	h := &Handler{slow: slog.NewJSONHandler(lw, opts), w: lw, level: opts.Level,
		fast: opts.ReplaceAttr == nil && !opts.AddSource}
	if h.level == nil {
		h.level = slog.LevelInfo
	}
	return h
}

// Enabled implements slog.Handler.
func (h *Handler) Enabled(_ context.Context, level slog.Level) bool {
	return level >= h.level.Level()
}

// WithAttrs implements slog.Handler; the handler returned is slog's own.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler { return h.slow.WithAttrs(attrs) }

// WithGroup implements slog.Handler; the handler returned is slog's own.
func (h *Handler) WithGroup(name string) slog.Handler { return h.slow.WithGroup(name) }

// Handle implements slog.Handler.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	if !h.fast {
		return h.slow.Handle(ctx, r)
	}
	bp := bufPool.Get().(*[]byte)
	buf, ok := appendRecord((*bp)[:0], r)
	if !ok {
		bufPool.Put(bp)
		return h.slow.Handle(ctx, r)
	}
	_, err := h.w.Write(buf)
	if cap(buf) <= maxPooledBuffer {
		*bp = buf
		bufPool.Put(bp)
	}
	return err
}

// maxPooledBuffer bounds the buffers kept for reuse, so that one huge
// line does not stay in memory.
const maxPooledBuffer = 16 << 10

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// lockedWriter serializes the writes of the fast and the slow path.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (lw *lockedWriter) Write(p []byte) (int, error) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	return lw.w.Write(p)
}

// appendRecord appends r as slog.JSONHandler (without ReplaceAttr, source,
// groups or handler attributes) formats it, and reports false, with
// nothing to be used, when r holds something only slog formats.
func appendRecord(buf []byte, r slog.Record) ([]byte, bool) {
	buf = append(buf, '{')
	if !r.Time.IsZero() {
		t := r.Time.Round(0) // strip the monotonic reading, as slog does
		if y := t.Year(); y < 0 || y >= 10000 {
			return buf, false
		}
		buf = append(buf, `"time":"`...)
		buf = t.AppendFormat(buf, time.RFC3339Nano)
		buf = append(buf, `",`...)
	}
	buf = append(buf, `"level":`...)
	buf = appendString(buf, r.Level.String())
	buf = append(buf, `,"msg":`...)
	buf = appendString(buf, r.Message)
	ok := true
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "" {
			ok = false // empty keys, inline groups: slog's rules
			return false
		}
		mark := len(buf)
		buf = append(buf, ',')
		buf = appendString(buf, a.Key)
		buf = append(buf, ':')
		if buf, ok = appendValue(buf, a.Value); !ok {
			buf = buf[:mark]
		}
		return ok
	})
	if !ok {
		return buf, false
	}
	return append(buf, "}\n"...), true
}

// appendValue appends v as slog.JSONHandler does for the kinds handled
// here, and reports false for the others.
func appendValue(buf []byte, v slog.Value) ([]byte, bool) {
	switch v.Kind() {
	case slog.KindString:
		return appendString(buf, v.String()), true
	case slog.KindInt64:
		return strconv.AppendInt(buf, v.Int64(), 10), true
	case slog.KindUint64:
		return strconv.AppendUint(buf, v.Uint64(), 10), true
	case slog.KindBool:
		return strconv.AppendBool(buf, v.Bool()), true
	case slog.KindDuration:
		return strconv.AppendInt(buf, int64(v.Duration()), 10), true
	case slog.KindFloat64:
		return appendFloat(buf, v.Float64())
	}
	return buf, false
}

// appendFloat appends f as encoding/json does (which slog uses for
// floats): the shortest decimal, in exponent form below 1e-6 and from
// 1e21 up, with a one-digit exponent written "e-7", not "e-07". NaN and
// infinities are not JSON: false.
func appendFloat(buf []byte, f float64) ([]byte, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return buf, false
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	buf = strconv.AppendFloat(buf, f, format, -1, 64)
	if format == 'e' {
		if n := len(buf); n >= 4 && buf[n-4] == 'e' && buf[n-3] == '-' && buf[n-2] == '0' {
			buf[n-2] = buf[n-1]
			buf = buf[:n-1]
		}
	}
	return buf, true
}

// appendString appends s as a JSON string the way slog.JSONHandler does:
// no HTML escaping; control characters as \n, \r, \t or \u00XX; invalid
// UTF-8 as \ufffd; U+2028 and U+2029 escaped.
func appendString(buf []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b >= 0x20 && b < utf8.RuneSelf && b != '"' && b != '\\' {
			i++
			continue
		}
		if b < utf8.RuneSelf {
			buf = append(buf, s[start:i]...)
			switch b {
			case '"', '\\':
				buf = append(buf, '\\', b)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			buf = append(buf, s[start:i]...)
			buf = append(buf, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}
