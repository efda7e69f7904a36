// SPDX-License-Identifier: Apache-2.0

package auth

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

type jwkSet struct {
	Keys []map[string]string `json:"keys"`
}

func getJWKS(t *testing.T, s *TokenService) jwkSet {
	t.Helper()
	raw, err := s.JWKS(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var set jwkSet
	if err := json.Unmarshal(raw, &set); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	return set
}

func jwksKids(t *testing.T, s *TokenService) []string {
	t.Helper()
	var kids []string
	for _, k := range getJWKS(t, s).Keys {
		kids = append(kids, k["kid"])
	}
	return kids
}

// publicKeys rebuilds the RSA public keys of a JWKS from n and e, as a
// third party would.
func publicKeys(t *testing.T, set jwkSet) map[string]*rsa.PublicKey {
	t.Helper()
	out := map[string]*rsa.PublicKey{}
	for _, k := range set.Keys {
		n, err1 := base64.RawURLEncoding.DecodeString(k["n"])
		e, err2 := base64.RawURLEncoding.DecodeString(k["e"])
		if err1 != nil || err2 != nil {
			t.Fatalf("n or e not base64url without padding: %v", k)
		}
		out[k["kid"]] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	return out
}

func TestJWKS(t *testing.T) {
	ctx := context.Background()
	s, store, clock := newTestService(t)
	tok, _, _ := s.Issue(ctx, "my-app", "user-1", 5)

	set := getJWKS(t, s)
	if len(set.Keys) != 1 {
		t.Fatalf("%d keys, want 1", len(set.Keys))
	}
	k := set.Keys[0]
	if len(k) != 6 || k["kty"] != "RSA" || k["use"] != "sig" || k["alg"] != "RS256" || k["kid"] != kidOf(t, tok) || k["e"] != "AQAB" {
		t.Fatalf("key %v: want exactly kty use alg kid n e, public parts only", k)
	}
	priv := privateKey(t, store, k["kid"])
	pubs := publicKeys(t, set)
	if !pubs[k["kid"]].Equal(&priv.PublicKey) {
		t.Fatal("n, e do not rebuild the key's public part")
	}

	// A third party verifies our token from the JWKS alone.
	parsed, err := jwt.Parse(tok, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if pub := pubs[kid]; pub != nil {
			return pub, nil
		}
		return nil, errors.New("unknown kid")
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithExpirationRequired(), jwt.WithTimeFunc(clock.Now))
	if err != nil || !parsed.Valid {
		t.Fatalf("token does not verify against the JWKS: %v", err)
	}
	if sub, _ := parsed.Claims.GetSubject(); sub != "user-1" {
		t.Fatalf("sub %q", sub)
	}
}

func TestJWKSEmpty(t *testing.T) {
	s := NewTokenService(&memKeyStore{}, TokenOptions{Logger: quietLogger})
	raw, err := s.JWKS(context.Background())
	if err != nil || string(raw) != `{"keys":[]}` {
		t.Fatalf("JWKS with no key = %s, %v", raw, err)
	}
}
