// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
)

// bankCatalog lists n generated banks (a catalogue such as Enable Banking's).
type bankCatalog struct{ n int }

func (bankCatalog) Family() string                 { return "bench" }
func (bankCatalog) RefreshInterval() time.Duration { return 0 }

func (c bankCatalog) List(context.Context) ([]iswigo.CatalogEntry, error) {
	out := make([]iswigo.CatalogEntry, c.n)
	countries := []string{"FR", "DE", "ES", "IT", "FI"}
	for i := range out {
		country := countries[i%len(countries)]
		out[i] = iswigo.CatalogEntry{Key: fmt.Sprintf("Bank %05d|%s", i, country), Connector: bigDocConnector{},
			Provider: iswigo.Provider{Name: fmt.Sprintf("Banque Exemple %05d", i), Country: country,
				Logo: "https://logos.example.com/" + fmt.Sprint(i) + ".png", Types: []string{iswigo.ProviderTypeBank},
				Inputs: map[string]iswigo.InputSet{"default": {Inputs: []iswigo.Input{{Name: "psu_type", Type: "select",
					Varname: "psu_type", Label: "Account type", Choices: []iswigo.InputChoice{{Value: "personal", Label: "Personal"}, {Value: "business", Label: "Business"}}}}}}}}
	}
	return out, nil
}

// BenchmarkProviderPage10k: GET /v1/providers?range=5000-5099&filters[type]=bank
// (one full page deep in the list) among 10,000 catalogue providers, through
// the whole middleware stack, JSON included. Target: ≤ 5 ms/op.
func BenchmarkProviderPage10k(b *testing.B) {
	e := benchEnv(b)
	if err := e.registry.AddCatalog(context.Background(), bankCatalog{10_000}, e.db); err != nil {
		b.Fatal(err)
	}
	h := e.server.Handler()
	target := "/v1/providers?range=5000-5099&filters[type]=bank"
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", target, nil)
		for k, v := range signed(e.psd2App, "GET", target, nil) {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 || rec.Header().Get("Content-Range") != "5000-5099/10003" {
			b.Fatalf("status %d, Content-Range %q: %.200s", rec.Code, rec.Header().Get("Content-Range"), rec.Body)
		}
	}
}

// BenchmarkProviderSearch10k: the funnel's provider search ("exemple 09",
// country FR, by name, first 50) among 10,000 catalogue providers.
// Target: ≤ 5 ms/op.
func BenchmarkProviderSearch10k(b *testing.B) {
	e := benchEnv(b)
	if err := e.registry.AddCatalog(context.Background(), bankCatalog{10_000}, e.db); err != nil {
		b.Fatal(err)
	}
	f := iswigo.ProviderFilter{Type: "bank", Country: "FR", Name: "exemple 09", AvailableOnly: true, ByName: true,
		Range: iswigo.Range{From: 0, To: 49}}
	b.ReportAllocs()
	for b.Loop() {
		ps, total, err := e.registry.FindProviders(context.Background(), f)
		if err != nil || len(ps) != 50 || total != 200 {
			b.Fatalf("%d providers of %d: %v", len(ps), total, err)
		}
	}
}
