// SPDX-License-Identifier: Apache-2.0

package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo/auth"
	"github.com/iswigo/iswigo/sqldb"
)

// TestGracefulShutdown stops the server (as SIGTERM does: run's context
// ends) while a request's body is still arriving: the request finishes
// and succeeds, then run returns without error.
func TestGracefulShutdown(t *testing.T) {
	store := storeArgs(t, sqldb.SQLite)
	out, err := runCmd(t, append([]string{"app", "create", "--name", "graceful"}, store...)...)
	if err != nil {
		t.Fatal(err)
	}
	var app struct{ Name, Secret string }
	json.Unmarshal([]byte(out), &app)

	p, addrs := serveInProcess(t, append([]string{"--addr", "127.0.0.1:0"}, store...), listening)
	addr, stderr, done := addrs[0], p.stderr, p.done

	body := `{"email":"graceful@example.com","password":"Str0ng!Passw0rd"}`
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", "http://"+addr+"/v1/users", pr)
	req.ContentLength = int64(len(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Iswigo-App", app.Name)
	req.Header.Set("X-Iswigo-Signature", auth.Signature(app.Secret, "POST", "/v1/users", []byte(body)))
	respc := make(chan *http.Response, 1)
	errc := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			errc <- err
			return
		}
		respc <- resp
	}()
	io.WriteString(pw, body[:10]) // the request is in flight…
	time.Sleep(100 * time.Millisecond)
	p.stop() // …when the server is told to stop
	time.Sleep(200 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("server stopped before its in-flight request finished: %v", err)
	default:
	}
	io.WriteString(pw, body[10:])
	pw.Close()
	select {
	case resp := <-respc:
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 201 || !strings.Contains(string(b), "graceful@example.com") {
			t.Fatalf("in-flight request: %d %s", resp.StatusCode, b)
		}
	case err := <-errc:
		t.Fatalf("in-flight request failed: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("no answer")
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("server did not stop")
	}
	if !strings.Contains(stderr.String(), `"msg":"stopped"`) {
		t.Fatal("no stop logged")
	}
}
