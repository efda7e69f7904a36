// SPDX-License-Identifier: Apache-2.0

package crypt

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"gocloud.dev/secrets"
	"gocloud.dev/secrets/localsecrets"
)

// KeyFile is the name of the file, inside the data directory, that holds the
// key-encryption key when no keeper URL is configured.
const KeyFile = "master.key"

const keyURLPrefix = localsecrets.Scheme + "://"

// OpenKEK opens the key-encryption key that wraps the data keys.
//
// When keeperURL is not empty, OpenKEK opens it with secrets.OpenKeeper; the
// caller imports the drivers it needs (awskms, gcpkms, ...), except
// localsecrets, which this package imports so that "base64key://..." URLs
// always work.
//
// When keeperURL is empty, OpenKEK uses the file KeyFile in dataDir. If the
// file does not exist, OpenKEK creates dataDir (mode 0700) when needed,
// generates a random 32-byte key and writes it to the file, with mode 0600,
// as a base64key:// URL (base64 URL encoding with padding, as localsecrets
// expects). The file appears atomically and is never replaced: when several
// processes start together on an empty directory, exactly one key is kept
// and every process uses it. If the file exists, OpenKEK reads it and
// returns an error when its permission bits grant any access to group or
// others (the check is skipped on Windows).
//
// The errors of OpenKEK never contain key material. The caller owns the
// returned keeper and should Close it when done.
func OpenKEK(ctx context.Context, keeperURL, dataDir string) (*secrets.Keeper, error) {
	if keeperURL != "" {
		return openKeeperURL(ctx, keeperURL)
	}
	if dataDir == "" {
		return nil, errors.New("crypt: no key-encryption key: neither a keeper URL nor a data directory is set")
	}
	path := filepath.Join(dataDir, KeyFile)
	k, err := readKeyFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := createKeyFile(dataDir, path); err != nil {
			return nil, err
		}
		k, err = readKeyFile(path)
	}
	return k, err
}

// openKeeperURL opens keeperURL with the default URL mux, scrubbing the
// URL (which, for base64key://, is the key itself) from any error.
func openKeeperURL(ctx context.Context, keeperURL string) (*secrets.Keeper, error) {
	scheme, rest, _ := strings.Cut(keeperURL, ":")
	u, err := url.Parse(keeperURL)
	if err != nil {
		// *url.Error quotes the URL and some of its causes quote a part
		// of it: report nothing but the scheme.
		return nil, fmt.Errorf("crypt: %s keeper URL is malformed", redactScheme(scheme))
	}
	k, err := secrets.DefaultURLMux().OpenKeeperURL(ctx, u)
	if err != nil {
		msg := err.Error()
		for _, s := range []string{keeperURL, u.String(), strings.TrimPrefix(rest, "//"), u.Host, u.Opaque} {
			if len(s) >= 4 {
				msg = strings.ReplaceAll(msg, s, "REDACTED")
			}
		}
		return nil, fmt.Errorf("crypt: open %s keeper: %s", redactScheme(scheme), msg)
	}
	return k, nil
}

// redactScheme returns scheme if it looks like a URL scheme, and a
// placeholder otherwise (the "scheme" of a mistyped URL may be anything).
func redactScheme(scheme string) string {
	if scheme == "" || len(scheme) > 32 || strings.TrimLeft(strings.ToLower(scheme), "abcdefghijklmnopqrstuvwxyz0123456789+-.") != "" {
		return "(invalid scheme)"
	}
	return scheme
}

// readKeyFile opens the keeper stored in the key file at path. Its error
// wraps fs.ErrNotExist when the file does not exist.
func readKeyFile(path string) (*secrets.Keeper, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("crypt: key-encryption key: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("crypt: key-encryption key: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("crypt: key-encryption key %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("crypt: key-encryption key %s is accessible by group or others (mode %04o): run chmod 600 %s", path, perm, path)
	}
	b, err := io.ReadAll(io.LimitReader(f, 4096))
	if err != nil {
		return nil, fmt.Errorf("crypt: key-encryption key: %w", err)
	}
	enc, ok := bytes.CutPrefix(bytes.TrimSpace(b), []byte(keyURLPrefix))
	if !ok {
		return nil, fmt.Errorf("crypt: key-encryption key %s is malformed (want %s followed by 32 bytes in base64 URL encoding)", path, keyURLPrefix)
	}
	key, err := localsecrets.Base64Key(string(enc))
	if err != nil {
		// Leave err out: the key file's content is no one's business.
		return nil, fmt.Errorf("crypt: key-encryption key %s is malformed (want %s followed by 32 bytes in base64 URL encoding)", path, keyURLPrefix)
	}
	return localsecrets.NewKeeper(key), nil
}

// createKeyFile writes a new random key to path unless a file is already
// there. It writes a temporary file first and links it to path, which fails
// if path exists: the key file is never seen partly written and never
// replaced.
func createKeyFile(dataDir, path string) error {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return fmt.Errorf("crypt: create data directory: %w", err)
	}
	key, err := localsecrets.NewRandomKey()
	if err != nil {
		return fmt.Errorf("crypt: generate key-encryption key: %w", err)
	}
	content := []byte(keyURLPrefix + base64.URLEncoding.EncodeToString(key[:]) + "\n")

	tmp, err := os.CreateTemp(dataDir, "."+KeyFile+".tmp-*") // mode 0600
	if err != nil {
		return fmt.Errorf("crypt: create key-encryption key: %w", err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName)
	_, err = tmp.Write(content)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("crypt: write key-encryption key: %w", err)
	}

	err = os.Link(tmpName, path)
	switch {
	case err == nil:
	case errors.Is(err, fs.ErrExist):
		return nil // another process won: use its key
	default:
		// No hard links on this file system: fall back to an exclusive
		// create, which other processes may see empty for an instant.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return nil
		} else if err != nil {
			return fmt.Errorf("crypt: create key-encryption key: %w", err)
		}
		_, err = f.Write(content)
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
			return fmt.Errorf("crypt: write key-encryption key: %w", err)
		}
	}
	// Make the new directory entry durable; not all systems can sync a directory.
	if d, err := os.Open(dataDir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
