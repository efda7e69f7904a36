// SPDX-License-Identifier: Apache-2.0

package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"math/big"
)

// jwk is the public part of an RSA signing key (RFC 7517, RFC 7518 §6.3.1).
type jwk struct {
	Kty string `json:"kty"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	N   string `json:"n"`
	E   string `json:"e"`
}

// JWKS returns the JSON Web Key Set of the keys that verify tokens: every
// key that is active or was retired less than iswigo.TokenLifetime (plus
// one minute, the delay for other processes to notice a rotation) ago,
// newest first:
//
//	{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"…","n":"…","e":"AQAB"}]}
//
// n and e are the public modulus and exponent, big-endian, in base64url
// without padding. No private part is included.
func (s *TokenService) JWKS(ctx context.Context) ([]byte, error) {
	r, err := s.keys(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	set := struct {
		Keys []jwk `json:"keys"`
	}{Keys: []jwk{}}
	for i := len(r.keys) - 1; i >= 0; i-- {
		k := r.keys[i]
		if !k.usable(now) {
			continue
		}
		pub := k.priv.PublicKey
		set.Keys = append(set.Keys, jwk{
			Kty: "RSA",
			Use: "sig",
			Alg: "RS256",
			Kid: k.id,
			N:   base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
			E:   base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
		})
	}
	return json.Marshal(set)
}
