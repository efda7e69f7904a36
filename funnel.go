// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"context"
	"time"
)

// Funnel actions.
const (
	FunnelCreate = "create"
	FunnelEdit   = "edit"
	FunnelStatus = "status"
	FunnelSync   = "sync"
)

// FunnelSessionLifetime is how long a funnel session lives by default.
const FunnelSessionLifetime = time.Hour

// FunnelSession is a user's pass to the hosted funnel: whoever holds its
// id acts as that user in the funnel's pages, for its action only.
type FunnelSession struct {
	// ID is random (UUID v4): it reveals nothing and cannot be guessed.
	ID     string
	AppID  string
	UserID string
	// Action is one of the Funnel* constants.
	Action string
	// Type limits providers (and connections) to "bank" or "document"; "" = any.
	Type string
	// ConnectionIDs are the connections of edit (exactly one), sync and status.
	ConnectionIDs []string
	// Country limits providers to an ISO 3166 code; "" = any.
	Country string
	// Scope limits providers by access scope (0 = any).
	Scope int
	// ProviderID fixes the provider of a create (0 = the user chooses).
	ProviderID int
	CreatedAt  time.Time
	ExpiresAt  time.Time
	// DeletedAt is set when the application deleted the session.
	DeletedAt time.Time
}

// Usable reports whether the session may still be used at now.
func (s *FunnelSession) Usable(now time.Time) bool {
	return s.DeletedAt.IsZero() && now.Before(s.ExpiresAt)
}

// FunnelService stores funnel sessions.
type FunnelService interface {
	// CreateFunnelSession stores s, assigning its ID and CreatedAt;
	// ExpiresAt must be set.
	CreateFunnelSession(ctx context.Context, s *FunnelSession) error
	// FindFunnelSession returns the session with that id, even expired or
	// deleted (the funnel says so); ENOTFOUND if it never existed.
	FindFunnelSession(ctx context.Context, id string) (*FunnelSession, error)
	// DeleteFunnelSession marks the user's session deleted; ENOTFOUND if it
	// does not exist, is another user's, or was deleted already.
	DeleteFunnelSession(ctx context.Context, appID, userID, id string) error
}
