// SPDX-License-Identifier: Apache-2.0

package connflow

import (
	"context"

	"github.com/iswigo/iswigo"
)

// CreateRequest is a new connection as asked.
type CreateRequest struct {
	// ProviderID names the provider (nil: not given, EINVALID).
	ProviderID *int
	// Values are the credentials by varname, validated against the
	// provider's "default" input set.
	Values map[string]string
	// AutomaticSync, when not nil, sets the background synchronization
	// (default on; always off for a provider fed by statement files).
	AutomaticSync *bool
	// RedirectURI, when not nil, is where the callback sends the browser
	// after a redirect step: one of the application's registered URIs.
	RedirectURI *string
}

// Create stores a new connection of a's user and queues its first,
// interactive synchronization. The PSD2 rule applies unless the provider
// is fed by statement files (no credential involved); the provider must be
// one a may create (see Provider). It returns the stored connection.
func (s *Service) Create(ctx context.Context, a Actor, req CreateRequest) (*iswigo.Connection, error) {
	if req.ProviderID == nil || !s.statementsProvider(ctx, *req.ProviderID) {
		if err := RequirePSD2(a); err != nil {
			return nil, err
		}
	}
	if req.ProviderID == nil {
		return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid provider: required")
	}
	p, err := s.Provider(ctx, a, *req.ProviderID)
	if err != nil {
		return nil, err
	}
	creds, err := credentialsFor(p.Inputs["default"], req.Values)
	if err != nil {
		return nil, err
	}
	c := &iswigo.Connection{AppID: a.User.AppID, UserID: a.User.ID, ProviderID: p.ID, Credentials: creds, AutomaticSync: true}
	if err := settings(a, p, req.AutomaticSync, req.RedirectURI, c); err != nil {
		return nil, err
	}
	if err := s.Connections.CreateConnection(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// settings applies to c, before it is stored, what a create or an edit
// asks besides credentials (automatic sync, redirect URI: nil = unchanged)
// and the person present.
func settings(a Actor, p *iswigo.Provider, automaticSync *bool, uri *string, c *iswigo.Connection) error {
	if automaticSync != nil {
		c.AutomaticSync = *automaticSync
	}
	if err := statementsNotInBackground(p, automaticSync, c); err != nil {
		return err
	}
	if err := redirectURI(a, uri, c); err != nil {
		return err
	}
	personOn(a, c)
	return nil
}

// statementsNotInBackground keeps automatic synchronization off for a
// provider fed by statement files (there is nothing to fetch): asking for
// it is EINVALID.
func statementsNotInBackground(p *iswigo.Provider, asked *bool, c *iswigo.Connection) error {
	if !p.Properties.Statements {
		return nil
	}
	if asked != nil && *asked {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid automatic_synchronization: a statement import connection has nothing to fetch in the background")
	}
	c.AutomaticSync = false
	return nil
}
