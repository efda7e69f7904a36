// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// TestMain lets tests run this test binary as the iswigo command.
func TestMain(m *testing.M) {
	if os.Getenv("ISWIGO_TEST_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// iswigo runs the command in-process and returns stdout and the error.
func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, &stdout, &stderr)
	return stdout.String(), err
}

// storeArgs returns the flags of a fresh database of dialect d.
func storeArgs(t *testing.T, d sqldb.Dialect) []string {
	cfg := sqldbtest.Config(t, d)
	return []string{"--data", cfg.DataDir, "--database-url", cfg.URL}
}

func TestAppCommands(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			store := storeArgs(t, d)
			out, err := runCmd(t, append([]string{"app", "create", "--name", "acme", "--psd2", "--terms", "2020-01-01"}, store...)...)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Count(out, "\n") != 1 {
				t.Fatalf("want exactly one line, got %q", out)
			}
			var created map[string]any
			dec := json.NewDecoder(strings.NewReader(out))
			if err := dec.Decode(&created); err != nil || dec.More() {
				t.Fatalf("not one JSON object: %q (%v)", out, err)
			}
			secret, _ := created["secret"].(string)
			raw, err := base64.RawURLEncoding.DecodeString(secret)
			if created["name"] != "acme" || created["psd2"] != true || created["last_terms_of_service"] != "2020-01-01" ||
				err != nil || len(raw) < 32 || len(created) != 4 {
				t.Fatalf("created %v", created)
			}
			if _, err := runCmd(t, append([]string{"app", "create", "--name", "acme"}, store...)...); err == nil || !strings.Contains(err.Error(), "already taken") {
				t.Fatalf("duplicate name: %v", err)
			}
			out, _ = runCmd(t, append([]string{"app", "create", "--name", "plain"}, store...)...)
			if !strings.Contains(out, `"psd2":false`) || !strings.Contains(out, time.Now().UTC().Format("2006-01-02")) {
				t.Fatalf("defaults: %s", out)
			}
			out, err = runCmd(t, append([]string{"app", "list"}, store...)...)
			if err != nil || !strings.Contains(out, `"name":"acme"`) || !strings.Contains(out, `"name":"plain"`) || strings.Contains(out, secret) {
				t.Fatalf("list: %s %v", out, err)
			}
			out, err = runCmd(t, append([]string{"app", "rotate-secret", "--name", "acme"}, store...)...)
			if err != nil || strings.Contains(out, secret) || !strings.Contains(out, `"secret":"`) {
				t.Fatalf("rotate-secret: %s %v", out, err)
			}
			out, err = runCmd(t, append([]string{"app", "set", "--name", "acme", "--psd2=false", "--webhook-url", "https://example.com/hook", "--origins", "https://a.example,https://b.example"}, store...)...)
			if err != nil || !strings.Contains(out, `"psd2":false`) || !strings.Contains(out, `"last_terms_of_service":"2020-01-01"`) ||
				!strings.Contains(out, `"webhook_url":"https://example.com/hook"`) || !strings.Contains(out, `"origins":["https://a.example","https://b.example"]`) {
				t.Fatalf("set: %s %v", out, err)
			}
			out, err = runCmd(t, append([]string{"app", "set", "--name", "acme", "--redirect-uris", "https://app.example/back https://app.example/other?x=1"}, store...)...)
			if err != nil || !strings.Contains(out, `"redirect_uris":["https://app.example/back","https://app.example/other?x=1"]`) ||
				!strings.Contains(out, `"origins":["https://a.example","https://b.example"]`) {
				t.Fatalf("set --redirect-uris: %s %v", out, err)
			}
			out, err = runCmd(t, append([]string{"app", "set", "--name", "acme", "--display-name", "Acme Budget", "--logo-url", "https://acme.example/logo.png",
				"--terms-url", "https://acme.example/terms", "--privacy-url", "https://acme.example/privacy", "--accent-color", "#0969DA"}, store...)...)
			if err != nil || !strings.Contains(out, `"display_name":"Acme Budget","logo_url":"https://acme.example/logo.png","terms_url":"https://acme.example/terms","privacy_url":"https://acme.example/privacy","accent_color":"#0969da"`) {
				t.Fatalf("set branding: %s %v", out, err)
			}
			for _, bad := range [][]string{
				{"app", "set", "--name", "acme", "--logo-url", "http://acme.example/logo.png"},
				{"app", "set", "--name", "acme", "--terms-url", "javascript:alert(1)"},
				{"app", "set", "--name", "acme", "--accent-color", "#ffcc00"}, // white text on yellow: 1.6:1
				{"app", "set", "--name", "acme", "--accent-color", "#000080"}, // navy on the dark theme: 1.4:1
				{"app", "set", "--name", "acme", "--accent-color", "blue"},
				{"app", "set", "--name", "acme", "--redirect-uris", "/relative"},
				{"app", "set", "--name", "acme", "--redirect-uris", "https://app.example/#frag"},
				{"app", "set", "--name", "acme", "--terms", "yesterday"},
				{"app", "set", "--name", "acme", "--webhook-url", "ftp://x"},
				{"app", "show", "--name", "nobody"},
				{"app", "create"},
				{"app", "create", "--name", "no spaces"},
			} {
				if _, err := runCmd(t, append(bad, store...)...); err == nil {
					t.Errorf("%v: no error", bad)
				}
			}
			out, err = runCmd(t, append([]string{"app", "show", "--name", "acme"}, store...)...)
			if err != nil || !strings.Contains(out, `"psd2":false`) {
				t.Fatalf("show: %s %v", out, err)
			}
			out, err = runCmd(t, append([]string{"keys", "rotate"}, store...)...)
			if err != nil || !strings.Contains(out, `"kid"`) {
				t.Fatalf("keys rotate: %s %v", out, err)
			}
		})
	}
}

