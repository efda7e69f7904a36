// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"context"
	"time"
)

// App is a client application (tenant). It is identified on the wire by
// its Name (header X-Iswigo-App) and proves itself with Secret.
type App struct {
	ID   string
	Name string
	// Secret is the shared secret of the request signature, in clear in
	// memory only; the store keeps it encrypted.
	Secret string
	// PSD2 apps may create and edit connections and answer steps through
	// the API; the others must use the funnel.
	PSD2 bool
	// LastTermsOfService is the date of the terms users must have accepted.
	LastTermsOfService Date
	// WebhookURL, when set, receives every event of the app.
	WebhookURL string
	// Origins are the web origins allowed to embed the funnel widget.
	Origins []string
	// RedirectURIs are the URLs a PSD2 app may name as a connection's
	// redirect_uri: where iswigo's callback sends the browser back.
	RedirectURIs []string
	// Branding is how the funnel presents the application.
	Branding  AppBranding
	CreatedAt time.Time
	UpdatedAt time.Time
}

// AppService manages applications. It is used by the operator's CLI and by
// the request-signature middleware.
type AppService interface {
	// CreateApp stores app, assigning ID and times. Returns ECONFLICT if the
	// name is taken, EINVALID if the name or secret is empty.
	CreateApp(ctx context.Context, app *App) error
	// FindAppByName returns ENOTFOUND if no app has that name.
	FindAppByName(ctx context.Context, name string) (*App, error)
	// FindAppByID returns ENOTFOUND if no app has that id.
	FindAppByID(ctx context.Context, id string) (*App, error)
	// FindApps lists every app by name.
	FindApps(ctx context.Context) ([]*App, error)
	// UpdateApp writes every mutable field of app (secret, PSD2, terms,
	// webhook URL, origins). Returns ENOTFOUND if it does not exist.
	UpdateApp(ctx context.Context, app *App) error
}

// ValidAppName reports whether name is an acceptable application name:
// 1 to 64 characters among letters, digits, '-', '_' and '.'.
func ValidAppName(name string) bool {
	if len(name) == 0 || len(name) > 64 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}
