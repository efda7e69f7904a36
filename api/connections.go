// SPDX-License-Identifier: Apache-2.0

package api

import (
	"encoding/json"
	"net/http"

	"github.com/iswigo/iswigo"
)

// requirePSD2 returns EFORBIDDEN for applications that must use the funnel.
func requirePSD2(r *http.Request) error {
	if !requestApp(r).PSD2 {
		return iswigo.Errorf(iswigo.EFORBIDDEN, "Only for PSD2 compliant applications: use the funnel")
	}
	return nil
}

// connectionBody is a decoded POST/PUT /v1/connections body: credential
// values by varname (strings; null means absent), and the flags.
type connectionBody struct {
	provider      *int
	automaticSync *bool
	redirectURI   *string // where the callback sends the browser back
	values        map[string]string
}

func decodeConnectionBody(r *http.Request) (*connectionBody, error) {
	var raw map[string]json.RawMessage
	if err := decodeJSON(r, &raw); err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid body: expected a JSON object")
	}
	b := &connectionBody{values: map[string]string{}}
	for key, v := range raw {
		switch key {
		case "provider":
			var id int
			if err := json.Unmarshal(v, &id); err != nil {
				return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid provider: expected a provider id")
			}
			b.provider = &id
		case "automatic_synchronization":
			var on bool
			if err := json.Unmarshal(v, &on); err != nil {
				return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid automatic_synchronization: expected a boolean")
			}
			b.automaticSync = &on
		case "redirect_uri":
			var uri string
			if err := json.Unmarshal(v, &uri); err != nil || len(uri) > 1024 {
				return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid redirect_uri: expected a registered URI")
			}
			b.redirectURI = &uri
		default:
			if string(v) == "null" {
				continue
			}
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid %s: expected a string", key)
			}
			if len(s) > 1024 {
				return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid %s: too long", key)
			}
			b.values[key] = s
		}
	}
	return b, nil
}

// credentialsFor keeps the values of set's inputs and validates them.
func credentialsFor(set iswigo.InputSet, values map[string]string) (map[string]string, error) {
	if err := set.Validate(values); err != nil {
		return nil, err
	}
	creds := map[string]string{}
	for _, in := range set.Inputs {
		if v, ok := values[in.Varname]; ok && v != "" {
			creds[in.Varname] = v
		}
	}
	return creds, nil
}

func (s *Server) handleCreateConnection(w http.ResponseWriter, r *http.Request) error {
	b, err := decodeConnectionBody(r)
	// A statement import connection involves no credential: any
	// application may create it (docs/statements.md).
	if err != nil || b.provider == nil || !s.statementsProvider(r.Context(), *b.provider) {
		if err := requirePSD2(r); err != nil {
			return err
		}
	}
	if err != nil {
		return err
	}
	if b.provider == nil {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid provider: required")
	}
	p, err := s.Providers.FindProviderByID(r.Context(), *b.provider)
	if iswigo.ErrorCode(err) == iswigo.ENOTFOUND || (err == nil && p.Status == "unavailable") {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid provider: unknown provider %d", *b.provider)
	} else if err != nil {
		return err
	}
	creds, err := credentialsFor(p.Inputs["default"], b.values)
	if err != nil {
		return err
	}
	u := requestUser(r)
	c := &iswigo.Connection{AppID: u.AppID, UserID: u.ID, ProviderID: p.ID, Credentials: creds, AutomaticSync: true,
		PSUIPAddress: iswigo.ClientAddr(r), PSUUserAgent: iswigo.ClientUserAgent(r)}
	if b.automaticSync != nil {
		c.AutomaticSync = *b.automaticSync
	}
	if err := noBackgroundSync(p, b, c); err != nil {
		return err
	}
	if b.redirectURI != nil {
		if err := checkRedirectURI(requestApp(r), *b.redirectURI); err != nil {
			return err
		}
		c.RedirectURI = *b.redirectURI
	}
	if err := s.Connections.CreateConnection(r.Context(), c); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, connectionJSON(c))
	return nil
}

// psd2ConnectionRequest reads a PSD2-only request on the user's
// connection {id}: the connection and the decoded body.
func (s *Server) psd2ConnectionRequest(r *http.Request) (*iswigo.Connection, *connectionBody, error) {
	if err := requirePSD2(r); err != nil {
		return nil, nil, err
	}
	u := requestUser(r)
	c, err := s.Connections.FindConnectionByID(r.Context(), u.AppID, u.ID, r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	b, err := decodeConnectionBody(r)
	if err != nil {
		return nil, nil, err
	}
	return c, b, nil
}

func (s *Server) handleUpdateConnection(w http.ResponseWriter, r *http.Request) error {
	c, b, err := s.psd2ConnectionRequest(r)
	if err != nil {
		return err
	}
	u := requestUser(r)
	if b.provider != nil && *b.provider != c.ProviderID {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid provider: a connection's provider cannot change")
	}
	p, err := s.Providers.FindProviderByID(r.Context(), c.ProviderID)
	if err != nil {
		return err
	}
	var creds map[string]string
	if len(b.values) > 0 {
		// Values not sent, null or empty keep their stored value (e.g. only
		// a new password), as in the funnel (docs/connectors.md).
		merged, err := s.Connections.FindConnectionCredentials(r.Context(), u.AppID, u.ID, c.ID)
		if err != nil {
			return err
		}
		for k, v := range b.values {
			if v != "" {
				merged[k] = v
			}
		}
		if creds, err = credentialsFor(p.Inputs["default"], merged); err != nil {
			return err
		}
	}
	if b.automaticSync != nil {
		c.AutomaticSync = *b.automaticSync
	}
	if err := noBackgroundSync(p, b, c); err != nil {
		return err
	}
	if b.redirectURI != nil {
		if err := checkRedirectURI(requestApp(r), *b.redirectURI); err != nil {
			return err
		}
		c.RedirectURI = *b.redirectURI
	}
	c.PSUIPAddress, c.PSUUserAgent = iswigo.ClientAddr(r), iswigo.ClientUserAgent(r)
	if err := s.Connections.UpdateConnectionCredentials(r.Context(), c, creds); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, connectionJSON(c))
	return nil
}

func (s *Server) handleListConnections(w http.ResponseWriter, r *http.Request) error {
	rng, err := requestRange(r)
	if err != nil {
		return err
	}
	u := requestUser(r)
	f := iswigo.ConnectionFilter{AppID: u.AppID, UserID: u.ID, Range: rng}
	if t := r.URL.Query().Get("filters[type]"); t != "" {
		providers, _, err := s.Providers.FindProviders(r.Context(), iswigo.ProviderFilter{Type: t, Range: iswigo.Range{From: 0, To: 1 << 30}})
		if err != nil {
			return err
		}
		f.ProviderIDs = []int{}
		for _, p := range providers {
			f.ProviderIDs = append(f.ProviderIDs, p.ID)
		}
	}
	conns, total, err := s.Connections.FindConnections(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]Connection, len(conns))
	for i, c := range conns {
		out[i] = connectionJSON(c)
	}
	s.writeList(w, r, "connections", rng, total, len(out), out)
	return nil
}

func (s *Server) handleGetConnection(w http.ResponseWriter, r *http.Request) error {
	u := requestUser(r)
	c, err := s.Connections.FindConnectionByID(r.Context(), u.AppID, u.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, connectionJSON(c))
	return nil
}

func (s *Server) handleDeleteConnection(w http.ResponseWriter, r *http.Request) error {
	u := requestUser(r)
	if err := s.Connections.DeleteConnection(r.Context(), u.AppID, u.ID, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