// TestExitStatus runs the real command: a taken name exits with status 1
// and a message on stderr.
func TestExitStatus(t *testing.T) {
	dir := t.TempDir()
	cmd := func(args ...string) *exec.Cmd {
		c := exec.Command(os.Args[0], args...)
		c.Env = append(os.Environ(), "ISWIGO_TEST_RUN_MAIN=1", "ISWIGO_DATA="+dir)
		return c
	}
	if out, err := cmd("app", "create", "--name", "acme").Output(); err != nil || !strings.Contains(string(out), `"name":"acme"`) {
		t.Fatalf("create: %s %v", out, err)
	}
	c := cmd("app", "create", "--name", "acme")
	var stderr bytes.Buffer
	c.Stderr = &stderr
	err := c.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(stderr.String(), `"acme" is already taken`) {
		t.Fatalf("duplicate: %v, stderr %q", err, stderr.String())
	}
}

// lockedBuffer is written by the server while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var curlRe = regexp.MustCompile(`curl -s -X POST '([^']+)' \\\s+-H 'X-Iswigo-App: ([^']+)' \\\s+-H 'X-Iswigo-Signature: ([^']+)' \\\s+-H 'Content-Type: application/json' \\\s+--data-raw '([^']+)'`)

// TestServeDemo starts "iswigo serve --demo" and pastes its curl command:
// the README's first step.
func TestServeDemo(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			store := storeArgs(t, d)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
			done := make(chan error, 1)
			go func() {
				done <- run(ctx, append([]string{"serve", "--demo", "--addr", "127.0.0.1:0"}, store...), stdout, stderr)
			}()
			var m []string
			deadline := time.Now().Add(30 * time.Second)
			for m == nil && time.Now().Before(deadline) {
				select {
				case err := <-done:
					t.Fatalf("serve ended: %v\n%s", err, stderr.String())
				case <-time.After(20 * time.Millisecond):
				}
				m = curlRe.FindStringSubmatch(stdout.String())
			}
			if m == nil {
				t.Fatalf("no curl command in %q", stdout.String())
			}
			req, _ := http.NewRequest("POST", m[1], strings.NewReader(m[4]))
			req.Header.Set("X-Iswigo-App", m[2])
			req.Header.Set("X-Iswigo-Signature", m[3])
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(body), `"token_type":"Bearer"`) {
				t.Fatalf("pasted curl: %d %s", resp.StatusCode, body)
			}
			// The secret is printed once: a second start does not print it.
			secret := regexp.MustCompile(`secret:\s+(\S+)`).FindStringSubmatch(stdout.String())[1]
			if strings.Contains(stderr.String(), secret) || strings.Contains(stderr.String(), "password") {
				t.Fatal("the log contains the demo secret or password")
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("graceful stop: %v", err)
			}
			var out2 bytes.Buffer
			ctx2, cancel2 := context.WithCancel(context.Background())
			done2 := make(chan error, 1)
			go func() {
				done2 <- run(ctx2, append([]string{"serve", "--demo", "--addr", "127.0.0.1:0"}, store...), &out2, io.Discard)
			}()
			time.Sleep(300 * time.Millisecond)
			cancel2()
			<-done2
			if strings.Contains(out2.String(), secret) || !strings.Contains(out2.String(), "already exists") {
				t.Fatalf("second start printed: %q", out2.String())
			}
		})
	}
}

// TestEnvironment: every flag also comes from ISWIGO_<FLAG>; the command line wins.
func TestEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("ISWIGO_DATA", dir)
	if _, err := runCmd(t, "app", "create", "--name", "from-env"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir + "/iswigo.db"); err != nil {
		t.Fatalf("ISWIGO_DATA ignored: %v", err)
	}
	other := t.TempDir()
	if _, err := runCmd(t, "app", "create", "--name", "from-flag", "--data", other); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(other + "/iswigo.db"); err != nil {
		t.Fatalf("--data did not win over ISWIGO_DATA: %v", err)
	}
	t.Setenv("ISWIGO_PSD2", "maybe")
	if _, err := runCmd(t, "app", "create", "--name", "bad-env"); err == nil || !strings.Contains(err.Error(), "ISWIGO_PSD2") {
		t.Fatalf("bad env value: %v", err)
	}
}

func TestParsePrefixes(t *testing.T) {
	got, err := parsePrefixes("10.0.0.0/8, 192.0.2.7,::1")
	if err != nil || len(got) != 3 || got[1].String() != "192.0.2.7/32" || got[2].String() != "::1/128" {
		t.Fatalf("parsePrefixes: %v %v", got, err)
	}
	if _, err := parsePrefixes("10.0.0.0/33"); err == nil {
		t.Fatal("bad prefix accepted")
	}
	if _, err := runCmd(t, "serve", "--trusted-proxies", "nope", "--data", t.TempDir()); err == nil || !strings.Contains(err.Error(), "--trusted-proxies") {
		t.Fatalf("bad --trusted-proxies: %v", err)
	}
}
