// SPDX-License-Identifier: Apache-2.0

package iswigo

import "time"

// WebhookEndpoint is a URL receiving an application's events.
type WebhookEndpoint struct {
	ID    string
	AppID string
	URL   string
	// Events are the event types delivered; empty = every type.
	Events    []string
	CreatedAt time.Time
}

// Accepts reports whether the endpoint receives events of type t.
func (w *WebhookEndpoint) Accepts(t string) bool {
	if len(w.Events) == 0 {
		return true
	}
	for _, e := range w.Events {
		if e == t {
			return true
		}
	}
	return false
}

// Delivery statuses.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// WebhookDelivery is one event to deliver to one URL. Its Payload is fixed
// when the event is committed, so every attempt sends the same bytes.
type WebhookDelivery struct {
	ID         string
	AppID      string
	EventID    string
	EventType  string
	EndpointID string // "" for the application's webhook URL
	URL        string
	Payload    []byte
	Status     string
	Attempts   []WebhookAttempt
	CreatedAt  time.Time
}

// WebhookAttempt is one try of a delivery.
type WebhookAttempt struct {
	Number     int
	At         time.Time
	StatusCode int // 0 when no answer
	Duration   time.Duration
	Error      string
}

// Metrics receives the measurements the operator sees at /metrics.
// Implementations are safe for concurrent use.
type Metrics interface {
	// ObserveRequest counts an HTTP request by route pattern and status.
	ObserveRequest(method, route string, status int, d time.Duration)
	// ObserveSync counts a sync by outcome (finished, retry, error) and errno.
	ObserveSync(outcome string, errno Errno, d time.Duration)
	// ObserveDelivery counts a webhook delivery attempt by resulting status.
	ObserveDelivery(status string, d time.Duration)
}
