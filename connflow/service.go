// SPDX-License-Identifier: Apache-2.0

// Package connflow carries out the connection use cases that the API and
// the funnel share: create a connection, edit it (credentials and/or
// automatic synchronization), synchronize one or all, answer the step a
// synchronization waits for, and resume a redirect step at the callback.
// Each rule is written here once: the PSD2 rule, the credential checks
// against the provider's input sets, what an empty value on edit means,
// the person present (IP address, user agent, where the browser comes back
// to). The API and the funnel decode their requests, call a Service and
// encode its answers; errors are iswigo errors with the codes and
// descriptions they already map to the wire.
package connflow

import (
	"context"
	"slices"

	"github.com/iswigo/iswigo"
)

// Service carries out the use cases over the root package's services. Its
// fields are set before use and not changed afterwards; it keeps no state
// of its own and is safe for concurrent use.
type Service struct {
	Connections iswigo.ConnectionService
	Providers   iswigo.ProviderService
	// Callbacks resumes redirect steps (nil = Callback answers ErrNoCallbacks).
	Callbacks iswigo.CallbackService
}

// Actor is who asks: an application's user, through the API or the
// funnel, with the person present. Every use case here has a person
// present: the syncs it queues are interactive.
type Actor struct {
	App  *iswigo.App
	User *iswigo.User
	// Funnel: the request comes through the funnel, which is PSD2
	// compliant for applications that are not, so the PSD2 rule does not
	// apply (see RequirePSD2).
	Funnel bool
	// Scope narrows what the actor reaches below its user's providers and
	// connections (a funnel session's); nil = all of them.
	Scope Scope
	// Person is the person present.
	Person Person
}

// Person describes the person present, for providers that want it (PSD2's
// PSU-IP-Address and PSU-User-Agent) and for the redirect callback.
type Person struct {
	IPAddress string
	UserAgent string
	// ReturnURL, when not empty, is where iswigo's callback sends the
	// browser after a redirect step begun by this person: the funnel's own
	// page, trusted as is. It replaces the connection's RedirectURI on
	// create, edit and sync.
	ReturnURL string
}

// Scope narrows an actor's reach (a funnel session: its type, country,
// provider and connections).
type Scope interface {
	// OffersProvider reports whether the actor may create a connection of p.
	OffersProvider(p *iswigo.Provider) bool
	// ReachesConnection reports whether the actor may act on the user's
	// connection c; one it does not reach does not exist (ENOTFOUND).
	ReachesConnection(ctx context.Context, c *iswigo.Connection) (bool, error)
}

// RequirePSD2 returns EFORBIDDEN unless a may create and edit connections
// and answer steps itself: the funnel, or a PSD2 application through the
// API. Other applications use the funnel.
func RequirePSD2(a Actor) error {
	if a.Funnel || (a.App != nil && a.App.PSD2) {
		return nil
	}
	return iswigo.Errorf(iswigo.EFORBIDDEN, "Only for PSD2 compliant applications: use the funnel")
}

// Connection returns the user's connection id if a reaches it; ENOTFOUND
// otherwise, exactly as for another user's or another application's.
func (s *Service) Connection(ctx context.Context, a Actor, id string) (*iswigo.Connection, error) {
	c, err := s.Connections.FindConnectionByID(ctx, a.User.AppID, a.User.ID, id)
	if err != nil {
		return nil, err
	}
	if ok, err := reaches(ctx, a, c); err != nil {
		return nil, err
	} else if !ok {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Connection not found")
	}
	return c, nil
}

// reaches reports whether a's scope reaches the user's connection c.
func reaches(ctx context.Context, a Actor, c *iswigo.Connection) (bool, error) {
	if a.Scope == nil {
		return true, nil
	}
	return a.Scope.ReachesConnection(ctx, c)
}

// owned returns ENOTFOUND unless c is a connection of a's user: the
// use cases that take a connection found earlier (with Connection) check
// it again, so that a mix-up can never reach another user's.
func owned(a Actor, c *iswigo.Connection) error {
	if c == nil || c.AppID != a.User.AppID || c.UserID != a.User.ID {
		return iswigo.Errorf(iswigo.ENOTFOUND, "Connection not found")
	}
	return nil
}

// MaxConnectionIDs bounds the connections one request names.
const MaxConnectionIDs = 100

// Named returns the connections of ids, in that order, or every
// connection a reaches (oldest first) when ids is empty. One that a does
// not reach fails the whole call with ENOTFOUND.
func (s *Service) Named(ctx context.Context, a Actor, ids []string) ([]*iswigo.Connection, error) {
	if len(ids) == 0 {
		return s.all(ctx, a)
	}
	if len(ids) > MaxConnectionIDs {
		return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid connection_ids: at most %d", MaxConnectionIDs)
	}
	out := make([]*iswigo.Connection, 0, len(ids))
	for _, id := range ids {
		c, err := s.Connection(ctx, a, id)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// all returns every connection of a's user that a reaches, page by page.
func (s *Service) all(ctx context.Context, a Actor) ([]*iswigo.Connection, error) {
	var out []*iswigo.Connection
	for from := 0; ; from += iswigo.MaxRangeSize {
		conns, total, err := s.Connections.FindConnections(ctx, iswigo.ConnectionFilter{AppID: a.User.AppID, UserID: a.User.ID,
			Range: iswigo.Range{From: from, To: from + iswigo.MaxRangeSize - 1}})
		if err != nil {
			return nil, err
		}
		for _, c := range conns {
			if ok, err := reaches(ctx, a, c); err != nil {
				return nil, err
			} else if ok {
				out = append(out, c)
			}
		}
		if from+iswigo.MaxRangeSize >= total {
			return out, nil
		}
	}
}

// Provider returns provider id if a may create a connection of it: known,
// not "unavailable", and offered by a's scope. Otherwise EINVALID
// "Invalid provider: unknown provider N".
func (s *Service) Provider(ctx context.Context, a Actor, id int) (*iswigo.Provider, error) {
	p, err := s.Providers.FindProviderByID(ctx, id)
	if iswigo.ErrorCode(err) == iswigo.ENOTFOUND ||
		(err == nil && (p.Status == "unavailable" || (a.Scope != nil && !a.Scope.OffersProvider(p)))) {
		return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid provider: unknown provider %d", id)
	} else if err != nil {
		return nil, err
	}
	return p, nil
}

// statementsProvider reports whether provider id is fed by statement
// files (such connections involve no credential: any application may
// create them).
func (s *Service) statementsProvider(ctx context.Context, id int) bool {
	p, err := s.Providers.FindProviderByID(ctx, id)
	return err == nil && p.Properties.Statements
}

// personOn records on c, before its sync is queued, the person present and
// the page the callback comes back to.
func personOn(a Actor, c *iswigo.Connection) {
	c.PSUIPAddress, c.PSUUserAgent = a.Person.IPAddress, a.Person.UserAgent
	if a.Person.ReturnURL != "" {
		c.RedirectURI = a.Person.ReturnURL
	}
}

// redirectURI sets c's redirect URI to uri (when not nil) once it is one
// of a's application's registered redirect URIs ("" clears it).
func redirectURI(a Actor, uri *string, c *iswigo.Connection) error {
	if uri == nil {
		return nil
	}
	if *uri != "" && (a.App == nil || !slices.Contains(a.App.RedirectURIs, *uri)) {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid redirect_uri: not one of the application's registered redirect URIs")
	}
	c.RedirectURI = *uri
	return nil
}
