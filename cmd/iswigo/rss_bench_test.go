// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
)

var (
	rssLoad    = flag.Duration("rss.load", time.Minute, "BenchmarkServeRSS: length of the measured mixed load after warm-up")
	rssWarmup  = flag.Duration("rss.warmup", 20*time.Second, "BenchmarkServeRSS: warm-up load before measuring")
	rssClients = flag.Int("rss.clients", 16, "BenchmarkServeRSS: closed-loop clients of the mixed load")
	rssArgs    = flag.String("rss.serve-args", "", "BenchmarkServeRSS: more flags for iswigo serve, space-separated (e.g. \"--memory-limit 0\")")
	rssEvery   = flag.Duration("rss.every", 5*time.Second, "BenchmarkServeRSS: time between samples under load")
	rssNoAuth  = flag.Bool("rss.no-auth", false, "BenchmarkServeRSS: leave the authentications (argon2id hashes) out of the mixed load")
)

// BenchmarkServeRSS builds the real iswigo binary, starts "iswigo serve"
// on SQLite in a temporary data directory and reads its VmRSS
// (/proc/PID/status): after start, idle (target ≤ 40 MB; the anonymous
// and file-mapped parts are printed too, the latter being the binary's
// pages, shared and reclaimable), then every 5 s
// of a mixed load (accounts, transactions, status, events, profile, and
// now and then a sync and an authentication) after a warm-up, reporting
// the lowest and highest RSS and their spread (target: flat, ±10%).
//
//	go test -run '^$' -bench ServeRSS -benchtime 1x ./cmd/iswigo/ -args -rss.load 10m
func BenchmarkServeRSS(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads /proc")
	}
	bin := filepath.Join(b.TempDir(), "iswigo")
	build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin+".built", ".")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	// Run a copy, as an installed binary is: the file the linker wrote
	// (through a memory mapping) sits in the page cache in larger pieces,
	// which the kernel maps whole at each fault, so the same program
	// showed 5–8 MB more RssFile run from it than from a copy.
	copyFile(b, bin+".built", bin)
	dir := b.TempDir()
	store := []string{"--data", dir, "--master-key", newMasterKeyB(b)}
	out, err := exec.Command(bin, append([]string{"app", "create", "--name", "rss", "--psd2"}, store...)...).Output()
	if err != nil {
		b.Fatalf("app create: %v", err)
	}
	_, after, _ := strings.Cut(string(out), `"secret":"`)
	secret, _, _ := strings.Cut(after, `"`)
	cmd := exec.Command(bin, append(append([]string{"serve", "--addr", "127.0.0.1:0"}, store...), strings.Fields(*rssArgs)...)...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ISWIGO_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	p := &serverProc{name: "iswigo serve", cmd: cmd, stderr: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	b.Cleanup(func() { _ = cmd.Process.Kill(); <-p.done })
	for deadline := time.Now().Add(30 * time.Second); p.addr == ""; time.Sleep(pollEvery) {
		for _, l := range p.logLines("listening") {
			p.addr, _ = l["addr"].(string)
		}
		if time.Now().After(deadline) || p.exited() {
			b.Fatalf("not listening: %s", p.stderr.String())
		}
	}
	time.Sleep(2 * time.Second)
	idle := vmRSS(b, cmd.Process.Pid)
	idleAnon, idleFile := procStatus(b, cmd.Process.Pid, "RssAnon:"), procStatus(b, cmd.Process.Pid, "RssFile:")

	ctx := context.Background()
	c := api.NewClient(p.url(), "rss", secret)
	if _, err := c.CreateUser(ctx, "rss@example.com", "Str0ng!Passw0rd"); err != nil {
		b.Fatal(err)
	}
	tok, err := c.Authenticate(ctx, "rss@example.com", "Str0ng!Passw0rd")
	if err != nil {
		b.Fatal(err)
	}
	u := c.WithToken(tok.AccessToken)
	conn, err := u.CreateConnection(ctx, 999, map[string]string{"login": "hector", "password": "123456"})
	if err != nil {
		b.Fatal(err)
	}
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(100 * time.Millisecond) {
		st, err := u.ConnectionStatus(ctx, conn.ConnectionID)
		if err != nil || st.Status == iswigo.StatusError || time.Now().After(deadline) {
			b.Fatalf("first sync: %+v %v", st, err)
		}
		if st.Status == iswigo.StatusFinished {
			break
		}
	}
	accounts, err := u.Accounts(ctx, iswigo.DefaultRange)
	if err != nil || len(accounts) == 0 {
		b.Fatal(accounts, err)
	}

	var stop atomic.Bool
	var ops, failures atomic.Int64
	var wg sync.WaitGroup
	for i := range *rssClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := i; !stop.Load(); n++ {
				var err error
				switch n % 50 {
				case 0:
					_, err = u.SyncConnection(ctx, conn.ConnectionID)
					if iswigo.ErrorCode(err) == iswigo.ECONFLICT || iswigo.ErrorCode(err) == iswigo.EINVALID {
						err = nil // a sync already running
					}
				case 1:
					if *rssNoAuth {
						_, err = u.Profile(ctx)
						break
					}
					_, err = c.Authenticate(ctx, "rss@example.com", "Str0ng!Passw0rd")
					if iswigo.ErrorCode(err) == iswigo.EUNAVAILABLE || iswigo.ErrorCode(err) == iswigo.ETOOMANY {
						err = nil // hashing bounded or rate-limited: an answer, not a failure
					}
				default:
					switch n % 5 {
					case 0:
						_, err = u.Accounts(ctx, iswigo.DefaultRange)
					case 1:
						_, err = u.Transactions(ctx, accounts[n%len(accounts)].AccountID, iswigo.Range{From: 0, To: 19}, "", "")
					case 2:
						_, err = u.ConnectionStatus(ctx, conn.ConnectionID)
					case 3:
						_, err = c.Events(ctx, iswigo.DefaultRange)
					case 4:
						_, err = u.Profile(ctx)
					}
				}
				ops.Add(1)
				if err != nil {
					if failures.Add(1) == 1 {
						fmt.Fprintf(os.Stderr, "serve rss: first failure: %v\n", err)
					}
				}
			}
		}()
	}
	time.Sleep(*rssWarmup)
	var samples []int64
	var table []rssSample
	start, startOps := time.Now(), ops.Load()
	for time.Since(start) < *rssLoad {
		time.Sleep(*rssEvery)
		s := sampleProcess(b, cmd.Process.Pid, p.url())
		table = append(table, s)
		samples = append(samples, s.rss)
	}
	rate := float64(ops.Load()-startOps) / time.Since(start).Seconds()
	stop.Store(true)
	wg.Wait()
	lo, hi := samples[0], samples[0]
	for _, s := range samples {
		lo, hi = min(lo, s), max(hi, s)
	}
	mid := float64(lo+hi) / 2
	spread := float64(hi-lo) / 2 / mid * 100
	b.ReportMetric(float64(idle)/1024, "idle-MB")
	b.ReportMetric(float64(idleAnon)/1024, "idle-anon-MB")
	b.ReportMetric(float64(lo)/1024, "load-min-MB")
	b.ReportMetric(float64(hi)/1024, "load-max-MB")
	b.ReportMetric(spread, "load-±%")
	b.ReportMetric(rate, "req/s")
	fmt.Fprintf(os.Stderr, "serve rss: idle %.1f MB (anonymous %.1f MB, mapped file %.1f MB); under load (%v after %v warm-up, %d clients, %.0f req/s, %d failures) %.1f–%.1f MB (±%.1f%%), samples (KB) %v; load average %s\n",
		float64(idle)/1024, float64(idleAnon)/1024, float64(idleFile)/1024, *rssLoad, *rssWarmup, *rssClients, rate, failures.Load(), float64(lo)/1024, float64(hi)/1024, spread, samples, loadAvg())
	printRSSTable(table)
	if failures.Load() > 0 {
		b.Fatalf("%d failed requests", failures.Load())
	}
}

// vmRSS returns the resident set of pid in KB.
func vmRSS(b *testing.B, pid int) int64 { return procStatus(b, pid, "VmRSS:") }

// procStatus returns a KB field of /proc/pid/status.
func procStatus(b *testing.B, pid int, field string) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb
		}
	}
	b.Fatal("no " + field)
	return 0
}

func loadAvg() string {
	data, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

// newMasterKeyB is newMasterKey for benchmarks.
func newMasterKeyB(b *testing.B) string {
	var k [32]byte
	if _, err := rand.Read(k[:]); err != nil {
		b.Fatal(err)
	}
	return "base64key://" + base64.URLEncoding.EncodeToString(k[:])
}

// copyFile copies src to a new executable file dst with plain writes.
func copyFile(b *testing.B, src, dst string) {
	in, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o755)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(struct{ io.Writer }{out}, struct{ io.Reader }{in}); err != nil { // write(2), not copy_file_range
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}
