// SPDX-License-Identifier: Apache-2.0

package connflow

import (
	"context"
	"errors"
	"net/url"

	"github.com/iswigo/iswigo"
)

// Limits of a callback's query.
const (
	MaxCallbackParams     = 20
	MaxCallbackValueBytes = 4096
	maxCallbackKeyBytes   = 64
)

// ErrNoCallbacks is Callback's error when the Service has no
// CallbackService (no redirect step can be waiting).
var ErrNoCallbacks = iswigo.Errorf(iswigo.ENOTFOUND, "Not found")

// Callback resumes the synchronization waiting on the redirect step named
// by the query's state (single use, before the step expires) with the
// whole query as the answer (code, or error and error_description). It
// returns the connection and where to send the browser next: the
// connection's redirect URI with connection_id added, or "" (a plain
// page). Errors, each leaving everything unchanged: EINVALID for a query
// that is not a complete answer (no state, a repeated or oversized
// parameter), ENOTFOUND for an unknown, used, expired or forged state, and
// ErrNoCallbacks.
func (s *Service) Callback(ctx context.Context, q url.Values) (*iswigo.Connection, string, error) {
	query := map[string]string{}
	valid := len(q) <= MaxCallbackParams
	for k, vs := range q {
		if len(vs) != 1 || len(k) > maxCallbackKeyBytes || len(vs[0]) > MaxCallbackValueBytes {
			valid = false
			break
		}
		query[k] = vs[0]
	}
	if !valid || query["state"] == "" {
		return nil, "", iswigo.Errorf(iswigo.EINVALID, "Invalid authorization answer")
	}
	if s.Callbacks == nil {
		return nil, "", ErrNoCallbacks
	}
	c, err := s.Callbacks.CompleteRedirect(ctx, query["state"], query)
	if err != nil {
		return nil, "", err
	}
	return c, nextURL(c), nil
}

// nextURL is c's redirect URI with connection_id=c.ID, or "" without one
// (or with one that does not parse).
func nextURL(c *iswigo.Connection) string {
	if c.RedirectURI == "" {
		return ""
	}
	target, err := url.Parse(c.RedirectURI)
	if err != nil {
		return ""
	}
	v := target.Query()
	v.Set("connection_id", c.ID)
	target.RawQuery = v.Encode()
	return target.String()
}

// IsNoCallbacks reports whether err is ErrNoCallbacks.
func IsNoCallbacks(err error) bool { return errors.Is(err, ErrNoCallbacks) }
