// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/iswigo/iswigo/blobstore"
	"github.com/iswigo/iswigo/sqldb"
)

// backupDocs is where the PostgreSQL procedure is documented.
const backupDocs = "docs/operations.md, section Backups"

// runBackup implements "iswigo backup --to DIR": a consistent snapshot of
// the SQLite database (VACUUM INTO, while the server runs), the document
// files it references, and a manifest with their SHA-256, written last.
// The master key is not copied. On PostgreSQL it refuses: pg_dump is the
// tool there (backupDocs).
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("backup", stderr)
	var sf storeFlags
	sf.register(fs)
	to := fs.String("to", "", "the backup directory to create (absent or empty)")
	blobURL := fs.String("blob-url", "", "the document file store (default file://<data>/blobs)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("backup: --to is required")
	}
	if sf.databaseURL != "" && !strings.HasPrefix(sf.databaseURL, "sqlite:") {
		return fmt.Errorf("backup: this database is PostgreSQL: back it up with pg_dump and copy the document files (see %s)", backupDocs)
	}
	if sf.databaseURL == "" {
		if _, err := os.Stat(filepath.Join(sf.data, "iswigo.db")); err != nil {
			return fmt.Errorf("backup: no database in %s: %w", sf.data, err)
		}
	}
	if err := createEmptyDir(*to); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	db, err := sqldb.Open(ctx, sqldb.Config{URL: sf.databaseURL, DataDir: sf.data})
	if err != nil {
		return err
	}
	defer db.Close()
	files, err := openFiles(ctx, *blobURL, sf.data)
	if err != nil {
		return err
	}
	defer files.Close()

	start := time.Now()
	dbPath := filepath.Join(*to, backupDBName)
	if err := db.SnapshotSQLite(ctx, dbPath); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	m := &backupManifest{Format: backupFormat, Version: backupVersion, CreatedAt: start.UTC().Truncate(time.Second),
		Iswigo: version(), MasterKey: masterKeyLocation(sf)}
	docs, err := sqldb.SnapshotFiles(ctx, dbPath)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	var total int64
	for _, d := range docs {
		e, err := backupFile(ctx, files, *to, d)
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		m.Files = append(m.Files, e)
		total += e.Size
	}
	size, sum, err := sha256File(dbPath)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	m.Database = backupEntry{Path: backupDBName, Size: size, SHA256: sum}
	if err := writeManifest(*to, m); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "backup written to %s in %s: database snapshot (%d bytes) and %d document files (%d bytes), with their SHA-256 in %s\n",
		*to, time.Since(start).Round(time.Millisecond), size, len(m.Files), total, backupManifestName)
	fmt.Fprintf(stdout, "the master key is NOT in the backup: it is %s. Keep a copy of it apart from the backup: "+
		"without it the backup's secrets cannot be decrypted, and with it anyone holding the backup can.\n", m.MasterKey)
	return nil
}

// masterKeyLocation says where the master key of sf is, without its value
// (a base64key:// URL holds the key itself).
func masterKeyLocation(sf storeFlags) string {
	if sf.masterKey != "" {
		scheme, _, _ := strings.Cut(sf.masterKey, "://")
		return "the key named by --master-key / ISWIGO_MASTER_KEY (a " + scheme + ":// URL, not printed)"
	}
	p, err := filepath.Abs(filepath.Join(sf.data, "master.key"))
	if err != nil {
		p = filepath.Join(sf.data, "master.key")
	}
	return p
}

// openFiles opens the document file store: url, or file://<data>/blobs.
func openFiles(ctx context.Context, url, data string) (*blobstore.Store, error) {
	if url == "" {
		dir, err := filepath.Abs(filepath.Join(data, "blobs"))
		if err != nil {
			return nil, err
		}
		url = "file://" + dir
	}
	return blobstore.Open(ctx, url)
}

// createEmptyDir creates dir (mode 0700), or accepts an existing empty one.
func createEmptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return os.MkdirAll(dir, 0o700)
	} else if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty", dir)
	}
	return nil
}

// backupFile copies the document file d into the backup directory and
// returns its entry. The copy must have the size and SHA-1 its row says:
// a file store that lost or damaged it fails the backup.
func backupFile(ctx context.Context, files *blobstore.Store, dir string, d sqldb.SnapshotFile) (backupEntry, error) {
	rel, err := blobPath(d.Key)
	if err != nil {
		return backupEntry{}, err
	}
	r, err := files.Open(ctx, d.Key)
	if err != nil {
		return backupEntry{}, fmt.Errorf("document file %s: %w (deleted since the snapshot? run the backup again)", d.Key, err)
	}
	defer r.Close()
	path := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return backupEntry{}, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return backupEntry{}, err
	}
	s256, s1 := sha256.New(), sha1.New()
	n, err := io.Copy(io.MultiWriter(f, s256, s1), r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return backupEntry{}, fmt.Errorf("document file %s: %w", d.Key, err)
	}
	if n != d.Size || hex.EncodeToString(s1.Sum(nil)) != d.SHA1 {
		return backupEntry{}, fmt.Errorf("document file %s: %d bytes with SHA-1 %x, its document says %d bytes with %s: the file store is damaged",
			d.Key, n, s1.Sum(nil), d.Size, d.SHA1)
	}
	return backupEntry{Path: rel, Key: d.Key, Mime: d.Mime, Size: n, SHA256: hex.EncodeToString(s256.Sum(nil))}, nil
}
