// SPDX-License-Identifier: Apache-2.0

package woob

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector/connectortest"
)

// fakeConnector returns a connector whose bridge is this test binary in
// mode (see fakebridge_test.go), and its data directory.
func fakeConnector(t *testing.T, mode string, tune func(*Options)) (*moduleConnector, string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	link := filepath.Join(dir, "fakebridge-"+mode)
	if err := os.Symlink(exe, link); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	os.Mkdir(data, 0o755)
	opts := Options{Python: link, DataDir: data, Logger: testLogger(t, nil), IdleTimeout: time.Minute}
	if tune != nil {
		tune(&opts)
	}
	cat, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	p := iswigo.Provider{
		ID: 10001, Name: "Fake", Types: []string{"bank"}, Status: "available",
		Inputs: map[string]iswigo.InputSet{
			"default": {Inputs: []iswigo.Input{{Name: "login", Varname: "login", Type: "text", Label: "Login"}, {Name: "password", Varname: "password", Type: "password", Label: "Password"}}},
			"code":    {Inputs: []iswigo.Input{{Name: "code", Varname: "code", Type: "text", Label: "Code"}}},
		},
	}
	return cat.connector(message{Name: "fake", Config: []configValue{{ID: "login"}, {ID: "password"}, {ID: "code", Transient: true}}}, p, []string{"code"}), data
}

var fakeCreds = map[string]string{"login": "hector", "password": "s3cret-Pa55"}

// seen reads what the fake bridge recorded.
func seen(t *testing.T, data string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(data, "seen.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestBridgeSecretsOnStdinOnly(t *testing.T) {
	t.Parallel()
	c, data := fakeConnector(t, "good", nil)
	s := connectortest.NewSession(fakeCreds, syncNow)
	if err := c.Sync(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	if len(s.Accounts) != 1 || len(s.Transactions["A1"]) != 1 || s.Accounts[0].Balance.Minor != 1230 || string(s.SavedState) != `{"browser_state":{"cookies":"x"}}` {
		t.Errorf("accounts %+v, transactions %+v, state %q", s.Accounts, s.Transactions, s.SavedState)
	}
	got := seen(t, data)
	argv, _ := json.Marshal(got["argv"])
	env, _ := json.Marshal(got["env"])
	if strings.Contains(string(argv), "s3cret") || strings.Contains(string(env), "s3cret") {
		t.Errorf("the password is in the bridge's argv %s or environment %s", argv, env)
	}
	if !strings.Contains(got["command"].(string), `"password":"s3cret-Pa55"`) {
		t.Errorf("the sync command on stdin lacks the credentials: %s", got["command"])
	}
	allowed := []string{"PATH", "HOME", "LANG", "LC_ALL", "PYTHONDONTWRITEBYTECODE", "PYTHONIOENCODING"}
	for _, kv := range got["env"].([]any) {
		name, _, _ := strings.Cut(kv.(string), "=")
		if !slices.Contains(allowed, name) {
			t.Errorf("the bridge's environment has %s (want only %v)", name, allowed)
		}
	}
}

func TestBridgeFailures(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		mode string
		tune func(*Options)
		want string
	}{
		{"crash", nil, "exit status 3"},
		{"exit0", nil, "exited before the end (exit status 0)"},
		{"garbage", nil, "not a protocol message"},
		{"huge", func(o *Options) { o.MaxLine = 64 << 10 }, "a line longer than 65536 bytes"},
		{"flood", func(o *Options) { o.MaxOutput = 256 << 10 }, "more than 262144 bytes of output"},
		{"protocol2", nil, "expected hello with protocol 1"},
		{"unknown_kind", nil, `unknown error kind "cosmic_ray"`},
		{"hang", func(o *Options) { o.IdleTimeout = time.Second }, "silent for 1s"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			t.Parallel()
			c, _ := fakeConnector(t, tc.mode, tc.tune)
			err := c.Sync(t.Context(), connectortest.NewSession(fakeCreds, syncNow))
			if iswigo.ErrnoOf(err) != iswigo.ErrnoBug || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("sync = %v, want errno 1 with %q", err, tc.want)
			}
			var ce *iswigo.ConnectorError
			if errors.As(err, &ce) {
				t.Errorf("a broken bridge is a plain error (retried as errno 1), got %v", ce)
			}
		})
	}
}

