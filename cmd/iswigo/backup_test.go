// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
)

// listing is every API listing of one user, as raw JSON bodies by route,
// plus the SHA-1 of each document's download.
type listing map[string]string

func get(t *testing.T, c *api.Client, target string) []byte {
	t.Helper()
	resp, body, err := c.Do(context.Background(), "GET", target, nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", target, resp.StatusCode, body)
	}
	return body
}

// listAll reads every listing of the application (app) and of its user (c).
func listAll(t *testing.T, app, c *api.Client) listing {
	t.Helper()
	ctx := context.Background()
	l := listing{}
	l["/v1/users"] = string(get(t, app, "/v1/users?range=0-99"))
	l["/v1/profile"] = string(get(t, c, "/v1/profile"))
	l["/v1/bank/accounts"] = string(get(t, c, "/v1/bank/accounts?range=0-99"))
	accounts, err := c.Accounts(ctx, iswigo.Range{From: 0, To: 99})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accounts {
		for from := 0; ; from += 100 {
			target := "/v1/bank/accounts/" + a.AccountID + "/transactions?range=" + rangeOf(from)
			body := get(t, c, target)
			l[target] = string(body)
			if strings.Count(string(body), `"transaction_id"`) < 100 {
				break
			}
		}
	}
	l["/v1/documents"] = string(get(t, c, "/v1/documents?range=0-99"))
	docs, err := c.Documents(ctx, "", iswigo.Range{From: 0, To: 99})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		sum := sha1.Sum(get(t, c, "/v1/documents/"+d.DocumentID+"/download"))
		l["download "+d.DocumentID] = hex.EncodeToString(sum[:])
	}
	// Connections: their ids, providers and statuses (times differ: the
	// restored server ends the sync the backup caught running itself).
	conns, err := c.Connections(ctx, "", iswigo.Range{From: 0, To: 99})
	if err != nil {
		t.Fatal(err)
	}
	for _, cn := range conns {
		st, err := c.ConnectionStatus(ctx, cn.ConnectionID)
		if err != nil {
			t.Fatal(err)
		}
		l["connection "+cn.ConnectionID] = strings.Join([]string{strconv.Itoa(cn.ProviderID), st.Status}, " ")
	}
	return l
}

func rangeOf(from int) string { return strconv.Itoa(from) + "-" + strconv.Itoa(from+99) }

// events returns the application user's events by id, as raw JSON.
func events(t *testing.T, c *api.Client) map[string]string {
	t.Helper()
	var list []json.RawMessage
	if err := json.Unmarshal(get(t, c, "/v1/events?range=0-99"), &list); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range list {
		var head struct {
			EventID string `json:"event_id"`
		}
		_ = json.Unmarshal(e, &head)
		out[head.EventID] = string(e)
	}
	return out
}

// waitFinished polls the user's connections until every one is finished.
func waitFinished(t *testing.T, c *api.Client, max time.Duration) {
	t.Helper()
	ctx := context.Background()
	for deadline := time.Now().Add(max); ; time.Sleep(50 * time.Millisecond) {
		conns, err := c.Connections(ctx, "", iswigo.DefaultRange)
		if err != nil {
			t.Fatal(err)
		}
		finished := 0
		var last api.Status
		for _, cn := range conns {
			if last, err = c.ConnectionStatus(ctx, cn.ConnectionID); err != nil {
				t.Fatal(err)
			}
			if last.Status == iswigo.StatusError {
				t.Fatalf("connection %s: %+v", cn.ConnectionID, last)
			}
			if last.Status == iswigo.StatusFinished {
				finished++
			}
		}
		if len(conns) > 0 && finished == len(conns) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d connections finished after %s (last %+v)", finished, len(conns), max, last)
		}
	}
}

