// SPDX-License-Identifier: Apache-2.0

// Package connector holds the registry of connectors and what connectors
// share. Connectors themselves live in subpackages (sandbox, …); the
// standard test every connector passes is connectortest.
package connector

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iswigo/iswigo"
)

// Registry is the set of connectors a server runs, by provider id: the
// compiled-in ones given to NewRegistry and the providers of the
// catalogues added with AddCatalog. Reads are safe from any goroutine and
// never wait: they see an immutable snapshot that a catalogue refresh
// replaces whole.
type Registry struct {
	static []entry // compiled-in, immutable
	snap   atomic.Pointer[snapshot]

	mu       sync.Mutex // serializes rebuilds; guards catalogs
	catalogs []*catalogState
	// Logger receives refresh failures. Defaults to slog.Default().
	Logger *slog.Logger
}

// entry is one provider and its connector (nil for an unavailable
// catalogue provider).
type entry struct {
	provider  *iswigo.Provider
	connector iswigo.Connector
	lowerName string
	folded    string // iswigo.FoldName of the name, for searches
}

// newEntry returns the entry of p, its names for searches computed once.
func newEntry(p *iswigo.Provider, c iswigo.Connector) entry {
	return entry{provider: p, connector: c, lowerName: strings.ToLower(p.Name), folded: iswigo.FoldName(p.Name)}
}

// snapshot is what reads see. Immutable once published.
type snapshot struct {
	byID     map[int]*entry
	byIDList []*entry            // sorted by id
	byName   []*entry            // sorted by lower-case name, then id
	ofType   map[string][]*entry // by id, per provider type
	// countries are the sorted countries of the available providers, per
	// provider type ("" = any).
	countries map[string][]string
}

// catalogState is one catalogue and its last known providers by key.
type catalogState struct {
	catalog iswigo.ProviderCatalog
	store   iswigo.CatalogStore
	byKey   map[string]*entry
}

var (
	_ iswigo.ProviderService        = (*Registry)(nil)
	_ iswigo.ProviderCountryService = (*Registry)(nil)
)

// NewRegistry returns a registry of conns. Two connectors with the same
// provider id, or a provider without a "default" input set, is an error.
func NewRegistry(conns ...iswigo.Connector) (*Registry, error) {
	r := &Registry{}
	seen := map[int]bool{}
	for _, c := range conns {
		p := c.Provider()
		if seen[p.ID] {
			return nil, fmt.Errorf("two connectors for provider %d", p.ID)
		}
		if err := checkProvider(&p); err != nil {
			return nil, err
		}
		if p.ID >= iswigo.CatalogFirstProviderID {
			return nil, fmt.Errorf("provider %d (%s): ids from %d are for catalogues", p.ID, p.Name, iswigo.CatalogFirstProviderID)
		}
		seen[p.ID] = true
		r.static = append(r.static, newEntry(&p, c))
	}
	r.rebuild()
	return r, nil
}

func checkProvider(p *iswigo.Provider) error {
	if _, ok := p.Inputs["default"]; !ok || p.ID <= 0 {
		return fmt.Errorf("provider %d (%s): needs a positive id and a default input set", p.ID, p.Name)
	}
	if p.Status == "" {
		p.Status = "available"
	}
	return nil
}

// AddCatalog adds a catalogue whose ids and descriptions store keeps. It
// publishes the providers stored from earlier runs (unavailable until
// listed again), then lists the catalogue once; a listing error is
// returned and leaves the stored providers, unavailable. Refresh later
// with Run.
func (r *Registry) AddCatalog(ctx context.Context, c iswigo.ProviderCatalog, store iswigo.CatalogStore) error {
	cs := &catalogState{catalog: c, store: store, byKey: map[string]*entry{}}
	stored, err := store.FindCatalogProviders(ctx, c.Family())
	if err != nil {
		return fmt.Errorf("catalog %s: %w", c.Family(), err)
	}
	for _, e := range stored {
		p := e.Provider
		p.Status = "unavailable"
		ne := newEntry(&p, nil)
		cs.byKey[e.Key] = &ne
	}
	r.mu.Lock()
	for _, other := range r.catalogs {
		if other.catalog.Family() == c.Family() {
			r.mu.Unlock()
			return fmt.Errorf("catalog %s added twice", c.Family())
		}
	}
	r.catalogs = append(r.catalogs, cs)
	r.rebuildLocked()
	r.mu.Unlock()
	return r.Refresh(ctx, c.Family())
}

