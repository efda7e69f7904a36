package iswigo

import "time"

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
