// SPDX-License-Identifier: Apache-2.0

package woob

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector/connectortest"
)

// firstAccountSession notes when the first account arrives.
type firstAccountSession struct {
	*connectortest.Session
	first time.Time
}

func (s *firstAccountSession) PutAccount(ctx context.Context, a *iswigo.ConnectorAccount) error {
	if s.first.IsZero() {
		s.first = time.Now()
	}
	return s.Session.PutAccount(ctx, a)
}

// BenchmarkBridgeFirstAccount measures a whole fakebank sync (ns/op) and
// the time from the bridge's start to the first account put (ms/first-account):
// Python's start, woob's import, the module's load and login.
func BenchmarkBridgeFirstAccount(b *testing.B) {
	c := moduleOf(b, fakeWoob(b), "fakebank", 10001)
	var total time.Duration
	for b.Loop() {
		s := &firstAccountSession{Session: connectortest.NewSession(map[string]string{"login": "good1", "password": "secret99"}, syncNow)}
		start := time.Now()
		if err := c.Sync(b.Context(), s); err != nil {
			b.Fatal(err)
		}
		total += s.first.Sub(start)
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/first-account")
}

// BenchmarkFiftySyncsMemory runs 50 fakebank syncs at once, all waiting on
// their SMS step, and reports the bridges' memory then: the sum of their
// resident sets (MiB-rss, shared pages counted in each) and of their
// proportional sets (MiB-pss, shared pages divided among them).
func BenchmarkFiftySyncsMemory(b *testing.B) {
	const n = 50
	opts := fakeWoob(b)
	c := moduleOf(b, opts, "fakebank", 10001)
	script, err := c.r.script()
	if err != nil {
		b.Fatal(err)
	}
	var rss, pss float64
	for b.Loop() {
		var asked sync.WaitGroup
		asked.Add(n)
		release := make(chan struct{})
		errs := make(chan error, n)
		for range n {
			go func() {
				s := connectortest.NewSession(map[string]string{"login": "sms1", "password": "secret99"}, syncNow)
				s.Present = true
				s.AnswerFunc = func(string) (map[string]string, error) {
					asked.Done()
					<-release
					return map[string]string{"code": "123456"}, nil
				}
				errs <- c.Sync(b.Context(), s)
			}()
		}
		asked.Wait()
		r, p, count := bridgesMemory(script)
		if count != n {
			b.Fatalf("%d bridges running, want %d", count, n)
		}
		rss, pss = rss+r, pss+p
		close(release)
		for range n {
			if err := <-errs; err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(rss/float64(b.N), "MiB-rss")
	b.ReportMetric(pss/float64(b.N), "MiB-pss")
	b.ReportMetric(pss/float64(b.N)/n, "MiB-pss/bridge")
}

// bridgesMemory sums the RSS and PSS (MiB) of the processes running script.
func bridgesMemory(script string) (rss, pss float64, count int) {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		cmdline, err := os.ReadFile(filepath.Join(d, "cmdline"))
		if err != nil || !bytes.Contains(cmdline, []byte(script)) {
			continue
		}
		rollup, err := os.ReadFile(filepath.Join(d, "smaps_rollup"))
		if err != nil {
			continue
		}
		count++
		for _, line := range strings.Split(string(rollup), "\n") {
			f := strings.Fields(line)
			if len(f) < 2 {
				continue
			}
			kb, _ := strconv.ParseFloat(f[1], 64)
			switch f[0] {
			case "Rss:":
				rss += kb / 1024
			case "Pss:":
				pss += kb / 1024
			}
		}
	}
	return rss, pss, count
}
