// SPDX-License-Identifier: Apache-2.0

package connflow

import (
	"context"

	"github.com/iswigo/iswigo"
)

// EditRequest is a change to a connection.
type EditRequest struct {
	// ProviderID, when not nil, must be the connection's own: a
	// connection's provider cannot change.
	ProviderID *int
	// Values, when not nil, are new credentials by varname: merged over
	// the stored ones (a missing or empty value keeps its stored value),
	// validated as a whole against the provider's "default" input set, and
	// then an interactive synchronization is queued (which also
	// re-authorizes a lapsed consent). nil: the credentials are not part of
	// this edit and no synchronization is queued.
	Values map[string]string
	// AutomaticSync, when not nil, sets the background synchronization.
	AutomaticSync *bool
	// RedirectURI, when not nil, replaces the connection's (one of the
	// application's registered URIs; "" = none).
	RedirectURI *string
}

// Edit applies req to connection c (found with Connection) under the
// PSD2 rule, stores it and returns it.
func (s *Service) Edit(ctx context.Context, a Actor, c *iswigo.Connection, req EditRequest) (*iswigo.Connection, error) {
	if err := RequirePSD2(a); err != nil {
		return nil, err
	}
	if err := owned(a, c); err != nil {
		return nil, err
	}
	if req.ProviderID != nil && *req.ProviderID != c.ProviderID {
		return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid provider: a connection's provider cannot change")
	}
	p, err := s.Providers.FindProviderByID(ctx, c.ProviderID)
	if err != nil {
		return nil, err
	}
	var creds map[string]string
	if req.Values != nil {
		stored, err := s.Connections.FindConnectionCredentials(ctx, a.User.AppID, a.User.ID, c.ID)
		if err != nil {
			return nil, err
		}
		if creds, err = credentialsFor(p.Inputs["default"], mergeEdit(stored, req.Values)); err != nil {
			return nil, err
		}
	}
	if err := settings(a, p, req.AutomaticSync, req.RedirectURI, c); err != nil {
		return nil, err
	}
	if err := s.Connections.UpdateConnectionCredentials(ctx, c, creds); err != nil {
		return nil, err
	}
	return c, nil
}
