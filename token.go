// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"context"
	"time"
)

// TokenLifetime is the lifetime of an access token; tokens are not refreshable.
const TokenLifetime = time.Hour

// TokenClaims are the verified claims of an access token.
type TokenClaims struct {
	UserID       string    // "sub"
	App          string    // "app": the application's name
	IssuedAt     time.Time // "iat"
	ExpiresAt    time.Time // "exp"
	ID           string    // "jti"
	TokenVersion int64     // "ver": the user's TokenVersion when issued
}

// TokenService issues and verifies access tokens.
type TokenService interface {
	// Issue signs a token for the user of the named app, carrying the
	// user's current token version.
	Issue(ctx context.Context, appName, userID string, tokenVersion int64) (token string, expiresAt time.Time, err error)
	// Verify checks the signature and expiry of token and returns its
	// claims, or EUNAUTHORIZED. Revocation (token version, deleted user) is
	// the caller's to check against the user row.
	Verify(ctx context.Context, token string) (*TokenClaims, error)
	// JWKS returns the JSON Web Key Set of the keys that verify live tokens.
	JWKS(ctx context.Context) ([]byte, error)
}
