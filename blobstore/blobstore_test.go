// SPDX-License-Identifier: Apache-2.0

package blobstore

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
)

// fakeGCS is a Google Cloud Storage bucket "files" as its JSON API
// documents it: simple and resumable uploads, media download, delete and
// a paged listing (two objects a page, to exercise the page tokens).
type fakeGCS struct {
	mu       sync.Mutex
	objects  map[string]fakeObject
	sessions map[string]*fakeUpload
	chunks   []string // Content-Range of every chunk received
}

type fakeObject struct {
	data        []byte
	contentType string
	updated     time.Time
}

type fakeUpload struct {
	name, contentType string
	data              []byte
}

func newFakeGCS(t *testing.T) (*fakeGCS, *httptest.Server) {
	f := &fakeGCS{objects: map[string]fakeObject{}, sessions: map[string]*fakeUpload{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func gcsFail(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": code, "message": msg}})
}

func (f *fakeGCS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	path, q := r.URL.EscapedPath(), r.URL.Query()
	const bucket = "/storage/v1/b/files/o"
	switch {
	case r.Method == http.MethodPost && path == "/upload"+bucket && q.Get("uploadType") == "media":
		data, _ := io.ReadAll(r.Body)
		f.objects[q.Get("name")] = fakeObject{data, r.Header.Get("Content-Type"), time.Now().UTC()}
		json.NewEncoder(w).Encode(map[string]string{"name": q.Get("name")})
	case r.Method == http.MethodPost && path == "/upload"+bucket && q.Get("uploadType") == "resumable":
		id := strconv.Itoa(len(f.sessions) + 1)
		f.sessions[id] = &fakeUpload{name: q.Get("name"), contentType: r.Header.Get("X-Upload-Content-Type")}
		w.Header().Set("Location", "http://"+r.Host+"/upload/session/"+id)
	case r.Method == http.MethodPut && strings.HasPrefix(path, "/upload/session/"):
		u := f.sessions[strings.TrimPrefix(path, "/upload/session/")]
		cr := r.Header.Get("Content-Range")
		f.chunks = append(f.chunks, cr)
		var from, to int
		var total string
		if u == nil {
			gcsFail(w, http.StatusNotFound, "no such upload")
			return
		}
		if _, err := fmt.Sscanf(cr, "bytes %d-%d/%s", &from, &to, &total); err != nil || from != len(u.data) {
			gcsFail(w, http.StatusBadRequest, "bad Content-Range "+cr)
			return
		}
		data, _ := io.ReadAll(r.Body)
		if len(data) != to-from+1 || (total == "*" && len(data)%(256<<10) != 0) {
			gcsFail(w, http.StatusBadRequest, "chunk size")
			return
		}
		u.data = append(u.data, data...)
		if total == "*" {
			w.WriteHeader(http.StatusPermanentRedirect)
			return
		}
		if n, _ := strconv.Atoi(total); n != len(u.data) {
			gcsFail(w, http.StatusBadRequest, "total size")
			return
		}
		f.objects[u.name] = fakeObject{u.data, u.contentType, time.Now().UTC()}
		json.NewEncoder(w).Encode(map[string]string{"name": u.name})
	case r.Method == http.MethodGet && path == bucket:
		var names []string
		for name := range f.objects {
			if strings.HasPrefix(name, q.Get("prefix")) {
				names = append(names, name)
			}
		}
		sort.Strings(names)
		start, _ := strconv.Atoi(q.Get("pageToken"))
		end := min(start+2, len(names))
		page := map[string]any{}
		var items []map[string]any
		for _, name := range names[start:end] {
			items = append(items, map[string]any{"name": name, "updated": f.objects[name].updated.Format(time.RFC3339Nano)})
		}
		page["items"] = items
		if end < len(names) {
			page["nextPageToken"] = strconv.Itoa(end)
		}
		json.NewEncoder(w).Encode(page)
	case strings.HasPrefix(path, bucket+"/"):
		name, err := url.PathUnescape(strings.TrimPrefix(path, bucket+"/"))
		obj, ok := f.objects[name]
		switch {
		case err != nil:
			gcsFail(w, http.StatusBadRequest, "bad name")
		case !ok:
			gcsFail(w, http.StatusNotFound, "No such object: files/"+name)
		case r.Method == http.MethodGet && q.Get("alt") == "media":
			w.Header().Set("Content-Type", obj.contentType)
			w.Write(obj.data)
		case r.Method == http.MethodDelete:
			delete(f.objects, name)
			w.WriteHeader(http.StatusNoContent)
		default:
			gcsFail(w, http.StatusBadRequest, "unexpected request")
		}
	default:
		gcsFail(w, http.StatusNotFound, "The specified bucket does not exist.")
	}
}

// failingReader gives some bytes, then an error.
type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("source broke")
	}
	k := min(len(p), r.n)
	for i := range p[:k] {
		p[i] = 'x'
	}
	r.n -= k
	return k, nil
}

// testStore runs the FileStore contract on s.
func testStore(t *testing.T, s *Store) {
	ctx := context.Background()
	sizes := []int{0, 10, gcsChunk, 2 * gcsChunk, 2*gcsChunk + 12345}
	for i, size := range sizes {
		data := bytes.Repeat([]byte{byte('a' + i)}, size)
		key := fmt.Sprintf("docs/k%d", i)
		n, sum, err := s.Write(ctx, key, "application/pdf", bytes.NewReader(data))
		want := sha1.Sum(data)
		if err != nil || n != int64(size) || sum != hex.EncodeToString(want[:]) {
			t.Fatalf("write %d bytes: %d, %s, %v", size, n, sum, err)
		}
		r, err := s.Open(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(r)
		r.Close()
		if !bytes.Equal(got, data) {
			t.Fatalf("read back %d bytes of %d", len(got), size)
		}
	}
	if _, _, err := s.Write(ctx, "statements/x", "text/plain", &failingReader{n: gcsChunk + 10}); err == nil {
		t.Fatal("a broken source was stored")
	}
	if _, err := s.Open(ctx, "statements/x"); iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
		t.Fatalf("after a broken write: %v, want not found", err)
	}
	if _, _, err := s.Write(ctx, "statements/s1", "text/plain", strings.NewReader("s")); err != nil {
		t.Fatal(err)
	}
	var listed []string
	if err := s.List(ctx, "docs/", func(key string, mod time.Time) error {
		if mod.IsZero() || time.Since(mod) > time.Hour {
			t.Errorf("%s: modification time %v", key, mod)
		}
		listed = append(listed, key)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sort.Strings(listed)
	if strings.Join(listed, ",") != "docs/k0,docs/k1,docs/k2,docs/k3,docs/k4" {
		t.Fatalf("listed %v", listed)
	}
	if err := s.Delete(ctx, "docs/k1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "docs/k1"); err != nil {
		t.Fatalf("deleting a missing file: %v", err)
	}
	if _, err := s.Open(ctx, "docs/k1"); iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
		t.Fatalf("open deleted: %v", err)
	}
}

func smallChunks(t *testing.T) {
	old := gcsChunk
	gcsChunk = 256 << 10
	t.Cleanup(func() { gcsChunk = old })
}

func TestMemStore(t *testing.T) {
	smallChunks(t)
	s, err := Open(context.Background(), "mem://")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	testStore(t, s)
}

func TestGCSStore(t *testing.T) {
	smallChunks(t)
	fake, srv := newFakeGCS(t)
	s, err := Open(context.Background(), "gs://files?anonymous=true&prefix=iswigo/&endpoint="+url.QueryEscape(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	testStore(t, s)
	// Objects are named under the prefix; big files went in chunks that
	// said the total size only on the last one.
	if _, ok := fake.objects["iswigo/docs/k4"]; !ok {
		t.Fatalf("objects %v: want iswigo/docs/k4", fake.objects)
	}
	wantRanges := []string{"bytes 0-262143/262144", "bytes 0-262143/*", "bytes 262144-524287/524288"}
	if got := fake.chunks[:3]; strings.Join(got, ";") != strings.Join(wantRanges, ";") {
		t.Fatalf("the chunks of the first two resumable uploads %v, want %v", got, wantRanges)
	}
}

func TestGCSErrors(t *testing.T) {
	_, srv := newFakeGCS(t)
	ctx := context.Background()
	s, err := Open(ctx, "gs://nobucket?anonymous=true&endpoint="+url.QueryEscape(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = s.Write(ctx, "k", "text/plain", strings.NewReader("x"))
	if err == nil || !strings.Contains(err.Error(), "The specified bucket does not exist.") {
		t.Fatalf("write to a missing bucket: %v; want the API's message", err)
	}
	for _, bad := range []string{"gs://", "gs://b/path", "gs://b?region=x", "gs://b?anonymous=maybe", "gs://b?anonymous=true&endpoint=ftp://x"} {
		if _, err := Open(ctx, bad); err == nil {
			t.Errorf("Open(%q) accepted", bad)
		}
	}
}
