// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"context"
	"encoding/json"
	"time"
)

// Event types (docs/events.md).
const (
	EventConnectionStatus  = "connection.status"
	EventConnectionCreated = "connection.created"
	EventConnectionDeleted = "connection.deleted"
	EventUserCreated       = "user.created"
	EventUserDeleted       = "user.deleted"
	EventTransactionsAdded = "transactions.added"
	EventDocumentsAdded    = "documents.added"
)

// Event is something that happened to an application's data. Data is the
// exact JSON of the event's "data" member.
type Event struct {
	ID        string
	AppID     string
	UserID    string
	Type      string
	CreatedAt time.Time
	Data      json.RawMessage
}

// EventService reads events.
type EventService interface {
	// FindEvents lists the app's events newest first, with the total.
	FindEvents(ctx context.Context, appID string, r Range) ([]*Event, int, error)
	// FindEventByID returns ENOTFOUND unless the event is the app's.
	FindEventByID(ctx context.Context, appID, id string) (*Event, error)
}

// StatusEventData is the data of a connection.status event.
type StatusEventData struct {
	ConnectionID string  `json:"connection_id"`
	UserID       string  `json:"user_id"`
	Status       string  `json:"status"`
	Step         *string `json:"step"`
	Progression  *int    `json:"progression"`
	Errno        *Errno  `json:"errno,omitempty"`
	// RedirectURL and Message accompany the "redirect" and "decoupled"
	// steps; on "error", Message and ActionURL are the provider's words for
	// the person and the page where they act, when it gave them (absent
	// otherwise).
	RedirectURL string `json:"redirect_url,omitempty"`
	Message     string `json:"message,omitempty"`
	ActionURL   string `json:"action_url,omitempty"`
}

// EventWire is the wire form of an event: the body of GET /v1/events/{id}
// and of every webhook delivery.
type EventWire struct {
	EventID    string          `json:"event_id"`
	CreateTime string          `json:"create_time"`
	Type       string          `json:"type"`
	Data       json.RawMessage `json:"data"`
}

// Wire returns e's wire form.
func (e *Event) Wire() EventWire {
	return EventWire{e.ID, e.CreatedAt.UTC().Format(EventTimeLayout), e.Type, e.Data}
}
