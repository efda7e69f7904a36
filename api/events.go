// SPDX-License-Identifier: Apache-2.0

package api

import (
	"net/http"
)

func (s *Server) handleListEvents(w http.ResponseWriter, r *http.Request) error {
	rng, err := requestRange(r)
	if err != nil {
		return err
	}
	events, total, err := s.Events.FindEvents(r.Context(), requestApp(r).ID, rng)
	if err != nil {
		return err
	}
	out := make([]Event, len(events))
	for i, e := range events {
		out[i] = eventJSON(e)
	}
	s.writeList(w, r, "events", rng, total, len(out), out)
	return nil
}

func (s *Server) handleGetEvent(w http.ResponseWriter, r *http.Request) error {
	e, err := s.Events.FindEventByID(r.Context(), requestApp(r).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, eventJSON(e))
	return nil
}
