// SPDX-License-Identifier: Apache-2.0

package api

import (
	"net/http"
)

// handleSyncConnection queues an interactive sync (a person is present)
// unless one is queued or running, and answers with the status.
func (s *Server) handleSyncConnection(w http.ResponseWriter, r *http.Request) error {
	c, err := s.flow().Sync(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statusJSON(c))
	return nil
}

// handleSyncAll queues a sync of each of the user's connections.
func (s *Server) handleSyncAll(w http.ResponseWriter, r *http.Request) error {
	conns, err := s.flow().SyncAll(r.Context(), actor(r), nil)
	if err != nil {
		return err
	}
	out := make([]Status, len(conns))
	for i, c := range conns {
		out[i] = statusJSON(c)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) handleConnectionStatus(w http.ResponseWriter, r *http.Request) error {
	u := requestUser(r)
	c, err := s.Connections.FindConnectionByID(r.Context(), u.AppID, u.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statusJSON(c))
	return nil
}

// handleConnectionStep answers the step a sync waits for (PSD2 only). The
// keys are validated against the step's input set.
func (s *Server) handleConnectionStep(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	c, b, err := s.psd2ConnectionRequest(r, a)
	if err != nil {
		return err
	}
	if c, err = s.flow().AnswerStep(r.Context(), a, c, b.values); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statusJSON(c))
	return nil
}
