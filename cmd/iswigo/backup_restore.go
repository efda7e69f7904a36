// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
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

// runRestore implements "iswigo restore --from DIR": it checks every file
// of the backup against the manifest's SHA-256 before writing anything,
// then writes the database into an empty data directory (a master.key
// put there beforehand is allowed) and the document files into the file
// store, which must hold none.
func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("restore", stderr)
	data := fs.String("data", "./data", "the data directory to restore into (absent, empty, or holding only master.key)")
	databaseURL := fs.String("database-url", "", "must be empty: restore writes a SQLite database into --data")
	from := fs.String("from", "", "the backup directory (written by iswigo backup)")
	blobURL := fs.String("blob-url", "", "the document file store to restore into (default file://<data>/blobs)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" {
		return errors.New("restore: --from is required")
	}
	if *databaseURL != "" {
		return fmt.Errorf("restore: backups are of SQLite data directories; on PostgreSQL use pg_restore (see %s)", backupDocs)
	}
	m, err := readManifest(*from)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	for _, e := range append([]backupEntry{m.Database}, m.Files...) {
		if err := verifyEntry(*from, e); err != nil {
			return fmt.Errorf("restore: the backup is damaged, nothing was restored: %w", err)
		}
	}
	if err := checkRestoreTarget(*data); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := sqldb.CheckSQLiteFile(ctx, filepath.Join(*from, backupDBName)); err != nil {
		return fmt.Errorf("restore: the backup's database is damaged, nothing was restored: %w", err)
	}
	files, err := openFiles(ctx, *blobURL, *data)
	if err != nil {
		return err
	}
	defer files.Close()
	if err := files.List(ctx, "", func(key string, _ time.Time) error {
		return fmt.Errorf("the file store already holds %s: restore into an empty one", key)
	}); err != nil {
		return fmt.Errorf("restore: %w", err)
	}

	start := time.Now()
	for _, e := range m.Files {
		if err := restoreFile(ctx, files, *from, e); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
	}
	// The database last, through a temporary name: a data directory with
	// iswigo.db is a whole restore.
	if err := copyVerified(filepath.Join(*from, backupDBName), filepath.Join(*data, "iswigo.db"), m.Database); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintf(stdout, "restored %s (taken %s) into %s in %s: the database and %d document files, every SHA-256 checked\n",
		*from, m.CreatedAt.Format(time.RFC3339), *data, time.Since(start).Round(time.Millisecond), len(m.Files))
	fmt.Fprintf(stdout, "the backup has no master key: before iswigo serve, put the original one back (%s) as %s or pass it with --master-key\n",
		m.MasterKey, filepath.Join(*data, "master.key"))
	return nil
}

// checkRestoreTarget accepts an absent data directory (created, mode
// 0700), an empty one, or one holding only master.key.
func checkRestoreTarget(data string) error {
	entries, err := os.ReadDir(data)
	if errors.Is(err, os.ErrNotExist) {
		return os.MkdirAll(data, 0o700)
	} else if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if e.Name() != "master.key" {
			names = append(names, e.Name())
		}
	}
	if len(names) > 0 {
		return fmt.Errorf("the data directory %s is not empty (%s): restore only into an empty one", data, strings.Join(names, ", "))
	}
	return nil
}

// restoreFile writes the backup file of e into the file store, checking
// its SHA-256 again on the way (the backup may change after verifyEntry).
func restoreFile(ctx context.Context, files *blobstore.Store, dir string, e backupEntry) error {
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(e.Path)))
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	n, _, err := files.Write(ctx, e.Key, e.Mime, io.TeeReader(f, h))
	if err != nil {
		return err
	}
	if n != e.Size || hex.EncodeToString(h.Sum(nil)) != e.SHA256 {
		_ = files.Delete(ctx, e.Key)
		return fmt.Errorf("%s changed while it was restored", e.Path)
	}
	return nil
}

// copyVerified copies src to dst (mode 0600) through dst+".restore", and
// renames it only when it has e's size and SHA-256.
func copyVerified(src, dst string, e backupEntry) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := dst + ".restore"
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && (n != e.Size || hex.EncodeToString(h.Sum(nil)) != e.SHA256) {
		err = fmt.Errorf("%s changed while it was restored", e.Path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, dst)
}