// Refresh lists the catalogue of family again: new keys get new ids,
// known keys keep theirs with their new description, and keys no longer
// listed become "unavailable" (never renumbered). On error the previous
// providers stay.
func (r *Registry) Refresh(ctx context.Context, family string) error {
	r.mu.Lock()
	var cs *catalogState
	for _, c := range r.catalogs {
		if c.catalog.Family() == family {
			cs = c
		}
	}
	r.mu.Unlock()
	if cs == nil {
		return fmt.Errorf("no catalog %s", family)
	}
	list, err := cs.catalog.List(ctx)
	if err != nil {
		return fmt.Errorf("list catalog %s: %w", family, err)
	}
	keys := make([]string, 0, len(list))
	for _, e := range list {
		keys = append(keys, e.Key)
	}
	ids, err := cs.store.AllocateProviderIDs(ctx, family, keys)
	if err != nil {
		return fmt.Errorf("catalog %s ids: %w", family, err)
	}
	fresh := map[string]*entry{}
	saved := make([]iswigo.CatalogEntry, 0, len(list))
	for _, e := range list {
		if _, dup := fresh[e.Key]; dup || e.Connector == nil {
			continue
		}
		p := e.Provider
		p.ID = ids[e.Key]
		if err := checkProvider(&p); err != nil {
			return fmt.Errorf("catalog %s key %q: %w", family, e.Key, err)
		}
		p.Status = "available"
		ne := newEntry(&p, e.Connector)
		fresh[e.Key] = &ne
		saved = append(saved, iswigo.CatalogEntry{Key: e.Key, Provider: p})
	}
	if err := cs.store.SaveCatalogProviders(ctx, family, saved); err != nil {
		return fmt.Errorf("catalog %s: %w", family, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, old := range cs.byKey {
		if _, ok := fresh[k]; !ok {
			p := *old.provider
			p.Status = "unavailable"
			fresh[k] = &entry{provider: &p, lowerName: old.lowerName, folded: old.folded}
		}
	}
	cs.byKey = fresh
	r.rebuildLocked()
	return nil
}

// Run refreshes every catalogue with a RefreshInterval, each at its own
// pace, until ctx is done. A failed refresh is logged and keeps the
// previous providers.
func (r *Registry) Run(ctx context.Context) {
	r.mu.Lock()
	catalogs := append([]*catalogState(nil), r.catalogs...)
	r.mu.Unlock()
	logger := r.Logger
	if logger == nil {
		logger = slog.Default()
	}
	var wg sync.WaitGroup
	for _, cs := range catalogs {
		every := cs.catalog.RefreshInterval()
		if every <= 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(every)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
				if err := r.Refresh(ctx, cs.catalog.Family()); err != nil && ctx.Err() == nil {
					logger.Warn("catalog refresh failed", "family", cs.catalog.Family(), "error", err)
				}
			}
		}()
	}
	wg.Wait()
}

func (r *Registry) rebuild() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rebuildLocked()
}

// rebuildLocked publishes a new snapshot of the static and catalogue
// providers. A catalogue provider whose id a compiled-in one holds is
// skipped (ids below CatalogFirstProviderID cannot be allocated anyway).
func (r *Registry) rebuildLocked() {
	s := &snapshot{byID: map[int]*entry{}, ofType: map[string][]*entry{}}
	add := func(e *entry) {
		if _, dup := s.byID[e.provider.ID]; dup {
			return
		}
		s.byID[e.provider.ID] = e
		s.byIDList = append(s.byIDList, e)
	}
	for i := range r.static {
		add(&r.static[i])
	}
	for _, cs := range r.catalogs {
		for _, e := range cs.byKey {
			add(e)
		}
	}
	sort.Slice(s.byIDList, func(i, j int) bool { return s.byIDList[i].provider.ID < s.byIDList[j].provider.ID })
	for _, e := range s.byIDList {
		for _, t := range e.provider.Types {
			s.ofType[t] = append(s.ofType[t], e)
		}
	}
	s.byName = append([]*entry(nil), s.byIDList...)
	sort.SliceStable(s.byName, func(i, j int) bool { return s.byName[i].lowerName < s.byName[j].lowerName })
	s.countries = countriesOf(s.byIDList)
	r.snap.Store(s)
}

