// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"context"
	"time"
)

// ProviderCatalog is a connector family that publishes many providers
// discovered at run time (Enable Banking's bank list, woob's modules),
// instead of one provider compiled in.
//
// The registry allocates one provider_id per (Family, Entry.Key) the first
// time it sees the pair, stores it, and never reuses or renumbers it. A key
// that a later List no longer returns keeps its id and is published with
// Status "unavailable"; it becomes available again when it comes back.
type ProviderCatalog interface {
	// Family names the catalogue ("enablebanking", "woob"). Stable forever:
	// ids are keyed by it.
	Family() string
	// List returns the family's current providers. It is called at start
	// and then every RefreshInterval. An error keeps the previous list.
	List(ctx context.Context) ([]CatalogEntry, error)
	// RefreshInterval is how often List is called again; 0 = at start only.
	RefreshInterval() time.Duration
}

// CatalogEntry is one provider of a catalogue.
type CatalogEntry struct {
	// Key identifies the provider within its family, stable across calls
	// and restarts (a woob module name, an Enable Banking "name|country").
	Key string
	// Provider describes it. Its ID is ignored: the registry sets it.
	Provider Provider
	// Connector synchronizes its connections. Its Provider method is not
	// called for catalogue entries (the entry's Provider is used).
	Connector Connector
}

// ProviderIDStore keeps the provider ids allocated to catalogue entries.
type ProviderIDStore interface {
	// AllocateProviderIDs returns the id of every key of family, allocating
	// new ids (never below CatalogFirstProviderID, never reused) to keys
	// seen for the first time, in one transaction.
	AllocateProviderIDs(ctx context.Context, family string, keys []string) (map[string]int, error)
}

// CatalogFirstProviderID is the lowest id given to catalogue providers;
// ids below it belong to the compiled-in providers (sandbox 990–999,
// statement import 900, SimpleFIN Bridge 910, …).
const CatalogFirstProviderID = 10000

// CatalogStore is a ProviderIDStore that also keeps the last known
// description of every catalogue provider, so that a provider gone from
// its catalogue is still described (as "unavailable") after a restart.
type CatalogStore interface {
	ProviderIDStore
	// SaveCatalogProviders stores the description of each provider of
	// family (their IDs set), by key, replacing the previous ones of those
	// keys; other keys keep theirs.
	SaveCatalogProviders(ctx context.Context, family string, entries []CatalogEntry) error
	// FindCatalogProviders returns every provider ever stored for family,
	// with its id and last description (Connector nil).
	FindCatalogProviders(ctx context.Context, family string) ([]CatalogEntry, error)
}
