// SPDX-License-Identifier: Apache-2.0

package api

import (
	"encoding/json"
	"net/http"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connflow"
)

// flow is the connection use cases over the server's services.
func (s *Server) flow() *connflow.Service {
	return &connflow.Service{Connections: s.Connections, Providers: s.Providers, Callbacks: s.Callbacks}
}

// actor is who asks in r: the signed application, its user (when the
// route has one) and the person present.
func actor(r *http.Request) connflow.Actor {
	return connflow.Actor{App: requestApp(r), User: requestUser(r),
		Person: connflow.Person{IPAddress: iswigo.ClientAddr(r), UserAgent: iswigo.ClientUserAgent(r)}}
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
			if len(s) > connflow.MaxValueLength {
				return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid %s: too long", key)
			}
			b.values[key] = s
		}
	}
	return b, nil
}

func (s *Server) handleCreateConnection(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	b, err := decodeConnectionBody(r)
	if err != nil {
		// A refused application hears that first, as for any body.
		if refused := connflow.RequirePSD2(a); refused != nil {
			return refused
		}
		return err
	}
	c, err := s.flow().Create(r.Context(), a, connflow.CreateRequest{ProviderID: b.provider, Values: b.values,
		AutomaticSync: b.automaticSync, RedirectURI: b.redirectURI})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, connectionJSON(c))
	return nil
}

// psd2ConnectionRequest reads a PSD2-only request on the user's
// connection {id}: the connection and the decoded body, in that order.
func (s *Server) psd2ConnectionRequest(r *http.Request, a connflow.Actor) (*iswigo.Connection, *connectionBody, error) {
	if err := connflow.RequirePSD2(a); err != nil {
		return nil, nil, err
	}
	c, err := s.flow().Connection(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	b, err := decodeConnectionBody(r)
	if err != nil {
		return nil, nil, err
	}
	return c, b, nil
}

// handleUpdateConnection edits a connection. Credentials not sent, null or
// empty keep their stored value (connflow.EditRequest); a body without
// any leaves the credentials alone and queues no synchronization.
func (s *Server) handleUpdateConnection(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	c, b, err := s.psd2ConnectionRequest(r, a)
	if err != nil {
		return err
	}
	edit := connflow.EditRequest{ProviderID: b.provider, AutomaticSync: b.automaticSync, RedirectURI: b.redirectURI}
	if len(b.values) > 0 {
		edit.Values = b.values
	}
	if c, err = s.flow().Edit(r.Context(), a, c, edit); err != nil {
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
