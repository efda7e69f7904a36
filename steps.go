// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"context"
	"time"
)

// Step names of the step kinds that are not typed forms. A connector that
// needs one calls the matching optional SyncSession capability below; the
// status then shows "waiting user" with this step.
const (
	// StepRedirect: the person authorizes at the provider's URL
	// (status field "redirect_url") and comes back to iswigo's callback.
	StepRedirect = "redirect"
	// StepDecoupled: the person approves in the provider's app; the
	// connector polls until approved.
	StepDecoupled = "decoupled"
)

// RedirectSession is implemented by sync sessions that can send a person
// to a provider and receive them back on iswigo's callback
// (GET /callback?state=…&code=… on the public URL).
type RedirectSession interface {
	// Redirect calls start with the callback URL and a single-use state
	// bound to this sync; start asks the provider for the authorization URL
	// and returns it. The connection is then "waiting user" with step
	// "redirect" and that redirect_url until the callback arrives; Redirect
	// returns the callback's query parameters (code, state, error,
	// error_description…). Nobody present: a *ConnectorError with
	// ErrnoSCARequired at once; no callback in time: ErrnoStepTimeout; a
	// callback with "error" and no "code" (the person refused): the query
	// and a *ConnectorError with ErrnoWrongStepAnswer.
	Redirect(ctx context.Context, start func(ctx context.Context, callbackURL, state string) (authorizeURL string, err error)) (map[string]string, error)
}

// DecoupledSession is implemented by sync sessions that can wait for a
// person to approve in the provider's own app.
type DecoupledSession interface {
	// Decoupled puts the connection in "waiting user" with step
	// "decoupled" and message (shown to the person), then calls poll every
	// interval until it reports done or fails. Nobody present: a
	// *ConnectorError with ErrnoSCARequired at once; not approved in time:
	// ErrnoStepTimeout.
	Decoupled(ctx context.Context, message string, interval time.Duration, poll func(ctx context.Context) (done bool, err error)) error
}

// ConsentSession is implemented by sync sessions that record how long the
// provider's consent lasts (connection field "consent_expiration").
type ConsentSession interface {
	// SetConsentExpiration records when the consent lapses; zero = none.
	SetConsentExpiration(ctx context.Context, t time.Time) error
}

// ProgressMessageSession is implemented by sync sessions that narrate a
// sync with message keys the funnel translates ("connecting",
// "accounts_found", "transactions", "documents"), beside the percentage.
type ProgressMessageSession interface {
	// ProgressMessage reports progress with a message key and its count
	// (the number of accounts found, …; 0 when the key takes none).
	// Progress never goes backwards: a lower percent is ignored.
	ProgressMessage(ctx context.Context, percent int, key string, count int) error
}

// PSUContextSession is implemented by sync sessions that know the person
// present, for providers that want their address and browser
// (ProviderProperties.WantsPSUContext; PSD2's PSU-IP-Address and
// PSU-User-Agent headers).
type PSUContextSession interface {
	// PSUContext returns the IP address and user agent of the person who
	// asked for this sync; "" when nobody is present or they are unknown.
	PSUContext() (ipAddress, userAgent string)
}

// StepMessageSession is implemented by sync sessions that can show the
// person a message with a form step: what the provider said when it asked
// ("A code was sent to 06 ** ** ** 42"). The status then carries it as
// "message" while the step waits, and the funnel shows it above the form.
type StepMessageSession interface {
	// AskWithMessage is SyncSession.Ask with a message for the person; an
	// empty message is Ask.
	AskWithMessage(ctx context.Context, step, message string) (map[string]string, error)
}
