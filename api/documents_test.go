// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
)

// storedFiles counts the files in the test's file store.
func (e *testEnv) storedFiles(t *testing.T) int {
	n := 0
	if err := e.files.List(context.Background(), "", func(string, time.Time) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// download fetches a document's file with a signed request.
func download(t *testing.T, c *api.Client, id string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	target := "/v1/documents/" + id + "/download"
	req, _ := http.NewRequest("GET", c.BaseURL+target, nil)
	for k, v := range signedUser(c, "GET", target) {
		req.Header.Set(k, v)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.HTTPClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// signedUser returns the headers of a request of c's user.
func signedUser(c *api.Client, method, target string) map[string]string {
	h := signed(&iswigo.App{Name: c.App, Secret: c.Secret}, method, target, nil)
	h["Authorization"] = "Bearer " + c.Token
	return h
}

func TestDocuments(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		_, c := e.user(t, e.psd2, "hector@example.com")
		bank, _ := c.CreateConnection(ctx, 999, map[string]string{"login": "123456789", "password": "123456"})
		energy, err := c.CreateConnection(ctx, 996, map[string]string{"login": "hector@berlioz.com", "password": "123456"})
		if err != nil {
			t.Fatal(err)
		}
		if energy.Login != "hec############com" {
			t.Fatalf("masked login %q", energy.Login)
		}
		waitStatus(t, c, energy.ConnectionID, isStatus(iswigo.StatusFinished))
		waitStatus(t, c, bank.ConnectionID, isStatus(iswigo.StatusFinished))
		docs, err := c.Documents(ctx, "", iswigo.Range{From: 0, To: 99})
		if err != nil || len(docs) != 13 {
			t.Fatalf("documents: %d %v", len(docs), err)
		}
		invoices, _ := c.Documents(ctx, "invoice", iswigo.Range{From: 0, To: 99})
		if len(invoices) != 12 {
			t.Fatalf("%d invoices", len(invoices))
		}
		var meta struct {
			Amount      json.Number `json:"amount"`
			PaymentDate string      `json:"payment_date"`
		}
		if err := json.Unmarshal(invoices[0].Meta, &meta); err != nil || meta.Amount == "" || len(meta.PaymentDate) != 10 {
			t.Fatalf("invoice meta %s: %v", invoices[0].Meta, err)
		}
		for _, d := range docs {
			if d.Type == "document" && string(d.Meta) != "[]" {
				t.Fatalf("document meta %s", d.Meta)
			}
		}
		// filters[type]=document lists the document connection only.
		conns, _ := c.Connections(ctx, "document", iswigo.DefaultRange)
		if len(conns) != 1 || conns[0].ConnectionID != energy.ConnectionID {
			t.Fatalf("document connections: %+v", conns)
		}
		// Downloads: the bytes match the metadata.
		for _, d := range docs[:3] {
			resp, body := download(t, c, d.DocumentID, nil)
			sum := sha1.Sum(body)
			if resp.StatusCode != 200 || int64(len(body)) != d.Size || hex.EncodeToString(sum[:]) != d.Hash.SHA1 ||
				!bytes.HasPrefix(body, []byte("%PDF")) {
				t.Fatalf("download %s: %d, %d bytes", d.Name, resp.StatusCode, len(body))
			}
			if resp.Header.Get("Content-Type") != "application/pdf" || resp.Header.Get("ETag") != `"`+d.Hash.SHA1+`"` ||
				!strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="`) {
				t.Fatalf("headers %v", resp.Header)
			}
			resp, body = download(t, c, d.DocumentID, map[string]string{"If-None-Match": `"` + d.Hash.SHA1 + `"`})
			if resp.StatusCode != 304 || len(body) != 0 {
				t.Fatalf("If-None-Match: %d", resp.StatusCode)
			}
		}
		contract := docs[slices_index(docs, func(d api.Document) bool { return d.Type == "document" })]
		if cd := download2(t, c, contract.DocumentID); !strings.Contains(cd, "filename*=UTF-8''Contrat%20d%27%C3%A9lectricit%C3%A9.pdf") {
			t.Fatalf("non-ASCII name not encoded: %s", cd)
		}

		// A resync adds no document.
		files := e.storedFiles(t)
		c.SyncConnection(ctx, energy.ConnectionID)
		waitStatus(t, c, energy.ConnectionID, done)
		again, _ := c.Documents(ctx, "", iswigo.Range{From: 0, To: 99})
		if len(again) != 13 || again[0].DocumentID != docs[0].DocumentID || e.storedFiles(t) != files {
			t.Fatalf("resync: %d documents, %d files (was %d)", len(again), e.storedFiles(t), files)
		}
		events, _ := e.psd2.Events(ctx, iswigo.Range{From: 0, To: 99})
		added := 0
		for _, ev := range events {
			if ev.Type == "documents.added" {
				added++
				if !strings.Contains(string(ev.Data), `"count":13`) {
					t.Fatalf("documents.added %s", ev.Data)
				}
			}
		}
		if added != 1 {
			t.Fatalf("%d documents.added events", added)
		}

		// Another user or application: 404 for metadata and file alike.
		_, other := e.user(t, e.psd2, "other@example.com")
		_, foreign := e.user(t, e.plain, "hector@example.com")
		for _, oc := range []*api.Client{other, foreign} {
			_, err := oc.Document(ctx, docs[0].DocumentID)
			wantError(t, err, iswigo.ENOTFOUND, "")
			resp, body := download(t, oc, docs[0].DocumentID, nil)
			wantEnvelope(t, resp.StatusCode, body, 404, "Document not found")
		}

		// Deleting the connection deletes its files.
		if err := c.DeleteConnection(ctx, energy.ConnectionID); err != nil {
			t.Fatal(err)
		}
		if n := e.storedFiles(t); n != 0 {
			t.Fatalf("%d files left after deleting the connection", n)
		}
		if list, _ := c.Documents(ctx, "", iswigo.DefaultRange); len(list) != 0 {
			t.Fatal("documents left")
		}
	})
}

func slices_index(docs []api.Document, f func(api.Document) bool) int {
	for i, d := range docs {
		if f(d) {
			return i
		}
	}
	return 0
}

func download2(t *testing.T, c *api.Client, id string) string {
	resp, _ := download(t, c, id, nil)
	return resp.Header.Get("Content-Disposition")
}

func TestDocumentsDeletedWithUser(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		u, c := e.user(t, e.psd2, "hector@example.com")
		conn, _ := c.CreateConnection(ctx, 997, map[string]string{"login": "123456789", "password": "123456"})
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusFinished))
		docs, _ := c.Documents(ctx, "", iswigo.Range{From: 0, To: 99})
		accounts, _ := c.Accounts(ctx, iswigo.DefaultRange)
		if len(docs) < 40 || len(accounts) != 4 || e.storedFiles(t) != len(docs) {
			t.Fatalf("997: %d documents, %d accounts, %d files", len(docs), len(accounts), e.storedFiles(t))
		}
		if err := c.DeleteUser(ctx, u.UserID); err != nil {
			t.Fatal(err)
		}
		if n := e.storedFiles(t); n != 0 {
			t.Fatalf("%d files left after deleting the user", n)
		}
	})
}

