// SPDX-License-Identifier: Apache-2.0

package connector_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// namedBank is a compiled-in provider of the search test.
type namedBank struct {
	id            int
	name, country string
	types         []string
}

func (b namedBank) Provider() iswigo.Provider {
	return iswigo.Provider{ID: b.id, Name: b.name, Country: b.country, Types: b.types, Inputs: map[string]iswigo.InputSet{"default": {}}}
}
func (namedBank) Sync(context.Context, iswigo.SyncSession) error { return nil }

// TestRegistryWordsAndCountries: the Words filter matches the start of a
// word of the folded name, in any order, with the type, country and
// availability filters, paged with the total of every match; the
// countries per type are those of the available providers only, and
// follow a catalogue refresh.
func TestRegistryWordsAndCountries(t *testing.T) {
	ctx := context.Background()
	r, err := connector.NewRegistry(
		namedBank{1, "Société Générale", "FR", []string{"bank"}},
		namedBank{2, "Crédit Agricole d'Île-de-France", "fr", []string{"bank", "document"}},
		namedBank{3, "Banco Ñandú Mediterráneo", "ES", []string{"bank"}},
		namedBank{4, "Générale d'Énergie", "BE", []string{"document"}},
	)
	if err != nil {
		t.Fatal(err)
	}
	names := func(f iswigo.ProviderFilter) string {
		t.Helper()
		ps, total, err := r.FindProviders(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range ps {
			out = append(out, p.Name)
		}
		return fmt.Sprintf("%d %q", total, out)
	}
	all := iswigo.Range{From: 0, To: 99}
	for _, c := range []struct {
		f    iswigo.ProviderFilter
		want string
	}{
		{iswigo.ProviderFilter{Words: iswigo.SearchWords("generale SOC"), Range: all, ByName: true}, `1 ["Société Générale"]`},
		{iswigo.ProviderFilter{Words: iswigo.SearchWords("générale"), Range: all, ByName: true}, `2 ["Générale d'Énergie" "Société Générale"]`},
		{iswigo.ProviderFilter{Words: iswigo.SearchWords("generale"), Type: "bank", Range: all, ByName: true}, `1 ["Société Générale"]`},
		{iswigo.ProviderFilter{Words: iswigo.SearchWords("ile france"), Country: "FR", Range: all}, `1 ["Crédit Agricole d'Île-de-France"]`},
		{iswigo.ProviderFilter{Words: iswigo.SearchWords("nandu"), Country: "FR", Range: all}, `0 []`},
		{iswigo.ProviderFilter{Words: iswigo.SearchWords("eneral"), Range: all}, `0 []`},
		{iswigo.ProviderFilter{Type: "bank", ByName: true, Range: iswigo.Range{From: 1, To: 1}}, `3 ["Crédit Agricole d'Île-de-France"]`},
	} {
		if got := names(c.f); got != c.want {
			t.Errorf("%+v: %s; want %s", c.f, got, c.want)
		}
	}
	countries := func(typ string) string {
		t.Helper()
		cs, err := r.ProviderCountries(ctx, typ)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(cs)
	}
	if got := countries("bank"); got != "[ES FR]" {
		t.Errorf("bank countries %s", got)
	}
	if got := countries(""); got != "[BE ES FR]" {
		t.Errorf("countries %s", got)
	}
	if got := countries("pets"); got != "[]" {
		t.Errorf("pets countries %s", got)
	}
	// A catalogue provider counts while available, not once it vanished.
	cat := &fakeCatalog{}
	cat.set("de1")
	if err := r.AddCatalog(ctx, catalogOf(cat, "DE"), sqldbtest.Open(t, sqldb.SQLite)); err != nil {
		t.Fatal(err)
	}
	if got := countries("bank"); got != "[DE ES FR]" {
		t.Errorf("with the catalogue: %s", got)
	}
	cat.set()
	if err := r.Refresh(ctx, "fake"); err != nil {
		t.Fatal(err)
	}
	if got := countries("bank"); got != "[ES FR]" {
		t.Errorf("after the catalogue's bank vanished: %s", got)
	}
	if got := names(iswigo.ProviderFilter{Words: iswigo.SearchWords("bank de1"), Range: all}); got != `1 ["Bank de1"]` {
		t.Errorf("an unavailable provider is still found without AvailableOnly: %s", got)
	}
	if got := names(iswigo.ProviderFilter{Words: iswigo.SearchWords("bank de1"), AvailableOnly: true, Range: all}); got != `0 []` {
		t.Errorf("AvailableOnly: %s", got)
	}
}

// countryCatalog is a fakeCatalog whose banks are of one country.
type countryCatalog struct {
	*fakeCatalog
	country string
}

func catalogOf(c *fakeCatalog, country string) countryCatalog { return countryCatalog{c, country} }

func (c countryCatalog) List(ctx context.Context) ([]iswigo.CatalogEntry, error) {
	list, err := c.fakeCatalog.List(ctx)
	for i := range list {
		list[i].Provider.Country = c.country
	}
	return list, err
}
