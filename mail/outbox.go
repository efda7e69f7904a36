// SPDX-License-Identifier: Apache-2.0

package mail

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/iswigo/iswigo"
)

// outboxTimeFormat names outbox files; names sort in sending order.
const outboxTimeFormat = "20060102T150405.000000000Z"

// Outbox is an [iswigo.Mailer] that writes each message to a file instead of
// sending it. It is the mailer of the embedded default configuration, and
// tests read validation codes back with [Outbox.Messages].
//
// Each message is written as Dir/<UTC time>-<random>.eml, for instance
// 20260102T150405.123456789Z-<26 base32 characters>.eml, with mode 0600
// (os.CreateTemp's); the file holds
// the RFC 5322 message an SMTP server would have received. Files appear
// atomically: a reader never sees a partial message.
//
// An Outbox is safe for concurrent use. Its fields must not change once it
// is in use.
type Outbox struct {
	// Dir is the directory messages are written to. Send creates it, with
	// mode 0700, if it does not exist.
	Dir string
	// From is the From address; empty means DefaultFrom.
	From string
	// Logger receives one Info record per message; nil means slog.Default.
	Logger *slog.Logger
}

var _ iswigo.Mailer = (*Outbox)(nil)

// outboxClock hands out strictly increasing times, so that file names sort
// in sending order even when the clock is coarse.
var outboxClock struct {
	sync.Mutex
	last time.Time
}

func outboxNow() time.Time {
	outboxClock.Lock()
	defer outboxClock.Unlock()
	now := time.Now().UTC().Round(0)
	if !now.After(outboxClock.last) {
		now = outboxClock.last.Add(time.Nanosecond)
	}
	outboxClock.last = now
	return now
}

func mkdirOutbox(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("mail: create outbox: %w", err)
	}
	return nil
}

// Send validates m, as described in the package documentation, and writes
// it to a new file in o.Dir. It logs the path of the file, never the body.
func (o *Outbox) Send(ctx context.Context, m iswigo.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if o.Dir == "" {
		return errors.New("mail: Outbox.Dir is empty")
	}
	now := outboxNow()
	rcpt, data, err := compose(o.From, m, now)
	if err != nil {
		return err
	}
	if err := mkdirOutbox(o.Dir); err != nil {
		return err
	}
	name := filepath.Join(o.Dir, now.Format(outboxTimeFormat)+"-"+rand.Text()+".eml")
	if err := writeFileAtomic(name, data); err != nil {
		return fmt.Errorf("mail: write outbox: %w", err)
	}
	logger := o.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger.InfoContext(ctx, "mail written to outbox", "path", name, "to_domain", domain(rcpt))
	return nil
}

// writeFileAtomic writes data to a temporary file (mode 0600) in the
// directory of name, then renames it to name.
func writeFileAtomic(name string, data []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(name), ".outbox-*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}

// Messages returns every message in o.Dir parsed by [ParseMessage], oldest
// first (in file name order: the names of the files written by one process
// sort in sending order). It ignores files whose names start with a dot or
// do not end in .eml, and returns no messages, and no error, when o.Dir does
// not exist.
func (o *Outbox) Messages() ([]ParsedMessage, error) {
	entries, err := os.ReadDir(o.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("mail: read outbox: %w", err)
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); e.Type().IsRegular() && strings.HasSuffix(n, ".eml") && !strings.HasPrefix(n, ".") {
			names = append(names, n)
		}
	}
	slices.Sort(names) // ReadDir sorts already; do not depend on it
	msgs := make([]ParsedMessage, 0, len(names))
	for _, n := range names {
		p, err := parseFile(filepath.Join(o.Dir, n))
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, p)
	}
	return msgs, nil
}

func parseFile(name string) (ParsedMessage, error) {
	f, err := os.Open(name)
	if err != nil {
		return ParsedMessage{}, fmt.Errorf("mail: read outbox: %w", err)
	}
	defer f.Close()
	p, err := ParseMessage(f)
	if err != nil {
		return ParsedMessage{}, fmt.Errorf("%w (%s)", err, name)
	}
	return p, nil
}
