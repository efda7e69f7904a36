// SPDX-License-Identifier: Apache-2.0

package api

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/iswigo/iswigo"
)

type funnelRequest struct {
	Action      string          `json:"action"`
	Type        string          `json:"type"`
	Connections []string        `json:"connections"`
	Country     string          `json:"country"`
	Scope       json.RawMessage `json:"scope"`
	Provider    json.RawMessage `json:"provider"`
}

// FunnelSession is the answer of POST /v1/funnel.
type FunnelSession struct {
	SessionID string `json:"session_id"`
	URI       string `json:"uri"`
}

// handleCreateFunnel opens a funnel session for the user. It accepts the
// reference's combined form {"action":"create bank"} and the actions
// page's {"action":"create","type":"bank",...}.
func (s *Server) handleCreateFunnel(w http.ResponseWriter, r *http.Request) error {
	var req funnelRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	u := requestUser(r)
	fs := &iswigo.FunnelSession{AppID: u.AppID, UserID: u.ID, Type: req.Type, Country: strings.ToUpper(req.Country)}
	action, typ, combined := strings.Cut(strings.TrimSpace(req.Action), " ")
	fs.Action = action
	if combined {
		if req.Type != "" && req.Type != typ {
			return iswigo.Errorf(iswigo.EINVALID, "Invalid type: %q contradicts the action %q", req.Type, req.Action)
		}
		fs.Type = typ
	}
	switch fs.Action {
	case iswigo.FunnelCreate, iswigo.FunnelEdit, iswigo.FunnelStatus, iswigo.FunnelSync:
	case iswigo.FunnelSimpleFIN:
		if combined || fs.Type != "" {
			return iswigo.Errorf(iswigo.EINVALID, "Invalid type: the simplefin action has none")
		}
	default:
		return iswigo.Errorf(iswigo.EINVALID, "Invalid action: expected create, edit, status, sync or simplefin")
	}
	if fs.Type != "" && fs.Type != iswigo.ProviderTypeBank && fs.Type != iswigo.ProviderTypeDocument {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid type: expected bank or document")
	}
	if fs.Country != "" && (len(fs.Country) != 2 || strings.Trim(fs.Country, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "") {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid country: expected an ISO 3166 code such as FR")
	}
	if err := optionalInt(req.Scope, "scope", &fs.Scope); err != nil {
		return err
	}
	if err := optionalInt(req.Provider, "provider", &fs.ProviderID); err != nil {
		return err
	}
	if fs.ProviderID != 0 {
		p, err := s.Providers.FindProviderByID(r.Context(), fs.ProviderID)
		if iswigo.ErrorCode(err) == iswigo.ENOTFOUND || (err == nil && fs.Type != "" && !p.HasType(fs.Type)) {
			return iswigo.Errorf(iswigo.EINVALID, "Invalid provider: unknown provider %d", fs.ProviderID)
		} else if err != nil {
			return err
		}
	}
	if len(req.Connections) > 100 {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid connections: at most 100")
	}
	for _, id := range req.Connections {
		c, err := s.Connections.FindConnectionByID(r.Context(), u.AppID, u.ID, id)
		if iswigo.ErrorCode(err) == iswigo.ENOTFOUND {
			return iswigo.Errorf(iswigo.EINVALID, "Invalid connections: unknown connection %q", id)
		} else if err != nil {
			return err
		}
		fs.ConnectionIDs = append(fs.ConnectionIDs, c.ID)
	}
	if fs.Action == iswigo.FunnelEdit && len(fs.ConnectionIDs) != 1 {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid connections: edit needs exactly one connection")
	}
	lifetime := s.FunnelLifetime
	if lifetime <= 0 {
		lifetime = iswigo.FunnelSessionLifetime
	}
	fs.ExpiresAt = s.Now().Add(lifetime)
	if err := s.Funnel.CreateFunnelSession(r.Context(), fs); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, FunnelSession{SessionID: fs.ID, URI: s.widgetURL() + "?session=" + fs.ID})
	return nil
}

// widgetURL returns the base URL of the funnel pages.
func (s *Server) widgetURL() string {
	if s.WidgetURL != "" {
		return s.WidgetURL
	}
	return s.PublicURL + "/widget/"
}

// optionalInt decodes an optional integer field (absent or null = 0).
func optionalInt(raw json.RawMessage, name string, dst *int) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil || *dst < 0 {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid %s: expected a positive integer", name)
	}
	return nil
}

func (s *Server) handleDeleteFunnel(w http.ResponseWriter, r *http.Request) error {
	u := requestUser(r)
	if err := s.Funnel.DeleteFunnelSession(r.Context(), u.AppID, u.ID, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
