// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"

	"github.com/iswigo/iswigo/connector"
	"github.com/iswigo/iswigo/connector/enablebanking"
	"github.com/iswigo/iswigo/crypt"
	"github.com/iswigo/iswigo/sqldb"
)

// enableBankingFlags configure the Enable Banking catalogue
// (docs/enablebanking.md). Without an application id there is none.
type enableBankingFlags struct {
	appID, key, url, countries string
}

func (f *enableBankingFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.appID, "enablebanking-app-id", "", "Enable Banking application id; empty = no Enable Banking banks")
	fs.StringVar(&f.key, "enablebanking-key", "", "the application's RSA private key: a PEM file, or a gocloud.dev/secrets keeper URL with ?ciphertext=<file of the PEM encrypted by that keeper>")
	fs.StringVar(&f.url, "enablebanking-url", enablebanking.DefaultURL, "Enable Banking API base URL")
	fs.StringVar(&f.countries, "enablebanking-countries", "", "countries whose banks are offered, ISO 3166 codes, e.g. FR,DE")
}

// addCatalogs adds the configured catalogues to registry, their ids and
// descriptions kept by db. A catalogue that cannot be listed at start is
// logged (its providers known from earlier runs stay, unavailable) and
// retried at its next refresh; a wrong configuration is an error.
func addCatalogs(ctx context.Context, registry *connector.Registry, db *sqldb.DB, cfg serveConfig, logger *slog.Logger) error {
	f := cfg.enableBanking
	if f.appID == "" {
		if f.key != "" || f.countries != "" {
			return fmt.Errorf("--enablebanking-key and --enablebanking-countries need --enablebanking-app-id")
		}
		return nil
	}
	if f.key == "" || f.countries == "" {
		return fmt.Errorf("--enablebanking-app-id needs --enablebanking-key and --enablebanking-countries")
	}
	key, err := loadRSAKey(ctx, f.key)
	if err != nil {
		return fmt.Errorf("--enablebanking-key: %w", err)
	}
	cat, err := enablebanking.New(enablebanking.Config{AppID: f.appID, Key: key, URL: f.url,
		Countries:   strings.FieldsFunc(f.countries, func(r rune) bool { return r == ',' || r == ' ' }),
		CallbackURL: db.CallbackURL})
	if err != nil {
		return err
	}
	if err := registry.AddCatalog(ctx, cat, db); err != nil {
		logger.Warn("catalog not listed at start: retried at its next refresh", "family", cat.Family(), "error", err)
	}
	return nil
}

// loadRSAKey reads a PEM RSA private key (PKCS#1 or PKCS#8) from a file,
// or, for a keeper URL, decrypts the file named by its ciphertext
// parameter with that keeper.
func loadRSAKey(ctx context.Context, ref string) (*rsa.PrivateKey, error) {
	var data []byte
	if scheme, _, ok := strings.Cut(ref, "://"); ok && scheme != "file" {
		u, err := url.Parse(ref)
		if err != nil {
			return nil, fmt.Errorf("malformed %s URL", scheme)
		}
		q := u.Query()
		file := q.Get("ciphertext")
		if file == "" {
			return nil, fmt.Errorf("%s URL: add ?ciphertext=<file of the encrypted PEM>", scheme)
		}
		q.Del("ciphertext")
		u.RawQuery = q.Encode()
		keeper, err := crypt.OpenKEK(ctx, u.String(), "")
		if err != nil {
			return nil, err
		}
		defer keeper.Close()
		sealed, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		if data, err = keeper.Decrypt(ctx, sealed); err != nil {
			return nil, fmt.Errorf("decrypt %s: %w", file, err)
		}
	} else {
		var err error
		if data, err = os.ReadFile(strings.TrimPrefix(ref, "file://")); err != nil {
			return nil, err
		}
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("no PEM block")
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("not an RSA private key")
	}
	rsaKey, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("not an RSA private key")
	}
	return rsaKey, nil
}
