// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gocloud.dev/secrets/localsecrets"
)

// TestLoadRSAKey: a PEM file (PKCS#1 or PKCS#8), or a keeper URL whose
// ciphertext parameter names the PEM it encrypted; anything else fails
// with a message that does not repeat the key.
func TestLoadRSAKey(t *testing.T) {
	ctx := context.Background()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	pkcs8 := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var secret [32]byte
	rand.Read(secret[:])
	keeper := localsecrets.NewKeeper(secret)
	sealed, err := keeper.Encrypt(ctx, pkcs8)
	if err != nil {
		t.Fatal(err)
	}
	keeperURL := "base64key://" + base64.URLEncoding.EncodeToString(secret[:])
	for _, ref := range []string{write("a.pem", pkcs1), "file://" + write("b.pem", pkcs8),
		keeperURL + "?ciphertext=" + write("c.enc", sealed)} {
		got, err := loadRSAKey(ctx, ref)
		if err != nil || !got.Equal(key) {
			t.Fatalf("%.40s: %v", ref, err)
		}
	}
	for _, ref := range []string{write("d.pem", []byte("not a key")), filepath.Join(dir, "absent.pem"), keeperURL,
		keeperURL + "?ciphertext=" + write("e.enc", []byte("garbage"))} {
		if _, err := loadRSAKey(ctx, ref); err == nil {
			t.Fatalf("%.40s: no error", ref)
		} else if strings.Contains(err.Error(), base64.URLEncoding.EncodeToString(secret[:])) {
			t.Fatalf("the error repeats the keeper's key: %v", err)
		}
	}
}

// TestEnableBankingFlags: not configured is no catalogue and no error; a
// partial configuration is an error.
func TestEnableBankingFlags(t *testing.T) {
	for _, f := range []enableBankingFlags{{appID: "x"}, {key: "k.pem"}, {countries: "FR"}, {appID: "x", key: "k.pem"}} {
		if err := addCatalogs(context.Background(), nil, nil, serveConfig{enableBanking: f}, nil); err == nil {
			t.Errorf("%+v: no error", f)
		}
	}
	if err := addCatalogs(context.Background(), nil, nil, serveConfig{}, nil); err != nil {
		t.Errorf("not configured: %v", err)
	}
}