// TestBackupRestore backs up a running server's data directory during a
// sync and webhook deliveries, restores it into an empty directory,
// serves it, and compares every listing with the source's.
func TestBackupRestore(t *testing.T) {
	src := filepath.Join(t.TempDir(), "data")
	store := []string{"--data", src}
	appName, secret := createApp(t, "backup", store)
	var delivered atomic.Int64
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(30 * time.Millisecond) // keeps deliveries in flight
		delivered.Add(1)
	}))
	defer hook.Close()
	if _, err := runCmd(t, append([]string{"webhook", "add", "--app", appName, "--url", hook.URL}, store...)...); err != nil {
		t.Fatal(err)
	}
	source, found := serveInProcess(t, append([]string{"--addr", "127.0.0.1:0", "--sandbox-step-delay", "150ms",
		"--allow-private-webhooks"}, store...), listening)
	app := api.NewClient("http://"+found[0], appName, secret)
	c := newUser(t, app, "backup@example.com")
	ctx := context.Background()
	bank, err := c.CreateConnection(ctx, 999, map[string]string{"login": "123456789", "password": "123456"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateConnection(ctx, 996, map[string]string{"login": "hector@berlioz.com", "password": "123456"}); err != nil {
		t.Fatal(err)
	}
	waitFinished(t, c, 30*time.Second)

	// A resync (same data, so the same ids on both sides) runs while the
	// backup is taken, and its events are being delivered. Events are
	// stamped to the second: the first sync's are made older than the
	// backup's start (below) by more than that, however fast the machine.
	time.Sleep(2 * time.Second)
	if _, err := c.SyncConnection(ctx, bank.ConnectionID); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		st, err := c.ConnectionStatus(ctx, bank.ConnectionID)
		if err != nil {
			t.Fatal(err)
		}
		if st.Status == iswigo.StatusInProgress {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the resync did not start: %+v", st)
		}
	}
	backupStart := time.Now().UTC().Add(-time.Second)
	dir := filepath.Join(t.TempDir(), "backup")
	out, err := runCmd(t, append([]string{"backup", "--to", dir}, store...)...)
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	st, _ := c.ConnectionStatus(ctx, bank.ConnectionID)
	t.Logf("backup during the resync (status %s after it, %d webhook deliveries so far): %s", st.Status, delivered.Load(), out)
	if !strings.Contains(out, "master key is NOT in the backup") || !strings.Contains(out, filepath.Join(src, "master.key")) {
		t.Errorf("backup does not say where the master key is: %s", out)
	}
	key, err := os.ReadFile(filepath.Join(src, "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			if b, _ := os.ReadFile(path); bytes.Contains(b, bytes.TrimSpace(key)) || info.Name() == "master.key" {
				t.Errorf("the backup holds the master key in %s", path)
			}
		}
		return nil
	})

	waitFinished(t, c, 30*time.Second)
	want := listAll(t, app, c)
	wantEvents := events(t, c)
	if err := source.wait(t); err != nil {
		t.Fatalf("source server: %v", err)
	}
	cli := func(data string) map[string]string { // the operator's listings
		out := map[string]string{}
		for _, args := range [][]string{{"app", "list"}, {"webhook", "list"}} {
			o, err := runCmd(t, append(args, "--data", data)...)
			if err != nil {
				t.Fatalf("%v: %v", args, err)
			}
			out[strings.Join(args, " ")] = o
		}
		return out
	}
	wantCLI := cli(src)

	// Restore into a directory holding only the master key, put back.
	dst := filepath.Join(t.TempDir(), "restored")
	if err := os.MkdirAll(dst, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dst, "master.key"), key, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, "restore", "--from", dir, "--data", dst); err != nil {
		t.Fatalf("restore: %v", err)
	} else {
		t.Log(out)
	}
	if _, err := runCmd(t, "restore", "--from", dir, "--data", dst); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a second restore into the same directory: %v", err)
	}
	// The sync the backup caught running is lost with its process: the
	// restored server rescues and reruns it.
	_, found = serveInProcess(t, []string{"--data", dst, "--addr", "127.0.0.1:0", "--allow-private-webhooks",
		"--job-timeout", "2s", "--job-rescue-after", "3s", "--sync-scan-interval", "1s", "--sync-retry-base", "1s"}, listening)
	app.BaseURL, c.BaseURL = "http://"+found[0], "http://"+found[0]
	tok, err := app.Authenticate(ctx, "backup@example.com", "Str0ng!Passw0rd")
	if err != nil {
		t.Fatal(err)
	}
	c = app.WithToken(tok.AccessToken)
	waitFinished(t, c, 30*time.Second)
	got := listAll(t, app, c)
	for k, w := range want {
		if got[k] != w {
			t.Errorf("restored %s differs:\n got %.400s\nwant %.400s", k, got[k], w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("restored server lists %s, the source did not", k)
		}
	}
	for k, w := range wantCLI {
		if g := cli(dst)[k]; g != w {
			t.Errorf("restored %s: %s, want %s", k, g, w)
		}
	}
	// Events: those before the backup are all there, unchanged; the rest
	// are the restored server's own (it ran the resync again).
	gotEvents := events(t, c)
	before := 0
	for id, w := range wantEvents {
		var e struct {
			CreateTime time.Time `json:"create_time"`
		}
		if err := json.Unmarshal([]byte(w), &e); err != nil {
			t.Fatal(err)
		}
		if g, ok := gotEvents[id]; ok && g != w {
			t.Errorf("event %s differs: %s, want %s", id, g, w)
		} else if !ok && e.CreateTime.Before(backupStart) {
			t.Errorf("event %s (%s) from before the backup is missing", id, e.CreateTime)
		}
		if e.CreateTime.Before(backupStart) {
			before++
		}
	}
	if before == 0 || len(want) < 8 {
		t.Fatalf("compared too little: %d events before the backup, %d listings", before, len(want))
	}
}

