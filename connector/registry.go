// Package connector holds the registry of connectors and what connectors
// share. Connectors themselves live in subpackages (sandbox, …); the
// standard test every connector passes is connectortest.
package connector

import (
	"context"
	"fmt"
	"sort"

	"github.com/iswigo/iswigo"
)

// Registry is the set of connectors a server runs, by provider id. It is
// built once at start (cmd/iswigo) and read-only afterwards.
type Registry struct {
	byID      map[int]iswigo.Connector
	providers []*iswigo.Provider // sorted by id
}

var _ iswigo.ProviderService = (*Registry)(nil)

// NewRegistry returns a registry of conns. Two connectors with the same
// provider id, or a provider without a "default" input set, is an error.
func NewRegistry(conns ...iswigo.Connector) (*Registry, error) {
	r := &Registry{byID: map[int]iswigo.Connector{}}
	for _, c := range conns {
		p := c.Provider()
		if _, dup := r.byID[p.ID]; dup {
			return nil, fmt.Errorf("two connectors for provider %d", p.ID)
		}
		if _, ok := p.Inputs["default"]; !ok || p.ID <= 0 {
			return nil, fmt.Errorf("provider %d (%s): needs a positive id and a default input set", p.ID, p.Name)
		}
		r.byID[p.ID] = c
		r.providers = append(r.providers, &p)
	}
	sort.Slice(r.providers, func(i, j int) bool { return r.providers[i].ID < r.providers[j].ID })
	return r, nil
}

// Connector returns the connector of a provider.
func (r *Registry) Connector(providerID int) (iswigo.Connector, bool) {
	c, ok := r.byID[providerID]
	return c, ok
}

// FindProviders implements iswigo.ProviderService.
func (r *Registry) FindProviders(_ context.Context, f iswigo.ProviderFilter) ([]*iswigo.Provider, int, error) {
	var matched []*iswigo.Provider
	for _, p := range r.providers {
		if f.Type == "" || p.HasType(f.Type) {
			matched = append(matched, p)
		}
	}
	total := len(matched)
	if f.Range.From >= total {
		return []*iswigo.Provider{}, total, nil
	}
	return matched[f.Range.From:min(f.Range.To+1, total)], total, nil
}

// FindProviderByID implements iswigo.ProviderService.
func (r *Registry) FindProviderByID(_ context.Context, id int) (*iswigo.Provider, error) {
	if c, ok := r.byID[id]; ok {
		p := c.Provider()
		return &p, nil
	}
	return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Provider not found")
}

// ProviderIDs returns the ids of the providers of type t.
func (r *Registry) ProviderIDs(t string) []int {
	ids := []int{}
	for _, p := range r.providers {
		if p.HasType(t) {
			ids = append(ids, p.ID)
		}
	}
	return ids
}
