// SPDX-License-Identifier: Apache-2.0

package widget

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/iswigo/iswigo"
)

// codeGone is the error code of a deleted or expired session (410).
const codeGone = iswigo.EGONE

// sessionContext is what a request of the flow acts as.
type sessionContext struct {
	session *iswigo.FunnelSession
	app     *iswigo.App
	user    *iswigo.User
}

// loadSession finds the session id and its app and user. It returns
// EUNAUTHORIZED for a malformed or unknown id and codeGone, with what it
// found, for a deleted or expired session or one whose user is gone.
func (h *Handler) loadSession(ctx context.Context, id string) (*sessionContext, error) {
	if !iswigo.ValidID(id) {
		return nil, iswigo.Errorf(iswigo.EUNAUTHORIZED, "Invalid funnel session")
	}
	s, err := h.Sessions.FindFunnelSession(ctx, strings.ToLower(id))
	if iswigo.ErrorCode(err) == iswigo.ENOTFOUND {
		return nil, iswigo.Errorf(iswigo.EUNAUTHORIZED, "Invalid funnel session")
	} else if err != nil {
		return nil, err
	}
	sc := &sessionContext{session: s}
	ended := iswigo.Errorf(codeGone, "This funnel session has ended")
	if sc.app, err = h.Apps.FindAppByID(ctx, s.AppID); iswigo.ErrorCode(err) == iswigo.ENOTFOUND {
		return sc, ended
	} else if err != nil {
		return sc, err
	}
	if !s.Usable(h.Now()) {
		return sc, ended
	}
	if sc.user, err = h.Users.FindUserByID(ctx, s.AppID, s.UserID); iswigo.ErrorCode(err) == iswigo.ENOTFOUND {
		return sc, ended
	} else if err != nil {
		return sc, err
	}
	return sc, nil
}

// authenticate returns the session of a flow request, named by its
// SessionHeader.
func (h *Handler) authenticate(r *http.Request) (*sessionContext, error) {
	id := r.Header.Get(SessionHeader)
	if id == "" {
		return nil, iswigo.Errorf(iswigo.EUNAUTHORIZED, "Missing funnel session")
	}
	return h.loadSession(r.Context(), id)
}

// ready returns EFORBIDDEN until the user has accepted the terms and
// validated an e-mail address: the screens before any connection.
func (sc *sessionContext) ready() error {
	if needsTerms(sc.user, sc.app) {
		return iswigo.Errorf(iswigo.EFORBIDDEN, "Accept the terms of service first")
	}
	if !sc.user.EmailValidated {
		return iswigo.Errorf(iswigo.EFORBIDDEN, "Validate your e-mail address first")
	}
	return nil
}

// providerAllowed reports whether the session lists p: of its type and
// country, and its provider when it fixes one.
func (sc *sessionContext) providerAllowed(p *iswigo.Provider) bool {
	s := sc.session
	return (s.Type == "" || p.HasType(s.Type)) &&
		(s.Country == "" || strings.EqualFold(p.Country, s.Country)) &&
		(s.ProviderID == 0 || p.ID == s.ProviderID)
}

// connection returns the user's connection id if the session reaches it
// (see reaches), ENOTFOUND otherwise, exactly as for another user's.
func (h *Handler) connection(ctx context.Context, sc *sessionContext, id string) (*iswigo.Connection, error) {
	return h.flow().Connection(ctx, h.actor(sc), id)
}

// reaches reports whether the session may act on the user's connection c.
// A session reaches the connections it names; without any, a create
// session reaches the connections created since it began (to fix their
// credentials), and sync and status sessions every connection of the user
// whose provider is of the session's type.
func (h *Handler) reaches(ctx context.Context, sc *sessionContext, c *iswigo.Connection) (bool, error) {
	s := sc.session
	if len(s.ConnectionIDs) > 0 {
		return slices.ContainsFunc(s.ConnectionIDs, func(v string) bool { return strings.EqualFold(v, c.ID) }), nil
	}
	switch s.Action {
	case iswigo.FunnelCreate:
		return !c.CreatedAt.Before(s.CreatedAt), nil
	case iswigo.FunnelSync, iswigo.FunnelStatus:
		if s.Type == "" {
			return true, nil
		}
		p, err := h.Providers.FindProviderByID(ctx, c.ProviderID)
		if iswigo.ErrorCode(err) == iswigo.ENOTFOUND {
			return false, nil
		} else if err != nil {
			return false, err
		}
		return p.HasType(s.Type), nil
	}
	return false, nil
}
