// SPDX-License-Identifier: Apache-2.0

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// A backup directory holds manifest.json, the database snapshot
// (iswigo.db) and the document files it references under blobs/, each
// named by its file-store key. The manifest is written last: a directory
// without one is an unfinished backup.
const (
	backupManifestName = "manifest.json"
	backupFormat       = "iswigo-backup"
	backupVersion      = 1
	backupDBName       = "iswigo.db"
	backupBlobDir      = "blobs"
	// maxManifestSize bounds what restore reads of a manifest.
	maxManifestSize = 256 << 20
)

// backupManifest describes a backup. It never holds the master key: only
// where it was.
type backupManifest struct {
	Format    string    `json:"format"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	Iswigo    string    `json:"iswigo_version"`
	// MasterKey says where the key that wraps the backup's data keys is
	// (a path, or that it is the --master-key URL): not the key.
	MasterKey string        `json:"master_key"`
	Database  backupEntry   `json:"database"`
	Files     []backupEntry `json:"files"`
}

// backupEntry is one file of the backup.
type backupEntry struct {
	Path   string `json:"path"`          // relative to the backup directory, with "/"
	Key    string `json:"key,omitempty"` // the file store's key (document files)
	Mime   string `json:"mime,omitempty"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"` // lower-case hex
}

// fileKeyPattern is what a file-store key in a backup may look like: no
// "..", no absolute path, nothing that could leave the backup directory.
var fileKeyPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+(/[A-Za-z0-9_.-]+)*$`)

// blobPath is where a document file of key goes in the backup.
func blobPath(key string) (string, error) {
	if !fileKeyPattern.MatchString(key) || strings.Contains(key, "..") {
		return "", fmt.Errorf("file key %q cannot be a path in a backup", key)
	}
	return backupBlobDir + "/" + key, nil
}

// sha256File returns the size and SHA-256 of the file at path.
func sha256File(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// writeManifest writes m into dir atomically (a temporary file renamed).
func writeManifest(dir string, m *backupManifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, backupManifestName+".tmp")
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, backupManifestName))
}

// readManifest reads and checks the manifest of the backup in dir.
func readManifest(dir string) (*backupManifest, error) {
	f, err := os.Open(filepath.Join(dir, backupManifestName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s has no %s: not a backup, or one that did not finish", dir, backupManifestName)
	} else if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxManifestSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxManifestSize {
		return nil, fmt.Errorf("%s is larger than %d bytes", backupManifestName, maxManifestSize)
	}
	var m backupManifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s is damaged: %v", backupManifestName, err)
	}
	if m.Format != backupFormat || m.Version != backupVersion {
		return nil, fmt.Errorf("%s: format %q version %d, want %q version %d", backupManifestName, m.Format, m.Version, backupFormat, backupVersion)
	}
	if m.Database.Path != backupDBName {
		return nil, fmt.Errorf("%s: database %q, want %q", backupManifestName, m.Database.Path, backupDBName)
	}
	for _, e := range m.Files {
		p, err := blobPath(e.Key)
		if err != nil || p != e.Path {
			return nil, fmt.Errorf("%s: file %q (key %q) is not a document file of the backup", backupManifestName, e.Path, e.Key)
		}
	}
	return &m, nil
}

// verifyEntry checks that the backup file of e has its size and SHA-256.
func verifyEntry(dir string, e backupEntry) error {
	n, sum, err := sha256File(filepath.Join(dir, filepath.FromSlash(e.Path)))
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s is missing", e.Path)
	} else if err != nil {
		return err
	}
	if n != e.Size || sum != e.SHA256 {
		return fmt.Errorf("%s is damaged: %d bytes with SHA-256 %s, the manifest says %d bytes with %s", e.Path, n, sum, e.Size, e.SHA256)
	}
	return nil
}
