// SPDX-License-Identifier: Apache-2.0

package crypt_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/iswigo/iswigo/crypt"
	"gocloud.dev/secrets"
)

func skipOnWindows(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permission bits on Windows")
	}
}

// roundTrip fails t unless what a seals, b opens.
func roundTrip(t *testing.T, a, b *secrets.Keeper) {
	t.Helper()
	ct, err := a.Encrypt(ctx, []byte("data key"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.Decrypt(ctx, ct)
	if err != nil || string(got) != "data key" {
		t.Fatalf("keepers do not share a key: Decrypt = %q, %v", got, err)
	}
}

func TestOpenKEKFile(t *testing.T) {
	skipOnWindows(t)
	dir := filepath.Join(t.TempDir(), "data", "iswigo") // does not exist yet
	k1, err := crypt.OpenKEK(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer k1.Close()

	path := filepath.Join(dir, "master.key")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("master.key mode = %04o, want 0600", perm)
	}
	if di, err := os.Stat(dir); err != nil {
		t.Fatal(err)
	} else if perm := di.Mode().Perm(); perm != 0o700 {
		t.Errorf("data directory mode = %04o, want 0700", perm)
	}
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The file is a URL that secrets.OpenKeeper accepts, for the same key.
	k0, err := secrets.OpenKeeper(ctx, strings.TrimSpace(string(content)))
	if err != nil {
		t.Fatalf("master.key is not a base64key URL: %v", err)
	}
	defer k0.Close()
	roundTrip(t, k1, k0)
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("data directory holds %d files, want master.key only", len(entries))
	}

	k2, err := crypt.OpenKEK(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer k2.Close()
	roundTrip(t, k1, k2)
	if again, _ := os.ReadFile(path); !bytes.Equal(again, content) {
		t.Error("second OpenKEK rewrote master.key")
	}
}

func TestOpenKEKRefusesLoosePermissions(t *testing.T) {
	skipOnWindows(t)
	dir := t.TempDir()
	k, err := crypt.OpenKEK(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	k.Close()
	path := filepath.Join(dir, "master.key")
	content, _ := os.ReadFile(path)
	key := strings.TrimPrefix(strings.TrimSpace(string(content)), "base64key://")

	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		k, err := crypt.OpenKEK(ctx, "", dir)
		if err == nil {
			k.Close()
			t.Fatalf("OpenKEK accepted a master.key of mode %04o", mode)
		}
		if !strings.Contains(err.Error(), "chmod 600") {
			t.Errorf("mode %04o: error %q does not tell to chmod 600", mode, err)
		}
		if strings.Contains(err.Error(), key) {
			t.Errorf("error contains the key: %v", err)
		}
	}
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	if k, err := crypt.OpenKEK(ctx, "", dir); err != nil {
		t.Errorf("OpenKEK refused a master.key of mode 0400: %v", err)
	} else {
		k.Close()
	}
}

func TestOpenKEKMalformedFile(t *testing.T) {
	skipOnWindows(t)
	var b [32]byte
	rand.Read(b[:])
	secret := base64.URLEncoding.EncodeToString(b[:])
	for _, content := range []string{
		"",
		secret,                           // no scheme
		"base64key://" + secret[:40],     // too short
		"base64key://" + secret + "AAAA", // too long
		"base64key://" + base64.StdEncoding.EncodeToString(b[:]) + "!", // invalid character
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "master.key"), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		k, err := crypt.OpenKEK(ctx, "", dir)
		if err == nil {
			k.Close()
			t.Errorf("OpenKEK accepted master.key %q", content)
			continue
		}
		if strings.Contains(err.Error(), secret[:12]) {
			t.Errorf("error contains the key: %v", err)
		}
	}
}

func TestOpenKEKConcurrent(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	const n = 8
	keepers := make([]*secrets.Keeper, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			keepers[i], errs[i] = crypt.OpenKEK(ctx, "", dir)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("OpenKEK %d: %v", i, err)
		}
		defer keepers[i].Close()
	}
	for i := 1; i < n; i++ {
		roundTrip(t, keepers[0], keepers[i])
		roundTrip(t, keepers[i], keepers[0])
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "master.key" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("data directory holds %q, want master.key only", names)
	}
}

func TestOpenKEKURL(t *testing.T) {
	var b [32]byte
	rand.Read(b[:])
	secret := base64.URLEncoding.EncodeToString(b[:])
	dir := t.TempDir()

	k, err := crypt.OpenKEK(ctx, "base64key://"+secret, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if _, err := os.Stat(filepath.Join(dir, "master.key")); !os.IsNotExist(err) {
		t.Errorf("OpenKEK with a URL touched master.key: %v", err)
	}
	ref, err := secrets.OpenKeeper(ctx, "base64key://"+secret)
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	roundTrip(t, k, ref)

	// Errors leave out the URL, which is the key.
	for _, u := range []string{
		"base64ky://" + secret,            // unknown scheme
		"base64key://" + secret + "?x=1",  // unknown parameter
		"base64key://" + secret[:40],      // short key
		"base64key://" + secret + ":99x9", // bad port
		"base64key://" + secret + "%zz",   // bad escape
		secret + "://",                    // no scheme
	} {
		k, err := crypt.OpenKEK(ctx, u, dir)
		if err == nil {
			k.Close()
			t.Errorf("OpenKEK(%q) succeeded", u)
			continue
		}
		if strings.Contains(err.Error(), secret[:12]) {
			t.Errorf("OpenKEK error contains the key: %v", err)
		}
	}
}
