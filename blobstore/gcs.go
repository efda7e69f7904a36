// SPDX-License-Identifier: Apache-2.0

package blobstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
	"golang.org/x/oauth2/google"
)

// gcsBucket is a Google Cloud Storage bucket through its published JSON
// API (https://cloud.google.com/storage/docs/json_api), written here
// rather than through gocloud.dev/blob/gcsblob: that driver's client
// library (gRPC, xDS, OpenTelemetry) costs some 13 MB of memory at start
// in every process, whether gs:// is used or not.
//
// URL: gs://BUCKET[?prefix=P&anonymous=true&endpoint=URL]. Credentials are
// Google's Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS,
// gcloud's, or the metadata server) unless anonymous=true; endpoint (or
// STORAGE_EMULATOR_HOST, as Google's clients read it) replaces
// https://storage.googleapis.com, e.g. for an emulator.
type gcsBucket struct {
	client         *http.Client
	endpoint       string // scheme://host, no trailing slash
	bucket, prefix string
}

// gcsChunk is the size of the pieces of a resumable upload (a multiple of
// 256 KiB, as the API requires); a file no larger is sent in one request.
// Writes hold at most one piece in memory.
var gcsChunk = 8 << 20

// gcsScope is the OAuth scope of reading and writing objects.
const gcsScope = "https://www.googleapis.com/auth/devstorage.read_write"

// openGCS opens a gs:// URL.
func openGCS(ctx context.Context, raw string) (*gcsBucket, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return nil, fmt.Errorf("gs URL %q: want gs://BUCKET[?prefix=…&anonymous=true&endpoint=…]", raw)
	}
	q := u.Query()
	for k := range q {
		if k != "prefix" && k != "anonymous" && k != "endpoint" {
			return nil, fmt.Errorf("gs URL: unknown parameter %q (prefix, anonymous, endpoint)", k)
		}
	}
	b := &gcsBucket{bucket: u.Host, prefix: q.Get("prefix"), endpoint: "https://storage.googleapis.com"}
	if host := os.Getenv("STORAGE_EMULATOR_HOST"); host != "" {
		b.endpoint = host
		if !strings.Contains(host, "://") {
			b.endpoint = "http://" + host
		}
	}
	if e := q.Get("endpoint"); e != "" {
		eu, err := url.Parse(e)
		if err != nil || (eu.Scheme != "https" && eu.Scheme != "http") || eu.Host == "" {
			return nil, fmt.Errorf("gs URL: endpoint %q is not an http(s) URL", e)
		}
		b.endpoint = eu.Scheme + "://" + eu.Host
	}
	b.endpoint = strings.TrimSuffix(b.endpoint, "/")
	switch a := q.Get("anonymous"); a {
	case "true":
		b.client = &http.Client{}
	case "", "false":
		if b.client, err = google.DefaultClient(ctx, gcsScope); err != nil {
			return nil, fmt.Errorf("gs credentials (Application Default Credentials): %w", err)
		}
	default:
		return nil, fmt.Errorf("gs URL: anonymous=%q, want true or false", a)
	}
	return b, nil
}

// objectURL is the URL of the object named key's metadata or, with
// alt=media, its content.
func (b *gcsBucket) objectURL(key string) string {
	return b.endpoint + "/storage/v1/b/" + url.PathEscape(b.bucket) + "/o/" + url.PathEscape(b.prefix+key)
}

// uploadURL is the URL that creates the object named key.
func (b *gcsBucket) uploadURL(key, uploadType string) string {
	return b.endpoint + "/upload/storage/v1/b/" + url.PathEscape(b.bucket) + "/o?uploadType=" + uploadType +
		"&name=" + url.QueryEscape(b.prefix+key)
}

// gcsError is a failed answer of the API, wrapping errNotFound for a 404.
func gcsError(op string, res *http.Response) error {
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4<<10))
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	msg := strings.TrimSpace(string(body))
	if json.Unmarshal(body, &e) == nil && e.Error.Message != "" {
		msg = e.Error.Message
	}
	if res.StatusCode == http.StatusNotFound {
		return fmt.Errorf("gs %s: %w: %s", op, errNotFound, iswigo.OneLine(msg, 300))
	}
	return fmt.Errorf("gs %s: %s: %s", op, res.Status, iswigo.OneLine(msg, 300))
}

var errNotFound = errors.New("object not found")

// do sends a request and returns the answer when its status is one of ok.
func (b *gcsBucket) do(req *http.Request, op string, ok ...int) (*http.Response, error) {
	res, err := b.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("gs %s: %w", op, err)
	}
	for _, code := range ok {
		if res.StatusCode == code {
			return res, nil
		}
	}
	defer res.Body.Close()
	return nil, gcsError(op, res)
}

