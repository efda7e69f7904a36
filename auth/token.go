// SPDX-License-Identifier: Apache-2.0

package auth

import (
	"context"
	"crypto/sha256"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/golang-jwt/jwt/v5"
	"github.com/iswigo/iswigo"
)

const (
	// maxTokenLen bounds the tokens Verify looks at. Ours are about 600 bytes.
	maxTokenLen = 4096
	// maxClockSkew is how far ahead of ours the clock of the process that
	// issued a token may be.
	maxClockSkew = time.Minute
)

// TokenOptions configure a TokenService. The zero value is usable.
type TokenOptions struct {
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// KeyBits is the size of generated RSA keys; 0 means 2048. Smaller
	// values are raised to 2048.
	KeyBits int
	// Logger receives key rotations and store failures; nil means slog.Default().
	Logger *slog.Logger
}

// TokenService issues and verifies access tokens: RS256 JWTs that live
// iswigo.TokenLifetime and are signed by keys kept in an
// iswigo.SigningKeyStore shared by every process of a deployment. It is
// safe for concurrent use.
type TokenService struct {
	store   iswigo.SigningKeyStore
	now     func() time.Time
	keyBits int
	logger  *slog.Logger
	parser  *jwt.Parser

	ring         atomic.Pointer[keyring]
	loadMu       sync.Mutex // serializes loads and key creation
	lastMissLoad time.Time  // guarded by loadMu

	cache *claimsCache // nil disables caching (benchmarks)
	// onSignatureCheck, when set (by tests), is called right before each
	// RSA signature verification.
	onSignatureCheck func()
}

// NewTokenService returns a TokenService over store. Call EnsureKey before
// issuing tokens.
func NewTokenService(store iswigo.SigningKeyStore, opts TokenOptions) *TokenService {
	s := &TokenService{
		store:   store,
		now:     opts.Now,
		keyBits: opts.KeyBits,
		logger:  opts.Logger,
		cache:   newClaimsCache(maxCachedTokens),
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.keyBits < minKeyBits {
		s.keyBits = minKeyBits
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	s.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(s.now),
		jwt.WithStrictDecoding(),
	)
	return s
}

// tokenClaims is the payload of an access token.
type tokenClaims struct {
	jwt.RegisteredClaims        // sub, iat, exp, jti
	App                  string `json:"app"`
	Ver                  *int64 `json:"ver"`
}

// Issue returns a new access token for user userID of application appName,
// and its expiry, iswigo.TokenLifetime after now (to the second). The token
// is an RS256 JWT whose header carries the "kid" of the newest active key
// and whose claims are sub (userID), app (appName), iat, exp, jti (128
// random bits in hex) and ver (tokenVersion, the user's TokenVersion).
//
// The keys are reloaded from the store at most once a minute, so a key
// rotated by another process signs here within a minute. Issue fails if
// there is no active key (EnsureKey was not called).
func (s *TokenService) Issue(ctx context.Context, appName, userID string, tokenVersion int64) (token string, expiresAt time.Time, err error) {
	if appName == "" || userID == "" {
		return "", time.Time{}, errors.New("auth: Issue needs an app name and a user ID")
	}
	r, err := s.keys(ctx)
	if err != nil {
		return "", time.Time{}, err
	}
	k := r.current
	if k == nil {
		return "", time.Time{}, errors.New("auth: no active signing key")
	}
	iat := time.Unix(s.now().Unix(), 0).UTC()
	exp := iat.Add(iswigo.TokenLifetime)
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, tokenClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   userID,
			IssuedAt:  jwt.NewNumericDate(iat),
			ExpiresAt: jwt.NewNumericDate(exp),
			ID:        randomHex(16),
		},
		App: appName,
		Ver: &tokenVersion,
	})
	t.Header["kid"] = k.id // "typ": "JWT" is set by NewWithClaims
	signed, err := t.SignedString(k.priv)
	if err != nil {
		return "", time.Time{}, err
	}
	return signed, exp, nil
}

