// SPDX-License-Identifier: Apache-2.0

package widget

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/iswigo/iswigo"
)

// handleProviderSearch lists the available providers the session offers
// whose name has every word of the query at the start of one of its
// words, ignoring case, accents and order ("societe generale" finds
// "Société Générale"): the application's most used ones first, then by
// name, at most maxProviders of them with the total. It also gives the
// countries of the providers offered, for a filter when there are
// several. The provider service filters (the registry's snapshot keeps
// each name folded and the countries per type): a search among 10,000
// providers is one pass that keeps one page, without a copy of the list.
func (h *Handler) handleProviderSearch(w http.ResponseWriter, r *http.Request, sc *sessionContext) error {
	var req providersRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	q := strings.TrimSpace(req.Query)
	if len(q) > 200 || len(req.Country) > 8 {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid query: too long")
	}
	found, total, countries, err := h.searchProviders(r.Context(), sc, iswigo.SearchWords(q), req.Country)
	if err != nil {
		return err
	}
	out := []providerJSON{}
	for _, p := range found {
		pj := providerJSON{ProviderID: p.ID, Name: p.Name, Country: p.Country, Types: p.Types}
		if strings.HasPrefix(p.Logo, "https://") {
			pj.Logo = p.Logo
		}
		out = append(out, pj)
	}
	writeJSON(w, http.StatusOK, map[string]any{"providers": out, "total": total, "countries": countries})
	return nil
}

// searchProviders returns the first maxProviders providers the session
// offers that match words and country ("" = any), the most used first,
// with their total and the countries of every provider offered.
func (h *Handler) searchProviders(ctx context.Context, sc *sessionContext, words []string, country string) ([]*iswigo.Provider, int, []string, error) {
	s := sc.session
	if s.Country != "" && country != "" && !strings.EqualFold(s.Country, country) {
		country = "-" // two countries: none matches
	} else if s.Country != "" {
		country = s.Country
	}
	f := iswigo.ProviderFilter{Type: s.Type, Country: country, Words: words, AvailableOnly: true, ByName: true}
	matches := func(p *iswigo.Provider) bool {
		return sc.providerAllowed(p) && p.Status != "unavailable" && (country == "" || strings.EqualFold(p.Country, country)) &&
			iswigo.MatchesWords(iswigo.FoldName(p.Name), words)
	}
	if s.ProviderID != 0 {
		// A session fixed on one provider offers that one alone.
		p, err := h.Providers.FindProviderByID(ctx, s.ProviderID)
		if iswigo.ErrorCode(err) == iswigo.ENOTFOUND || (err == nil && (!sc.providerAllowed(p) || p.Status == "unavailable")) {
			return nil, 0, []string{}, nil
		} else if err != nil {
			return nil, 0, nil, err
		}
		countries := []string{}
		if p.Country != "" {
			countries = append(countries, strings.ToUpper(p.Country))
		}
		if !matches(p) {
			return nil, 0, countries, nil
		}
		return []*iswigo.Provider{p}, 1, countries, nil
	}
	// The application's most used providers that match, most used first
	// (then by name), ahead of the others by name.
	var used []*iswigo.Provider
	usage := map[int]int{}
	if h.Usage != nil {
		var err error
		if usage, err = h.Usage.ProviderUsage(ctx, sc.user.AppID); err != nil {
			return nil, 0, nil, err
		}
		for id := range usage {
			p, err := h.Providers.FindProviderByID(ctx, id)
			if iswigo.ErrorCode(err) == iswigo.ENOTFOUND {
				continue
			} else if err != nil {
				return nil, 0, nil, err
			}
			if matches(p) {
				used = append(used, p)
			}
		}
		sort.Slice(used, func(i, j int) bool {
			a, b := used[i], used[j]
			if usage[a.ID] != usage[b.ID] {
				return usage[a.ID] > usage[b.ID]
			}
			if la, lb := strings.ToLower(a.Name), strings.ToLower(b.Name); la != lb {
				return la < lb
			}
			return a.ID < b.ID
		})
		used = used[:min(len(used), maxProviders)]
	}
	f.Range = iswigo.Range{From: 0, To: maxProviders + len(used) - 1}
	page, total, err := h.Providers.FindProviders(ctx, f)
	if err != nil {
		return nil, 0, nil, err
	}
	found := used
	for _, p := range page {
		if len(found) == maxProviders {
			break
		}
		if usage[p.ID] == 0 || !slices.ContainsFunc(used, func(u *iswigo.Provider) bool { return u.ID == p.ID }) {
			found = append(found, p)
		}
	}
	countries, err := h.countries(ctx, s)
	if err != nil {
		return nil, 0, nil, err
	}
	return found, total, countries, nil
}

// countries returns the sorted countries of the available providers the
// session s offers (not fixed on one provider).
func (h *Handler) countries(ctx context.Context, s *iswigo.FunnelSession) ([]string, error) {
	var all []string
	if cs, ok := h.Providers.(iswigo.ProviderCountryService); ok {
		var err error
		if all, err = cs.ProviderCountries(ctx, s.Type); err != nil {
			return nil, err
		}
	} else {
		list, _, err := h.Providers.FindProviders(ctx, iswigo.ProviderFilter{Type: s.Type, AvailableOnly: true, Range: iswigo.Range{From: 0, To: 1 << 30}})
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for _, p := range list {
			if c := strings.ToUpper(p.Country); c != "" && !seen[c] {
				seen[c] = true
				all = append(all, c)
			}
		}
		sort.Strings(all)
	}
	out := []string{}
	for _, c := range all {
		if s.Country == "" || strings.EqualFold(c, s.Country) {
			out = append(out, c)
		}
	}
	return out, nil
}
