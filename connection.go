// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"context"
	"time"
)

// Connection statuses, in the order a synchronization goes through them.
const (
	StatusPending     = "pending"
	StatusInProgress  = "in progress"
	StatusWaitingUser = "waiting user"
	StatusFinished    = "finished"
	StatusError       = "error"
)

// Connection is a user's credentials for one provider and the state of
// its synchronization.
type Connection struct {
	ID         string
	AppID      string
	UserID     string
	ProviderID int
	CreatedAt  time.Time
	// LoginMasked is the login as shown on the wire ("123###789").
	LoginMasked string
	// Credentials are by varname, in clear in memory only (stored encrypted).
	// Loaded only by FindConnectionCredentials.
	Credentials map[string]string
	// AutomaticSync: the connection is synchronized in the background.
	AutomaticSync      bool
	LastSynchronizedAt time.Time // last successful sync; zero = never
	LastErrorAt        time.Time // zero = never
	NbErrors           int       // consecutive failed syncs
	NextSyncAt         time.Time // when the background sync is due

	Status      string
	Step        string // the input set asked, while "waiting user"
	Progression int    // percent, meaningful while "in progress"
	Errno       Errno  // while "error"
	// RedirectURL is where the person authorizes, while "waiting user" on
	// the "redirect" step; StepMessage is the provider's message while waiting
	// (a "decoupled" step, or a form step asked with a message).
	RedirectURL string
	StepMessage string
	// While "error" from a *UserFailure, StepMessage is the provider's
	// message for the person and ActionURL (when not "") the page where
	// they act; both are cleared when the next sync starts.
	ActionURL string
	// ProgressKey and ProgressCount narrate a sync "in progress"
	// (ProgressMessageSession): "connecting", "accounts_found" (count
	// accounts), "transactions", "documents"; "" = none.
	ProgressKey   string
	ProgressCount int
	// ConsentExpiration is when the provider's consent lapses; zero = none.
	ConsentExpiration time.Time
	// RedirectURI is where iswigo's callback sends the browser after a
	// redirect step of a sync driven through the API: one of the app's
	// registered RedirectURIs; "" = the funnel (or a plain page).
	RedirectURI string
	// PSUIPAddress and PSUUserAgent describe the person who asked for the
	// sync being queued (set by the caller of CreateConnection and
	// UpdateConnectionCredentials; never on the wire).
	PSUIPAddress string
	PSUUserAgent string
}

// ConnectionStatus is the wire form of a connection's synchronization state.
type ConnectionStatus struct {
	ConnectionID       string
	LastSynchronizedAt time.Time
	Status             string
	Step               string
	Progression        int
	Errno              Errno
}

// StatusOf returns c's status.
func (c *Connection) StatusOf() ConnectionStatus {
	return ConnectionStatus{c.ID, c.LastSynchronizedAt, c.Status, c.Step, c.Progression, c.Errno}
}

// Running reports whether a synchronization is queued or under way.
func (c *Connection) Running() bool {
	return c.Status == StatusPending || c.Status == StatusInProgress || c.Status == StatusWaitingUser
}

// ConnectionFilter selects connections of one user.
type ConnectionFilter struct {
	AppID, UserID string
	// ProviderIDs, when not nil, keeps connections of these providers only.
	ProviderIDs []int
	Range       Range
}

// SyncRequest asks for a synchronization of a connection.
type SyncRequest struct {
	ConnectionID string
	// Interactive: a person is present (API call or funnel), so the sync
	// may ask a step.
	Interactive bool
	// PSUIPAddress and PSUUserAgent describe the person present (providers
	// that want them get them, see ProviderProperties.WantsPSUContext).
	PSUIPAddress string
	PSUUserAgent string
	// RedirectURI, when not empty, replaces the connection's (see
	// Connection.RedirectURI): the funnel names its own page.
	RedirectURI string
}

// ConnectionService stores connections. Every lookup is scoped to one app
// and user: another user's connection does not exist (ENOTFOUND).
type ConnectionService interface {
	// CreateConnection stores c with its credentials, in "pending", and
	// queues an interactive sync in the same transaction, with a
	// connection.created and a connection.status event.
	CreateConnection(ctx context.Context, c *Connection) error
	// FindConnectionByID returns ENOTFOUND unless the connection is the user's.
	FindConnectionByID(ctx context.Context, appID, userID, id string) (*Connection, error)
	// FindConnectionCredentials returns the decrypted credentials of the
	// user's connection (to merge an edit; never sent back to a client).
	FindConnectionCredentials(ctx context.Context, appID, userID, id string) (map[string]string, error)
	// FindConnections lists a user's connections oldest first, with the total.
	FindConnections(ctx context.Context, f ConnectionFilter) ([]*Connection, int, error)
	// UpdateConnectionCredentials replaces the credentials (when not nil)
	// and the automatic-sync flag; new credentials clear the error state
	// and queue an interactive sync.
	UpdateConnectionCredentials(ctx context.Context, c *Connection, credentials map[string]string) error
	// DeleteConnection removes the connection with its accounts,
	// transactions and documents, with a connection.deleted event.
	DeleteConnection(ctx context.Context, appID, userID, id string) error
	// RequestSync queues a sync unless one is queued or running, and
	// returns the connection's status either way.
	RequestSync(ctx context.Context, appID, userID string, req SyncRequest) (*Connection, error)
	// AnswerStep records the answer to the step a sync waits for. Returns
	// EINVALID "Step not available" when the connection is not waiting.
	AnswerStep(ctx context.Context, appID, userID, id string, answer map[string]string) (*Connection, error)
}

// EventConnectionConsentExpiring is fired once per consent, a configurable
// time before the connection's ConsentExpiration.
const EventConnectionConsentExpiring = "connection.consent_expiring"

// ConsentExpiringEventData is the data of a connection.consent_expiring event.
type ConsentExpiringEventData struct {
	ConnectionID      string `json:"connection_id"`
	UserID            string `json:"user_id"`
	ProviderID        int    `json:"provider_id"`
	ConsentExpiration string `json:"consent_expiration"` // TimeLayout, UTC
}

// CallbackService resumes syncs waiting on a redirect step when the
// person comes back to iswigo's callback.
type CallbackService interface {
	// CompleteRedirect records the query of a callback for the sync that
	// issued state (single use, before the step expires) and returns that
	// connection. Returns ENOTFOUND for an unknown, used, expired or forged
	// state: nothing changes then.
	CompleteRedirect(ctx context.Context, state string, query map[string]string) (*Connection, error)
}