// Verify returns the claims of token if it is an access token issued by a
// TokenService over the same store and not expired. Its algorithm must be
// RS256; it must carry every claim Issue sets and live no longer than
// iswigo.TokenLifetime; and its "kid" must name a key that is active or
// was retired less than iswigo.TokenLifetime (plus one minute) ago. An
// unknown kid makes Verify reload the keys, at most once every 10 seconds,
// in case another process rotated them. Every failure, whatever its cause,
// is iswigo.Errorf(iswigo.EUNAUTHORIZED, iswigo.MsgInvalidToken).
//
// The claims of a verified token are cached until it expires, so verifying
// it again costs no RSA work.
//
// Verify does not check revocation: the caller must load the user named by
// the claims, within the app they name, and refuse the token if the user no
// longer exists or if claims.TokenVersion differs from the user's
// TokenVersion (the password changed since the token was issued).
func (s *TokenService) Verify(ctx context.Context, token string) (*iswigo.TokenClaims, error) {
	if token == "" || len(token) > maxTokenLen {
		return nil, errInvalidToken()
	}
	var key [sha256.Size]byte
	if s.cache != nil {
		// Hash the string's bytes in place: []byte(token) would copy the
		// ~600 bytes to the heap on every request. Sum256 only reads them.
		key = sha256.Sum256(unsafe.Slice(unsafe.StringData(token), len(token)))
		if tc, ok := s.cache.get(key); ok {
			if !s.now().Before(tc.ExpiresAt) {
				s.cache.remove(key)
				return nil, errInvalidToken()
			}
			return &tc, nil
		}
	}
	tc, err := s.verify(ctx, token)
	if err != nil {
		s.logger.Debug("auth: access token refused", "err", err)
		return nil, errInvalidToken()
	}
	if s.cache != nil {
		s.cache.put(key, *tc, s.now())
	}
	return tc, nil
}

var (
	errNoKid      = errors.New("no kid")
	errUnknownKid = errors.New("unknown or expired kid")
	errClaims     = errors.New("missing claims")
	errLifetime   = errors.New("lifetime longer than TokenLifetime")
)

// verify checks token's signature and claims, with no cache.
func (s *TokenService) verify(ctx context.Context, token string) (*iswigo.TokenClaims, error) {
	var c tokenClaims
	_, err := s.parser.ParseWithClaims(token, &c, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, errNoKid
		}
		k, err := s.verificationKey(ctx, kid)
		if err != nil {
			return nil, err
		}
		if s.onSignatureCheck != nil {
			s.onSignatureCheck()
		}
		return &k.priv.PublicKey, nil
	})
	if err != nil {
		return nil, err
	}
	if c.Subject == "" || c.App == "" || c.ID == "" || c.IssuedAt == nil || c.ExpiresAt == nil || c.Ver == nil {
		return nil, errClaims
	}
	// No token of ours lives longer than TokenLifetime. Refusing longer
	// ones bounds the life of a token forged with a leaked key, and of its
	// cache entry, to that of a real one.
	if c.ExpiresAt.Sub(c.IssuedAt.Time) > iswigo.TokenLifetime || c.ExpiresAt.Sub(s.now()) > iswigo.TokenLifetime+maxClockSkew {
		return nil, errLifetime
	}
	return &iswigo.TokenClaims{
		UserID:       c.Subject,
		App:          c.App,
		IssuedAt:     c.IssuedAt.UTC(),
		ExpiresAt:    c.ExpiresAt.UTC(),
		ID:           c.ID,
		TokenVersion: *c.Ver,
	}, nil
}

// verificationKey returns the key named kid if it may verify a token now.
func (s *TokenService) verificationKey(ctx context.Context, kid string) (*signingKey, error) {
	r, err := s.keys(ctx)
	if err != nil {
		return nil, err
	}
	k := r.lookup(kid)
	if k == nil {
		k = s.reloadForKid(ctx, kid)
	}
	if k == nil || !k.usable(s.now()) {
		return nil, errUnknownKid
	}
	return k, nil
}

func errInvalidToken() error {
	return iswigo.Errorf(iswigo.EUNAUTHORIZED, iswigo.MsgInvalidToken)
}
