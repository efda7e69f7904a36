// SPDX-License-Identifier: Apache-2.0

package widget

import (
	"net/http"

	"github.com/iswigo/iswigo"
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

// personOf records on c, before its sync is queued, the person present
// (for banks that want their address and browser) and the funnel page to
// come back to after a redirect step.
func (h *Handler) personOf(r *http.Request, sc *sessionContext, c *iswigo.Connection) {
	c.PSUIPAddress, c.PSUUserAgent = clientIP(r), iswigo.ClientUserAgent(r)
	if u := h.returnURL(sc); u != "" {
		c.RedirectURI = u
	}
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
