// SPDX-License-Identifier: Apache-2.0

package widget

import (
	"context"
	"net/http"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connflow"
)

// choiceJSON is one value of a "select" input.
type choiceJSON struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// returnURL is where iswigo's callback sends the browser after a
// redirect step begun in session sc: back into this funnel session, whose
// page then follows the connection named by connection_id. "" without a
// PublicURL (the callback then shows a plain page).
func (h *Handler) returnURL(sc *sessionContext) string {
	if h.PublicURL == "" {
		return ""
	}
	return h.PublicURL + "?session=" + sc.session.ID
}

// flow is the connection use cases over the handler's services.
func (h *Handler) flow() *connflow.Service {
	return &connflow.Service{Connections: h.Connections, Providers: h.Providers}
}

// actor is the session's user, through the funnel, within the session's
// reach (sessionScope), with nobody's details: for lookups.
func (h *Handler) actor(sc *sessionContext) connflow.Actor {
	return connflow.Actor{App: sc.app, User: sc.user, Funnel: true, Scope: sessionScope{h, sc}}
}

// present is actor with the person present in r (for banks that want
// their address and browser) and the funnel page the callback comes back
// to after a redirect step.
func (h *Handler) present(r *http.Request, sc *sessionContext) connflow.Actor {
	a := h.actor(sc)
	a.Person = connflow.Person{IPAddress: clientIP(r), UserAgent: iswigo.ClientUserAgent(r), ReturnURL: h.returnURL(sc)}
	return a
}

// sessionScope is a funnel session's reach: the providers it lists
// (providerAllowed) and the connections it reaches (reaches).
type sessionScope struct {
	h  *Handler
	sc *sessionContext
}

func (s sessionScope) OffersProvider(p *iswigo.Provider) bool { return s.sc.providerAllowed(p) }

func (s sessionScope) ReachesConnection(ctx context.Context, c *iswigo.Connection) (bool, error) {
	return s.h.reaches(ctx, s.sc, c)
}

// choiceLabel returns the label of value among in's choices (value when
// it is none of them).
func choiceLabel(in iswigo.Input, value string) string {
	for _, c := range in.Choices {
		if c.Value == value {
			return c.Label
		}
	}
	return value
}
