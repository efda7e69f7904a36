// SPDX-License-Identifier: Apache-2.0

// Package blobstore implements iswigo.FileStore on a bucket: a directory
// by default (file://), S3 (s3://), Azure Blob Storage (azblob://) or
// memory (mem://) through gocloud.dev/blob, Google Cloud Storage (gs://)
// through its JSON API (gcs.go), by URL alone.
package blobstore

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
	"gocloud.dev/blob"
	_ "gocloud.dev/blob/azureblob" // azblob://
	_ "gocloud.dev/blob/fileblob"  // file://
	_ "gocloud.dev/blob/memblob"   // mem://
	_ "gocloud.dev/blob/s3blob"    // s3://
	"gocloud.dev/gcerrors"
)

// Store is a FileStore on a bucket. Safe for concurrent use.
type Store struct {
	bucket *blob.Bucket // every scheme but gs://
	gcs    *gcsBucket   // gs://
}

var _ iswigo.FileStore = (*Store)(nil)

// Open opens the bucket at url. For a file:// URL the directory is created
// (mode 0700) when missing.
func Open(ctx context.Context, url string) (*Store, error) {
	if strings.HasPrefix(url, "gs://") {
		g, err := openGCS(ctx, url)
		if err != nil {
			return nil, fmt.Errorf("open blob bucket: %w", err)
		}
		return &Store{gcs: g}, nil
	}
	if dir, ok := strings.CutPrefix(url, "file://"); ok {
		dir, _, _ = strings.Cut(dir, "?")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("blob directory: %w", err)
		}
	}
	b, err := blob.OpenBucket(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("open blob bucket: %w", err)
	}
	return &Store{bucket: b}, nil
}

// Close closes the bucket.
func (s *Store) Close() error {
	if s.gcs != nil {
		return nil
	}
	return s.bucket.Close()
}

// Write implements iswigo.FileStore. The file is streamed, never held in
// memory whole.
func (s *Store) Write(ctx context.Context, key, contentType string, r io.Reader) (int64, string, error) {
	h := sha1.New()
	cr := &countingReader{r: io.TeeReader(r, h)}
	var err error
	if s.gcs != nil {
		err = s.gcs.write(ctx, key, contentType, cr)
	} else {
		err = s.writeBucket(ctx, key, contentType, cr)
	}
	if err != nil {
		return 0, "", fmt.Errorf("write %s: %w", key, err)
	}
	return cr.n, hex.EncodeToString(h.Sum(nil)), nil
}

// writeBucket streams r to key of the gocloud bucket; an error abandons
// the write, so nothing is stored.
func (s *Store) writeBucket(ctx context.Context, key, contentType string, r io.Reader) error {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := s.bucket.NewWriter(wctx, key, &blob.WriterOptions{ContentType: contentType})
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, r); err != nil {
		cancel()
		w.Close()
		return err
	}
	return w.Close()
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// Open implements iswigo.FileStore.
func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	var r io.ReadCloser
	var err error
	if s.gcs != nil {
		r, err = s.gcs.open(ctx, key)
	} else {
		r, err = s.bucket.NewReader(ctx, key, nil)
	}
	if notFound(err) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "File not found")
	} else if err != nil {
		return nil, fmt.Errorf("open %s: %w", key, err)
	}
	return r, nil
}

// notFound reports whether err says that an object does not exist.
func notFound(err error) bool {
	return errors.Is(err, errNotFound) || (err != nil && gcerrors.Code(err) == gcerrors.NotFound)
}

// Delete implements iswigo.FileStore.
func (s *Store) Delete(ctx context.Context, key string) error {
	var err error
	if s.gcs != nil {
		err = s.gcs.delete(ctx, key)
	} else {
		err = s.bucket.Delete(ctx, key)
	}
	if err != nil && !notFound(err) {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	return nil
}

// List implements iswigo.FileStore.
func (s *Store) List(ctx context.Context, prefix string, fn func(key string, modTime time.Time) error) error {
	if s.gcs != nil {
		return s.gcs.list(ctx, prefix, fn)
	}
	it := s.bucket.List(&blob.ListOptions{Prefix: prefix})
	for {
		obj, err := it.Next(ctx)
		if errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("list %s: %w", prefix, err)
		}
		if obj.IsDir {
			continue
		}
		if err := fn(obj.Key, obj.ModTime); err != nil {
			return err
		}
	}
}