// TestBackupRefusals covers what backup and restore refuse, each with a
// clear message and nothing written.
func TestBackupRefusals(t *testing.T) {
	src := filepath.Join(t.TempDir(), "data")
	store := []string{"--data", src}
	createApp(t, "refusals", store)
	dir := filepath.Join(t.TempDir(), "backup")
	if _, err := runCmd(t, append([]string{"backup", "--to", dir}, store...)...); err != nil {
		t.Fatal(err)
	}
	refused := func(name, want string, args ...string) {
		t.Helper()
		if _, err := runCmd(t, args...); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, want)
		}
	}
	refused("backup into a non-empty directory", "not empty", append([]string{"backup", "--to", dir}, store...)...)
	refused("backup of PostgreSQL", "pg_dump", "backup", "--to", t.TempDir(), "--database-url", "postgres://127.0.0.1:1/none")
	refused("backup of a missing data directory", "no database", "backup", "--to", filepath.Join(t.TempDir(), "b"), "--data", filepath.Join(t.TempDir(), "none"))
	// A master key given by URL holds the key itself: neither the output
	// nor the backup shows it.
	keyed := []string{"--data", filepath.Join(t.TempDir(), "keyed"), "--master-key", newMasterKey(t)}
	createApp(t, "keyed", keyed)
	keyedDir := filepath.Join(t.TempDir(), "keyed-backup")
	out, err := runCmd(t, append([]string{"backup", "--to", keyedDir}, keyed...)...)
	manifest, _ := os.ReadFile(filepath.Join(keyedDir, "manifest.json"))
	secretPart := strings.TrimPrefix(keyed[3], "base64key://")
	if err != nil || strings.Contains(out, secretPart) || bytes.Contains(manifest, []byte(secretPart)) ||
		!strings.Contains(out, "--master-key") {
		t.Errorf("backup with --master-key: %v, printed %q, manifest %s", err, out, manifest)
	}
	refused("restore onto PostgreSQL", "pg_restore", "restore", "--from", dir, "--data", t.TempDir(), "--database-url", "postgres://127.0.0.1:1/none")

	nonEmpty := t.TempDir()
	os.WriteFile(filepath.Join(nonEmpty, "iswigo.db"), []byte("x"), 0o600)
	refused("restore into a non-empty data directory", "not empty", "restore", "--from", dir, "--data", nonEmpty)

	copyDir := func(t *testing.T) string {
		t.Helper()
		c := filepath.Join(t.TempDir(), "copy")
		if err := os.CopyFS(c, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		return c
	}
	corrupt := copyDir(t)
	db := filepath.Join(corrupt, "iswigo.db")
	b, _ := os.ReadFile(db)
	b[len(b)/2] ^= 0xff
	os.WriteFile(db, b, 0o600)
	target := filepath.Join(t.TempDir(), "target")
	refused("restore of a damaged database file", "iswigo.db is damaged", "restore", "--from", corrupt, "--data", target)
	if entries, _ := os.ReadDir(target); len(entries) > 0 {
		t.Errorf("a refused restore wrote %v", entries)
	}

	unfinished := copyDir(t)
	os.Remove(filepath.Join(unfinished, "manifest.json"))
	refused("restore of a backup without manifest", "not a backup", "restore", "--from", unfinished, "--data", filepath.Join(t.TempDir(), "t"))

	bad := copyDir(t)
	os.WriteFile(filepath.Join(bad, "manifest.json"), []byte(`{"format":"iswigo-backup","version":1,"database":{"path":"iswigo.db"},`+
		`"files":[{"path":"blobs/../../etc/passwd","key":"../../etc/passwd","size":1,"sha256":"00"}]}`), 0o600)
	refused("restore of a manifest naming a path outside the backup", "not a document file", "restore", "--from", bad, "--data", filepath.Join(t.TempDir(), "t"))
	truncated := copyDir(t)
	os.WriteFile(filepath.Join(truncated, "manifest.json"), []byte(`{"format":"iswigo-backup",`), 0o600)
	refused("restore of a truncated manifest", "manifest.json is damaged", "restore", "--from", truncated, "--data", filepath.Join(t.TempDir(), "t"))
}