// TestOrphanSweep: a file without a row, older than the cut-off, goes.
func TestOrphanSweep(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		if _, _, err := e.files.Write(ctx, "documents/orphan", "application/pdf", strings.NewReader("%PDF")); err != nil {
			t.Fatal(err)
		}
		if n, err := e.db.SweepOrphanFiles(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
			t.Fatalf("a fresh file was swept: %d %v", n, err)
		}
		if n, err := e.db.SweepOrphanFiles(ctx, time.Now().Add(time.Minute)); err != nil || n != 1 || e.storedFiles(t) != 0 {
			t.Fatalf("sweep: %d %v", n, err)
		}
	})
}

// TestDownloadMemoryFlat downloads a 20 MB document through the whole
// stack while sampling the heap: it must not grow by the file's size.
func TestDownloadMemoryFlat(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		_, c := e.user(t, e.psd2, "big@example.com")
		conn, err := c.CreateConnection(ctx, bigDocProviderID, map[string]string{"login": "big"})
		if err != nil {
			t.Fatal(err)
		}
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusFinished))
		docs, _ := c.Documents(ctx, "", iswigo.DefaultRange)
		if len(docs) != 1 || docs[0].Size != bigDocSize {
			t.Fatalf("big document: %+v", docs)
		}
		// Collect garbage promptly while measuring, so the heap shows what is
		// held, not what a lagging collector has yet to free.
		defer debug.SetGCPercent(debug.SetGCPercent(10))
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapAlloc
		var peak atomic.Uint64
		stop := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			for {
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > peak.Load() {
					peak.Store(m.HeapAlloc)
				}
				select {
				case <-stop:
					return
				case <-time.After(2 * time.Millisecond):
				}
			}
		}()
		target := "/v1/documents/" + docs[0].DocumentID + "/download"
		req, _ := http.NewRequest("GET", c.BaseURL+target, nil)
		for k, v := range signedUser(c, "GET", target) {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		h := sha1.New()
		n, _ := io.Copy(h, resp.Body)
		resp.Body.Close()
		close(stop)
		<-sampled
		growth := int64(peak.Load()) - int64(base)
		t.Logf("20 MB download: heap grew by at most %.1f MB", float64(growth)/(1<<20))
		if n != bigDocSize || hex.EncodeToString(h.Sum(nil)) != docs[0].Hash.SHA1 {
			t.Fatalf("downloaded %d bytes", n)
		}
		if growth > 8<<20 {
			t.Fatalf("heap grew by %d bytes while streaming a %d-byte file", growth, bigDocSize)
		}
	})
}
