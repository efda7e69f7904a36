// SPDX-License-Identifier: Apache-2.0

package connector_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// fakeCatalog lists the banks it is told to, by key.
type fakeCatalog struct {
	mu   sync.Mutex
	keys []string
	err  error
}

func (c *fakeCatalog) Family() string                 { return "fake" }
func (c *fakeCatalog) RefreshInterval() time.Duration { return 0 }

func (c *fakeCatalog) set(keys ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.keys = keys
}

func (c *fakeCatalog) List(context.Context) ([]iswigo.CatalogEntry, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return nil, c.err
	}
	var out []iswigo.CatalogEntry
	for _, k := range c.keys {
		out = append(out, catalogEntry(k))
	}
	return out, nil
}

func catalogEntry(key string) iswigo.CatalogEntry {
	return iswigo.CatalogEntry{Key: key, Connector: nopConnector{},
		Provider: iswigo.Provider{Name: "Bank " + key, Types: []string{iswigo.ProviderTypeBank}, Country: "FR",
			Inputs: map[string]iswigo.InputSet{"default": {}}}}
}

type nopConnector struct{}

func (nopConnector) Provider() iswigo.Provider                      { return iswigo.Provider{} }
func (nopConnector) Sync(context.Context, iswigo.SyncSession) error { return nil }

func providerIDs(t *testing.T, r *connector.Registry) map[string]int {
	t.Helper()
	ps, _, err := r.FindProviders(context.Background(), iswigo.ProviderFilter{Range: iswigo.Range{From: 0, To: 1 << 20}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, p := range ps {
		out[p.Name+"/"+p.Status] = p.ID
	}
	return out
}

// TestCatalogIDsStable: ids survive restarts, a vanished key is
// unavailable (after a restart too) and keeps its id, a new key gets a new
// id, and a returning key is available again under its old id.
func TestCatalogIDsStable(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			cfg := sqldbtest.Config(t, d)
			open := func(keys ...string) (*connector.Registry, *fakeCatalog) {
				db := sqldbtest.OpenConfig(t, cfg)
				r, err := connector.NewRegistry()
				if err != nil {
					t.Fatal(err)
				}
				cat := &fakeCatalog{keys: keys}
				if err := r.AddCatalog(ctx, cat, db); err != nil {
					t.Fatal(err)
				}
				return r, cat
			}
			r1, _ := open("a|FR", "b|FR", "c|DE")
			first := providerIDs(t, r1)
			want := map[string]int{"Bank a|FR/available": 10000, "Bank b|FR/available": 10001, "Bank c|DE/available": 10002}
			if fmt.Sprint(first) != fmt.Sprint(want) {
				t.Fatalf("first run: %v, want %v", first, want)
			}
			// Restart with a shrunk list and a new bank.
			r2, cat := open("c|DE", "d|FR")
			got := providerIDs(t, r2)
			want = map[string]int{"Bank a|FR/unavailable": 10000, "Bank b|FR/unavailable": 10001,
				"Bank c|DE/available": 10002, "Bank d|FR/available": 10003}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("after restart: %v, want %v", got, want)
			}
			if _, ok := r2.Connector(10000); ok {
				t.Fatal("an unavailable provider has a connector")
			}
			if c, ok := r2.Connector(10002); !ok || c.Provider().ID != 10002 || c.Provider().Name != "Bank c|DE" {
				t.Fatalf("connector of 10002: %v %+v", ok, c)
			}
			// A failing refresh keeps the list.
			cat.err = fmt.Errorf("down")
			if err := r2.Refresh(ctx, "fake"); err == nil {
				t.Fatal("refresh error not reported")
			}
			if got2 := providerIDs(t, r2); fmt.Sprint(got2) != fmt.Sprint(want) {
				t.Fatalf("after failed refresh: %v", got2)
			}
			// a comes back: same id; d leaves.
			cat.err = nil
			cat.set("a|FR", "c|DE")
			if err := r2.Refresh(ctx, "fake"); err != nil {
				t.Fatal(err)
			}
			want = map[string]int{"Bank a|FR/available": 10000, "Bank b|FR/unavailable": 10001,
				"Bank c|DE/available": 10002, "Bank d|FR/unavailable": 10003}
			if got := providerIDs(t, r2); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("after refresh: %v, want %v", got, want)
			}
			// The catalogue is down at the next start: the stored providers stay, unavailable.
			db := sqldbtest.OpenConfig(t, cfg)
			r3, _ := connector.NewRegistry()
			if err := r3.AddCatalog(ctx, &fakeCatalog{err: fmt.Errorf("down")}, db); err == nil {
				t.Fatal("listing error not reported")
			}
			if n := len(providerIDs(t, r3)); n != 4 {
				t.Fatalf("%d providers known while the catalogue is down, want 4", n)
			}
			p, err := r3.FindProviderByID(ctx, 10003)
			if err != nil || p.Status != "unavailable" || p.Name != "Bank d|FR" {
				t.Fatalf("provider 10003: %+v %v", p, err)
			}
		})
	}
}