// TestBackupDamagedDocumentFile refuses a backup whose document file was
// altered, naming the file.
func TestBackupDamagedDocumentFile(t *testing.T) {
	src := filepath.Join(t.TempDir(), "data")
	store := []string{"--data", src}
	appName, secret := createApp(t, "damaged", store)
	p, found := serveInProcess(t, append([]string{"--addr", "127.0.0.1:0"}, store...), listening)
	c := newUser(t, api.NewClient("http://"+found[0], appName, secret), "damaged@example.com")
	if _, err := c.CreateConnection(context.Background(), 996, map[string]string{"login": "hector@berlioz.com", "password": "123456"}); err != nil {
		t.Fatal(err)
	}
	waitFinished(t, c, 30*time.Second)
	dir := filepath.Join(t.TempDir(), "backup")
	if _, err := runCmd(t, append([]string{"backup", "--to", dir}, store...)...); err != nil {
		t.Fatal(err)
	}
	p.wait(t)
	var m backupManifest
	b, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err := json.Unmarshal(b, &m); err != nil || len(m.Files) == 0 {
		t.Fatalf("manifest without document files: %s", b)
	}
	f := filepath.Join(dir, filepath.FromSlash(m.Files[0].Path))
	data, _ := os.ReadFile(f)
	data[0] ^= 0xff
	os.WriteFile(f, data, 0o600)
	target := filepath.Join(t.TempDir(), "target")
	_, err := runCmd(t, "restore", "--from", dir, "--data", target)
	if err == nil || !strings.Contains(err.Error(), m.Files[0].Path+" is damaged") || !strings.Contains(err.Error(), "nothing was restored") {
		t.Fatalf("restore of an altered document file: %v", err)
	}
	if entries, _ := os.ReadDir(target); len(entries) > 0 {
		t.Errorf("a refused restore wrote %v", entries)
	}
}
