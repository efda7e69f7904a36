// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/auth"
)

func TestAuthenticate(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		u, _ := e.user(t, e.psd2, "hector.berlioz@iswigo.com")
		tok, err := e.psd2.Authenticate(ctx, "Hector.Berlioz@iswigo.com", "Str0ng!Passw0rd")
		if err != nil {
			t.Fatal(err)
		}
		if tok.TokenType != "Bearer" || tok.ExpiresIn != 3599 {
			t.Fatalf("token %+v", tok)
		}
		// The token verifies with the published keys and carries the claims.
		_, _, jwksBody := e.raw(t, "GET", "/.well-known/jwks.json", nil, nil)
		var jwks struct {
			Keys []struct{ Kid, Kty, Alg, N, E string }
		}
		if err := json.Unmarshal(jwksBody, &jwks); err != nil || len(jwks.Keys) != 1 {
			t.Fatalf("jwks %s: %v", jwksBody, err)
		}
		parsed, err := jwt.Parse(tok.AccessToken, func(tk *jwt.Token) (any, error) {
			k := jwks.Keys[0]
			if tk.Header["kid"] != k.Kid {
				return nil, fmt.Errorf("kid %v", tk.Header["kid"])
			}
			n, _ := base64.RawURLEncoding.DecodeString(k.N)
			eb, _ := base64.RawURLEncoding.DecodeString(k.E)
			return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(eb).Int64())}, nil
		}, jwt.WithValidMethods([]string{"RS256"}))
		if err != nil {
			t.Fatalf("verify with JWKS: %v", err)
		}
		claims := parsed.Claims.(jwt.MapClaims)
		iat, exp := claims["iat"].(float64), claims["exp"].(float64)
		if claims["sub"] != u.UserID || claims["app"] != e.psd2App.Name || exp-iat != 3600 || claims["jti"] == "" {
			t.Fatalf("claims %v", claims)
		}

		// Wrong password and unknown email: the same 400.
		for _, creds := range [][2]string{{"hector.berlioz@iswigo.com", "Wrong!Passw0rd"}, {"nobody@iswigo.com", "Str0ng!Passw0rd"}, {"", ""}} {
			_, err := e.psd2.Authenticate(ctx, creds[0], creds[1])
			wantError(t, err, iswigo.EINVALID, iswigo.MsgInvalidGrant)
		}
		// A user of one application cannot log in to another.
		_, err = e.plain.Authenticate(ctx, "hector.berlioz@iswigo.com", "Str0ng!Passw0rd")
		wantError(t, err, iswigo.EINVALID, iswigo.MsgInvalidGrant)
	})
}

func TestInvalidTokens(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		u, c := e.user(t, e.psd2, "a@example.com")
		good := c.Token
		parts := strings.Split(good, ".")
		payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
		forged := strings.Replace(string(payload), u.UserID, iswigo.NewID(), 1)
		tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(forged)) + "." + parts[2]
		hs256, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": u.UserID, "app": e.psd2App.Name,
			"exp": time.Now().Add(time.Hour).Unix(), "iat": time.Now().Unix(), "ver": 0}).SignedString([]byte("key"))
		// A token signed by the server's own key but expired.
		past := auth.NewTokenService(e.db, auth.TokenOptions{Now: func() time.Time { return time.Now().Add(-2 * time.Hour) }})
		expired, _, err := past.Issue(ctx, e.psd2App.Name, u.UserID, 0)
		if err != nil {
			t.Fatal(err)
		}
		// A valid token of the same user id presented to another application.
		_, plainUser := e.user(t, e.plain, "b@example.com")

		for name, token := range map[string]string{
			"none": "", "garbage": "not.a.jwt", "tampered": tampered, "hs256": hs256, "expired": expired,
		} {
			_, err := c.WithToken(token).Profile(ctx)
			if token == "" {
				_, err = e.psd2.Profile(ctx)
			}
			if iswigo.ErrorCode(err) != iswigo.EUNAUTHORIZED || iswigo.ErrorMessage(err) != iswigo.MsgInvalidToken {
				t.Errorf("%s token: %v", name, err)
			}
		}
		_, err = e.psd2.WithToken(plainUser.Token).Profile(ctx)
		wantError(t, err, iswigo.EUNAUTHORIZED, iswigo.MsgInvalidToken)
		status, _, body := e.raw(t, "GET", "/v1/profile", map[string]string{
			"X-Iswigo-App": e.psd2App.Name, "X-Iswigo-Signature": auth.Signature(e.psd2App.Secret, "GET", "/v1/profile", nil),
			"Authorization": "Basic " + good}, nil)
		wantEnvelope(t, status, body, http.StatusUnauthorized, iswigo.MsgInvalidToken)
		// The good token still works.
		if _, err := c.Profile(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAuthenticateRateLimit(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		e.user(t, e.psd2, "victim@example.com")
		for i := 0; i < 10; i++ {
			_, err := e.psd2.Authenticate(ctx, "victim@example.com", fmt.Sprintf("Guess!%d-passw0rd", i))
			wantError(t, err, iswigo.EINVALID, iswigo.MsgInvalidGrant)
		}
		body := []byte(`{"email":"victim@example.com","password":"Str0ng!Passw0rd"}`)
		status, h, resp := e.raw(t, "POST", "/v1/authenticate", signed(e.psd2App, "POST", "/v1/authenticate", body), body)
		wantEnvelope(t, status, resp, http.StatusTooManyRequests, "Too many attempts")
		if secs, err := strconv.Atoi(h.Get("Retry-After")); err != nil || secs < 1 || secs > 15*60 {
			t.Fatalf("Retry-After = %q", h.Get("Retry-After"))
		}
		// Per client address too: every test request comes from 127.0.0.1,
		// which has now failed 10 times as well, even for another email.
		_, err := e.psd2.Authenticate(ctx, "someone-else@example.com", "Str0ng!Passw0rd")
		wantError(t, err, iswigo.ETOOMANY, "")
		// Fifteen minutes later the window has passed.
		e.db.Now = func() time.Time { return time.Now().Add(16 * time.Minute) }
		if _, err := e.psd2.Authenticate(ctx, "victim@example.com", "Str0ng!Passw0rd"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

// TestTokenRotation: a rotated key keeps verifying old tokens and stays
// published; new tokens use the new key.
func TestTokenRotation(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		_, c := e.user(t, e.psd2, "a@example.com")
		// The server's own token service (another process's rotation is
		// picked up at its next key reload, within a minute).
		kid, err := e.tokens.Rotate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, _, jwks := e.raw(t, "GET", "/.well-known/jwks.json", nil, nil)
		if strings.Count(string(jwks), `"kid"`) != 2 || !strings.Contains(string(jwks), kid) {
			t.Fatalf("jwks after rotation: %s", jwks)
		}
		if _, err := c.Profile(ctx); err != nil {
			t.Fatalf("old token after rotation: %v", err)
		}
		tok, err := e.psd2.Authenticate(ctx, "a@example.com", "Str0ng!Passw0rd")
		if err != nil {
			t.Fatal(err)
		}
		header, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok.AccessToken, ".")[0])
		if !strings.Contains(string(header), kid) {
			t.Fatalf("new token header %s does not name the new key %s", header, kid)
		}
	})
}
