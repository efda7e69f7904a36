// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"context"
	"time"
)

// Message is a plain-text e-mail.
type Message struct {
	To      string
	Subject string
	Body    string
}

// Mailer sends e-mail. Implementations: SMTP, and a file outbox for the
// embedded default.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// RateLimiter counts failures per key in a sliding window. It lives in the
// database, so every process of a deployment shares it.
type RateLimiter interface {
	// RetryAfter returns zero when key has fewer than limit failures within
	// window before now, else how long until the oldest leaves the window.
	RetryAfter(ctx context.Context, key string, limit int, window time.Duration) (time.Duration, error)
	// RecordFailure counts one failure for key now.
	RecordFailure(ctx context.Context, key string) error
}
