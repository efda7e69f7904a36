// SPDX-License-Identifier: Apache-2.0

// Package blobstore implements iswigo.FileStore on a gocloud.dev/blob
// bucket: a directory by default (file://), S3, Google Cloud Storage,
// Azure Blob Storage or memory by URL alone.
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
	_ "gocloud.dev/blob/gcsblob"   // gs://
	_ "gocloud.dev/blob/memblob"   // mem://
	_ "gocloud.dev/blob/s3blob"    // s3://
	"gocloud.dev/gcerrors"
)

// Store is a FileStore on a bucket. Safe for concurrent use.
type Store struct {
	bucket *blob.Bucket
}

var _ iswigo.FileStore = (*Store)(nil)

// Open opens the bucket at url. For a file:// URL the directory is created
// (mode 0700) when missing.
func Open(ctx context.Context, url string) (*Store, error) {
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
func (s *Store) Close() error { return s.bucket.Close() }

// Write implements iswigo.FileStore. The file is streamed, never held in memory.
func (s *Store) Write(ctx context.Context, key, contentType string, r io.Reader) (int64, string, error) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := s.bucket.NewWriter(wctx, key, &blob.WriterOptions{ContentType: contentType})
	if err != nil {
		return 0, "", fmt.Errorf("write %s: %w", key, err)
	}
	h := sha1.New()
	n, err := io.Copy(w, io.TeeReader(r, h))
	if err != nil {
		cancel() // abandons the write: nothing is stored
		w.Close()
		return 0, "", fmt.Errorf("write %s: %w", key, err)
	}
	if err := w.Close(); err != nil {
		return 0, "", fmt.Errorf("write %s: %w", key, err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// Open implements iswigo.FileStore.
func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	r, err := s.bucket.NewReader(ctx, key, nil)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "File not found")
	} else if err != nil {
		return nil, fmt.Errorf("open %s: %w", key, err)
	}
	return r, nil
}

// Delete implements iswigo.FileStore.
func (s *Store) Delete(ctx context.Context, key string) error {
	err := s.bucket.Delete(ctx, key)
	if err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	return nil
}

// List implements iswigo.FileStore.
func (s *Store) List(ctx context.Context, prefix string, fn func(key string, modTime time.Time) error) error {
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