// countriesOf returns the sorted countries of the available providers of
// list, per provider type and for "" (any type).
func countriesOf(list []*entry) map[string][]string {
	seen := map[string]map[string]bool{}
	add := func(t, c string) {
		if seen[t] == nil {
			seen[t] = map[string]bool{}
		}
		seen[t][c] = true
	}
	for _, e := range list {
		c := strings.ToUpper(e.provider.Country)
		if c == "" || e.provider.Status == "unavailable" {
			continue
		}
		add("", c)
		for _, t := range e.provider.Types {
			add(t, c)
		}
	}
	out := map[string][]string{}
	for t, cs := range seen {
		for c := range cs {
			out[t] = append(out[t], c)
		}
		sort.Strings(out[t])
	}
	return out
}

// ProviderCountries implements iswigo.ProviderCountryService from the
// snapshot: no pass over the providers.
func (r *Registry) ProviderCountries(_ context.Context, providerType string) ([]string, error) {
	return append([]string{}, r.snap.Load().countries[providerType]...), nil
}

// Connector returns the connector of an available provider. The returned
// connector's Provider method describes the provider as the registry
// publishes it.
func (r *Registry) Connector(providerID int) (iswigo.Connector, bool) {
	e, ok := r.snap.Load().byID[providerID]
	if !ok || e.connector == nil {
		return nil, false
	}
	return describedConnector{e.connector, e.provider}, true
}

// describedConnector is a connector with the registry's description.
type describedConnector struct {
	iswigo.Connector
	provider *iswigo.Provider
}

func (c describedConnector) Provider() iswigo.Provider { return *c.provider }

// FindProviders implements iswigo.ProviderService. The providers returned
// are shared: callers must not modify them.
func (r *Registry) FindProviders(_ context.Context, f iswigo.ProviderFilter) ([]*iswigo.Provider, int, error) {
	s := r.snap.Load()
	list := s.byIDList
	switch {
	case f.ByName:
		list = s.byName
	case f.Type != "":
		list = s.ofType[f.Type]
	}
	filtered := f.Name != "" || f.Country != "" || f.AvailableOnly || len(f.Words) > 0 || (f.ByName && f.Type != "")
	if !filtered {
		total := len(list)
		if f.Range.From >= total {
			return []*iswigo.Provider{}, total, nil
		}
		page := list[f.Range.From:min(f.Range.To+1, total)]
		out := make([]*iswigo.Provider, len(page))
		for i, e := range page {
			out[i] = e.provider
		}
		return out, total, nil
	}
	name := strings.ToLower(f.Name)
	out := []*iswigo.Provider{}
	total := 0
	for _, e := range list {
		p := e.provider
		if (f.Type != "" && !p.HasType(f.Type)) || (f.Country != "" && !strings.EqualFold(p.Country, f.Country)) ||
			(f.AvailableOnly && p.Status == "unavailable") || (name != "" && !strings.Contains(e.lowerName, name)) ||
			(len(f.Words) > 0 && !iswigo.MatchesWords(e.folded, f.Words)) {
			continue
		}
		if total >= f.Range.From && total <= f.Range.To {
			out = append(out, p)
		}
		total++
	}
	return out, total, nil
}

// FindProviderByID implements iswigo.ProviderService. Unavailable
// catalogue providers are found, with Status "unavailable".
func (r *Registry) FindProviderByID(_ context.Context, id int) (*iswigo.Provider, error) {
	if e, ok := r.snap.Load().byID[id]; ok {
		p := *e.provider
		return &p, nil
	}
	return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Provider not found")
}

// ProviderIDs returns the ids of the providers of type t.
func (r *Registry) ProviderIDs(t string) []int {
	ids := []int{}
	for _, e := range r.snap.Load().ofType[t] {
		ids = append(ids, e.provider.ID)
	}
	return ids
}

// UnattendedDailyLimit returns the provider's limit of background syncs
// per day (0 = none, also for an unknown provider).
func (r *Registry) UnattendedDailyLimit(providerID int) int {
	if e, ok := r.snap.Load().byID[providerID]; ok {
		return e.provider.Properties.UnattendedDailyLimit
	}
	return 0
}
