// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"
)

// EventSimpleFINAccessed is the event of one read of the Account Set by a
// SimpleFIN application (docs/events.md).
const EventSimpleFINAccessed = "simplefin.accessed"

// FunnelSimpleFIN is the funnel action that gives the user a SimpleFIN
// setup token to paste into a SimpleFIN application.
const FunnelSimpleFIN = "simplefin"

// SimpleFINTokenLifetime is how long a setup token may be claimed by default.
const SimpleFINTokenLifetime = 24 * time.Hour

// SimpleFINToken is a user's grant of read-only SimpleFIN access: a setup
// token that an application claims once for an access URL, whose
// credentials then read the Account Set until the token is deleted.
//
// The setup token's secret and the access password are never stored: only
// their SHA-256 hashes. Both are 32 random bytes, so a fast hash is as
// strong as a slow one (nobody can search 2^256 candidates) and costs the
// server nothing per request.
type SimpleFINToken struct {
	ID     string
	AppID  string
	UserID string
	// AccountIDs are the accounts shared; nil = all of the user's accounts,
	// present and future.
	AccountIDs []string
	// ClaimHash is SHA-256 of the setup token's secret (the last path
	// segment of the claim URL).
	ClaimHash []byte
	// Username is the access URL's user name, set by the claim: random,
	// public within the access URL, unique. "" until claimed.
	Username string
	// PasswordHash is SHA-256 of the access URL's password, set by the claim.
	PasswordHash []byte
	CreatedAt    time.Time
	ExpiresAt    time.Time // after it an unclaimed token cannot be claimed
	ClaimedAt    time.Time // zero = not claimed
	LastAccessAt time.Time // zero = never read
}

// AllAccounts reports whether the token shares all of the user's accounts.
func (t *SimpleFINToken) AllAccounts() bool { return t.AccountIDs == nil }

// Shares reports whether the token gives access to the account with id.
func (t *SimpleFINToken) Shares(accountID string) bool {
	if t.AccountIDs == nil {
		return true
	}
	for _, id := range t.AccountIDs {
		if id == accountID {
			return true
		}
	}
	return false
}

// SimpleFINAccess is one read of the Account Set, recorded with an event.
type SimpleFINAccess struct {
	TokenID  string `json:"token_id"`
	UserID   string `json:"user_id"`
	Accounts int    `json:"accounts"` // accounts returned
	// BalancesOnly is true for a read without transactions.
	BalancesOnly bool `json:"balances_only"`
}

// SimpleFINService stores SimpleFIN tokens. Lookups by owner are scoped to
// one app and user: another user's token does not exist (ENOTFOUND).
type SimpleFINService interface {
	// CreateSimpleFINToken stores t (ClaimHash and ExpiresAt set), assigning
	// ID and CreatedAt. It first forgets the user's expired unclaimed
	// tokens, and returns ECONFLICT when the user has MaxSimpleFINTokens.
	CreateSimpleFINToken(ctx context.Context, t *SimpleFINToken) error
	// FindSimpleFINTokens lists the user's tokens, oldest first.
	FindSimpleFINTokens(ctx context.Context, appID, userID string) ([]*SimpleFINToken, error)
	// DeleteSimpleFINToken revokes the user's token: its access URL stops
	// working at once. ENOTFOUND if it is not the user's.
	DeleteSimpleFINToken(ctx context.Context, appID, userID, id string) error
	// ClaimSimpleFINToken sets the access credentials of the unclaimed,
	// unexpired token whose ClaimHash is claimHash, at now, in one
	// statement (two claims cannot both win). EFORBIDDEN otherwise.
	ClaimSimpleFINToken(ctx context.Context, claimHash []byte, username string, passwordHash []byte, now time.Time) (*SimpleFINToken, error)
	// FindSimpleFINAccess returns the claimed token with that username
	// (PasswordHash set, for the caller to compare); ENOTFOUND otherwise.
	FindSimpleFINAccess(ctx context.Context, username string) (*SimpleFINToken, error)
	// RecordSimpleFINAccess sets the token's LastAccessAt and stores a
	// simplefin.accessed event, in one transaction.
	RecordSimpleFINAccess(ctx context.Context, t *SimpleFINToken, a SimpleFINAccess, at time.Time) error
}

// MaxSimpleFINTokens is how many SimpleFIN tokens one user may hold.
const MaxSimpleFINTokens = 20

// MaxSimpleFINAccounts is how many accounts one token may name.
const MaxSimpleFINAccounts = 200

// NewSimpleFINSecret returns a new random secret (32 bytes, base64url
// without padding, 43 characters) and its stored hash.
func NewSimpleFINSecret() (secret string, hash []byte) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	secret = base64.RawURLEncoding.EncodeToString(b[:])
	return secret, SimpleFINHash(secret)
}

// SimpleFINHash returns the stored form of a SimpleFIN secret (SHA-256).
func SimpleFINHash(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// SimpleFINClaimURL returns the claim URL of a setup token's secret on the
// server whose public URL is publicURL (no trailing slash).
func SimpleFINClaimURL(publicURL, secret string) string {
	return publicURL + "/simplefin/claim/" + secret
}

// SimpleFINSetupToken returns the setup token of a claim URL: its standard
// base64, as the protocol defines it.
func SimpleFINSetupToken(claimURL string) string {
	return base64.StdEncoding.EncodeToString([]byte(claimURL))
}

// IssueSimpleFINToken stores a new token of user sharing accountIDs (nil =
// all) and returns it with its claim URL (the setup token is its base64),
// for the API and the funnel. The secret exists only in that URL.
func IssueSimpleFINToken(ctx context.Context, store SimpleFINService, u *User, accountIDs []string,
	publicURL string, now time.Time, lifetime time.Duration) (*SimpleFINToken, string, error) {
	secret, hash := NewSimpleFINSecret()
	t := &SimpleFINToken{AppID: u.AppID, UserID: u.ID, AccountIDs: accountIDs, ClaimHash: hash,
		ExpiresAt: now.Add(lifetime)}
	if err := store.CreateSimpleFINToken(ctx, t); err != nil {
		return nil, "", err
	}
	return t, SimpleFINClaimURL(strings.TrimSuffix(publicURL, "/"), secret), nil
}
