// SPDX-License-Identifier: Apache-2.0

package api

import (
	"net/http"
	"strconv"

	"github.com/iswigo/iswigo"
)

func (s *Server) handleListProviders(w http.ResponseWriter, r *http.Request) error {
	rng, err := requestRange(r)
	if err != nil {
		return err
	}
	providers, total, err := s.Providers.FindProviders(r.Context(), iswigo.ProviderFilter{Type: r.URL.Query().Get("filters[type]"), Range: rng})
	if err != nil {
		return err
	}
	out := make([]Provider, len(providers))
	for i, p := range providers {
		out[i] = providerJSON(p)
	}
	s.writeList(w, r, "providers", rng, total, len(out), out)
	return nil
}

func (s *Server) handleGetProvider(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil || id <= 0 {
		return iswigo.Errorf(iswigo.ENOTFOUND, "Provider not found")
	}
	p, err := s.Providers.FindProviderByID(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, providerJSON(p))
	return nil
}