// write stores r as key: in one request when it fits in a chunk, else
// through a resumable upload, one chunk at a time. An error leaves no
// object (an unfinished resumable upload creates none).
func (b *gcsBucket) write(ctx context.Context, key, contentType string, r io.Reader) error {
	// The first chunk, in a buffer as large as what was read: a small file
	// costs no chunk-sized allocation.
	var first bytes.Buffer
	read, err := first.ReadFrom(io.LimitReader(r, int64(gcsChunk)))
	if err != nil {
		return err
	}
	buf, n := first.Bytes(), int(read)
	if n < gcsChunk {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.uploadURL(key, "media"), bytes.NewReader(buf))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", contentType)
		res, err := b.do(req, "upload", http.StatusOK)
		if err != nil {
			return err
		}
		return res.Body.Close()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.uploadURL(key, "resumable"), nil)
	if err != nil {
		return err
	}
	req.Header.Set("X-Upload-Content-Type", contentType)
	res, err := b.do(req, "start upload", http.StatusOK)
	if err != nil {
		return err
	}
	res.Body.Close()
	session := res.Header.Get("Location")
	if session == "" {
		return fmt.Errorf("gs start upload: no session URI in the answer")
	}
	var sent int64
	next := make([]byte, gcsChunk)
	for {
		// Read ahead: the last chunk must say the total size.
		m, rerr := io.ReadFull(r, next)
		end := errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF)
		if rerr != nil && !end {
			return rerr
		}
		if end && m == 0 {
			return b.putChunk(ctx, session, buf[:n], sent, strconv.FormatInt(sent+int64(n), 10))
		}
		if err := b.putChunk(ctx, session, buf[:n], sent, "*"); err != nil {
			return err
		}
		sent += int64(n)
		buf, next, n = next, buf, m
		if end {
			return b.putChunk(ctx, session, buf[:n], sent, strconv.FormatInt(sent+int64(n), 10))
		}
	}
}

// putChunk sends the bytes of a resumable upload from offset; total is
// the whole size on the last chunk, else "*".
func (b *gcsBucket) putChunk(ctx context.Context, session string, chunk []byte, offset int64, total string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, session, bytes.NewReader(chunk))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%s", offset, offset+int64(len(chunk))-1, total))
	want := http.StatusPermanentRedirect // 308: more expected
	if total != "*" {
		want = http.StatusOK
	}
	res, err := b.do(req, "upload", want, http.StatusCreated)
	if err != nil {
		return err
	}
	return res.Body.Close()
}

// open returns the content of key.
func (b *gcsBucket) open(ctx context.Context, key string) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.objectURL(key)+"?alt=media", nil)
	if err != nil {
		return nil, err
	}
	res, err := b.do(req, "read", http.StatusOK)
	if err != nil {
		return nil, err
	}
	return res.Body, nil
}

// delete removes key; a missing one is errNotFound.
func (b *gcsBucket) delete(ctx context.Context, key string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, b.objectURL(key), nil)
	if err != nil {
		return err
	}
	res, err := b.do(req, "delete", http.StatusNoContent, http.StatusOK)
	if err != nil {
		return err
	}
	return res.Body.Close()
}

// list calls fn with every key under prefix and its last change, page by page.
func (b *gcsBucket) list(ctx context.Context, prefix string, fn func(key string, modTime time.Time) error) error {
	token := ""
	for {
		q := url.Values{"prefix": {b.prefix + prefix}, "fields": {"items(name,updated),nextPageToken"}}
		if token != "" {
			q.Set("pageToken", token)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet,
			b.endpoint+"/storage/v1/b/"+url.PathEscape(b.bucket)+"/o?"+q.Encode(), nil)
		if err != nil {
			return err
		}
		res, err := b.do(req, "list", http.StatusOK)
		if err != nil {
			return err
		}
		var page struct {
			Items []struct {
				Name    string    `json:"name"`
				Updated time.Time `json:"updated"`
			} `json:"items"`
			NextPageToken string `json:"nextPageToken"`
		}
		err = json.NewDecoder(io.LimitReader(res.Body, 64<<20)).Decode(&page)
		res.Body.Close()
		if err != nil {
			return fmt.Errorf("gs list: %w", err)
		}
		for _, it := range page.Items {
			key, ok := strings.CutPrefix(it.Name, b.prefix)
			if !ok || strings.HasSuffix(key, "/") {
				continue
			}
			if err := fn(key, it.Updated); err != nil {
				return err
			}
		}
		if page.NextPageToken == "" {
			return nil
		}
		token = page.NextPageToken
	}
}
