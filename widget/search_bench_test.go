// SPDX-License-Identifier: Apache-2.0

package widget

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// manyBanks is the catalogue of BenchmarkFunnelSearch: 10,000 providers
// of 4 countries (the size of Enable Banking's).
type manyBanks struct{}

func (manyBanks) Family() string                 { return "bench" }
func (manyBanks) RefreshInterval() time.Duration { return 0 }
func (manyBanks) List(context.Context) ([]iswigo.CatalogEntry, error) {
	countries := []string{"FR", "DE", "ES", "IT"}
	var out []iswigo.CatalogEntry
	for i := range 10000 {
		out = append(out, iswigo.CatalogEntry{Key: strconv.Itoa(i), Connector: manyBank{}, Provider: iswigo.Provider{
			Name: fmt.Sprintf("Banque Régionale n°%d de l'Été", i), Country: countries[i%4], Types: []string{"bank"},
			Inputs: map[string]iswigo.InputSet{"default": {Inputs: []iswigo.Input{{Name: "login", Type: "text", Varname: "login"}}}}}})
	}
	return out, nil
}

// manyBank is the connector of manyBanks' providers; never run.
type manyBank struct{}

func (manyBank) Provider() iswigo.Provider                      { return iswigo.Provider{} }
func (manyBank) Sync(context.Context, iswigo.SyncSession) error { return nil }

// fixedUsage is the application's usage of BenchmarkFunnelSearch: a few
// providers used, as in a real application.
type fixedUsage map[int]int

func (u fixedUsage) ProviderUsage(context.Context, string) (map[int]int, error) { return u, nil }

// BenchmarkFunnelSearch is the funnel's provider search (POST
// api/providers, as routed) among 10,000 providers of 4 countries, with
// the application's usage: a query of two words in the wrong order that
// finds one, a one-word prefix that finds a thousand, and no query (the
// list as the screen opens). See docs/benchmarks.md.
func BenchmarkFunnelSearch(b *testing.B) {
	reg, err := connector.NewRegistry()
	if err != nil {
		b.Fatal(err)
	}
	if err := reg.AddCatalog(context.Background(), manyBanks{}, sqldbtest.Open(b, sqldb.SQLite)); err != nil {
		b.Fatal(err)
	}
	first := iswigo.CatalogFirstProviderID
	h := &Handler{Providers: reg, Usage: fixedUsage{first + 17: 40, first + 4242: 12, first + 9999: 3}}
	h.init()
	sc := &sessionContext{session: &iswigo.FunnelSession{Action: iswigo.FunnelCreate, Type: "bank"}, user: &iswigo.User{AppID: "app"}}
	for _, c := range []struct {
		name, body string
		total      string
	}{
		{"words", `{"query":"ete regionale 9999"}`, `"total":1}`},
		{"prefix", `{"query":"n 1"}`, `"total":1111}`},
		{"all", `{"query":""}`, `"total":10000}`},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				w := httptest.NewRecorder()
				r := httptest.NewRequest(http.MethodPost, "/widget/api/providers", strings.NewReader(c.body))
				r.Header.Set("Content-Type", "application/json")
				if err := h.routes["providers"](w, r, sc); err != nil {
					b.Fatal(err)
				}
				if !strings.Contains(w.Body.String(), c.total) {
					b.Fatalf("%s: %.300s", c.name, w.Body.String())
				}
			}
		})
	}
}

// TestProviderSearchOrder: among the catalogue's providers, the
// application's most used that match come first (most used first), then
// the others by name, a page at most with the total of every match; the
// countries are those of the session's providers; a session fixed on a
// country or a provider offers those alone.
func TestProviderSearchOrder(t *testing.T) {
	reg, err := connector.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.AddCatalog(context.Background(), manyBanks{}, sqldbtest.Open(t, sqldb.SQLite)); err != nil {
		t.Fatal(err)
	}
	first := iswigo.CatalogFirstProviderID
	h := &Handler{Providers: reg, Usage: fixedUsage{first + 17: 40, first + 4242: 12, first + 9999: 3}}
	h.init()
	search := func(s *iswigo.FunnelSession, words, country string) string {
		t.Helper()
		found, total, countries, err := h.searchProviders(context.Background(), &sessionContext{session: s, user: &iswigo.User{AppID: "app"}},
			iswigo.SearchWords(words), country)
		if err != nil {
			t.Fatal(err)
		}
		ids := []int{}
		for _, p := range found[:min(len(found), 5)] {
			ids = append(ids, p.ID-first)
		}
		return fmt.Sprintf("%d %d %v %v", len(found), total, ids, countries)
	}
	bank := &iswigo.FunnelSession{Action: iswigo.FunnelCreate, Type: "bank"}
	for _, c := range []struct {
		s              *iswigo.FunnelSession
		words, country string
		want           string
	}{
		// By name (n°0, n°1, n°10, n°100, n°1000, n°1001…), the used ones
		// first; bank i is of country i%4 (FR, DE, ES, IT).
		{bank, "", "", "50 10000 [17 4242 9999 0 1] [DE ES FR IT]"},
		{bank, "regionale 42", "", "50 111 [4242 42 420 4200 4201] [DE ES FR IT]"},
		{bank, "ete 9999", "", "1 1 [9999] [DE ES FR IT]"},
		{bank, "", "es", "50 2500 [4242 10 1002 1006 1010] [DE ES FR IT]"},
		{bank, "9999 regionale", "ES", "0 0 [] [DE ES FR IT]"},
		{&iswigo.FunnelSession{Action: iswigo.FunnelCreate, Type: "bank", Country: "IT"}, "", "", "50 2500 [9999 1003 1007 1011 1015] [IT]"},
		{&iswigo.FunnelSession{Action: iswigo.FunnelCreate, Type: "bank", Country: "IT"}, "", "FR", "0 0 [] [IT]"},
		{&iswigo.FunnelSession{Action: iswigo.FunnelCreate, Type: "document"}, "", "", "0 0 [] []"},
		{&iswigo.FunnelSession{Action: iswigo.FunnelCreate, ProviderID: first + 5}, "", "", "1 1 [5] [DE]"},
		{&iswigo.FunnelSession{Action: iswigo.FunnelCreate, ProviderID: first + 5}, "nope", "", "0 0 [] [DE]"},
	} {
		if got := search(c.s, c.words, c.country); got != c.want {
			t.Errorf("%+v %q %q: %s; want %s", *c.s, c.words, c.country, got, c.want)
		}
	}
}