// TestBridgeKilledWithContext checks that the sync's end kills the bridge
// and its children (its process group): the context cancelled at the
// bridge's first progress (once it has started its child), or its silence.
func TestBridgeKilledWithContext(t *testing.T) {
	t.Parallel()
	for _, idle := range []bool{false, true} {
		c, data := fakeConnector(t, "hang", func(o *Options) {
			if idle {
				o.IdleTimeout = time.Second
			}
		})
		ctx, cancel := context.WithCancel(t.Context())
		s := &cancelAtProgress{Session: connectortest.NewSession(fakeCreds, syncNow)}
		if !idle {
			s.cancel = cancel
		}
		err := c.Sync(ctx, s)
		cancel()
		if !idle && !errors.Is(err, context.Canceled) {
			t.Errorf("sync cancelled = %v, want an error wrapping context.Canceled", err)
		}
		if idle && !strings.Contains(fmt.Sprint(err), "silent") {
			t.Errorf("silent bridge: %v", err)
		}
		pids, _ := seen(t, data)["pids"].([]any)
		if len(pids) != 2 {
			t.Fatalf("the fake bridge recorded no pids: %v", pids)
		}
		for _, p := range pids {
			waitGone(t, int(p.(float64)))
		}
	}
}

// cancelAtProgress cancels the sync at its first progress report.
type cancelAtProgress struct {
	*connectortest.Session
	cancel context.CancelFunc
}

func (s *cancelAtProgress) Progress(ctx context.Context, percent int) error {
	if s.cancel != nil {
		s.cancel()
	}
	return s.Session.Progress(context.WithoutCancel(ctx), percent)
}

// waitGone waits (up to 10 s) until pid no longer runs (gone, or a zombie
// awaiting its parent).
func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil || strings.Contains(string(stat), ") Z ") {
			return
		}
		if err := syscall.Kill(pid, 0); err != nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("process %d still runs after the sync ended", pid)
	syscall.Kill(pid, syscall.SIGKILL)
}

// TestBridgeStepAnsweredLate checks that the time a person takes to answer
// does not count as the bridge's silence.
func TestBridgeStepAnsweredLate(t *testing.T) {
	t.Parallel()
	const idle = 500 * time.Millisecond
	c, data := fakeConnector(t, "late", func(o *Options) { o.IdleTimeout = idle })
	s := connectortest.NewSession(fakeCreds, syncNow)
	s.Present = true
	s.Inputs = c.Provider().Inputs
	s.AnswerFunc = func(step string) (map[string]string, error) {
		time.Sleep(3 * idle) // the person reads the SMS
		return map[string]string{"code": "424242"}, nil
	}
	if err := c.Sync(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Asked, []string{"code"}) || len(s.Accounts) != 1 {
		t.Errorf("asked %v, %d accounts", s.Asked, len(s.Accounts))
	}
	if got := seen(t, data)["answer"]; got != `{"type":"answer","values":{"code":"424242"}}`+"\n" {
		t.Errorf("the bridge read the answer %q", got)
	}
}

func TestScrubLongestSecretFirst(t *testing.T) {
	b := &bridge{}
	for _, s := range []string{"abc", "abcdef-long", "x", "cdef"} {
		b.addSecret(s)
	}
	if got := b.scrub("pw=abcdef-long pin=abc other=cdef x"); got != "pw=*** pin=*** other=*** x" {
		t.Errorf("scrubbed %q", got)
	}
}
