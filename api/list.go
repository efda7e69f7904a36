// SPDX-License-Identifier: Apache-2.0

package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/iswigo/iswigo"
)

// requestRange parses the "range" query parameter (default 0-19, at most
// iswigo.MaxRangeSize items).
func requestRange(r *http.Request) (iswigo.Range, error) {
	return iswigo.ParseRange(r.URL.Query().Get("range"))
}

// writeList writes one page of a list with the pagination headers:
// Accept-Range "<resource> <count>", Content-Range "<from>-<to>/<total>"
// ("*/<total>" for an empty page) and Link (absolute URLs with rel first,
// prev, next, last) when the list has more than this page.
func (s *Server) writeList(w http.ResponseWriter, r *http.Request, resource string, rng iswigo.Range, total int, count int, items any) {
	h := w.Header()
	h.Set("Accept-Range", fmt.Sprintf("%s %d", resource, count))
	if count == 0 {
		h.Set("Content-Range", fmt.Sprintf("*/%d", total))
	} else {
		h.Set("Content-Range", fmt.Sprintf("%d-%d/%d", rng.From, rng.From+count-1, total))
	}
	size := rng.Limit()
	var links []string
	link := func(from int, rel string) {
		links = append(links, fmt.Sprintf("<%s>; rel=%q", s.pageURL(r, from, from+size-1), rel))
	}
	if rng.From > 0 && total > 0 {
		prev := max(rng.From-size, 0)
		link(0, "first")
		link(prev, "prev")
	}
	if rng.From+size < total {
		link(rng.From+size, "next")
		link(rng.From+((total-1-rng.From)/size)*size, "last")
	}
	if len(links) > 0 {
		h.Set("Link", strings.Join(links, ","))
	}
	writeJSON(w, http.StatusOK, items)
}

// pageURL returns the absolute URL of the same list with another range,
// keeping the list parameters the server reads (listParams), each once (the
// first, the one the server reads), as the client wrote them. Parameters no
// list reads are dropped, so a request cannot make its page links grow with
// what it sends: every link is bounded whatever the request repeats.
func (s *Server) pageURL(r *http.Request, from, to int) string {
	var parts []string
	seen := map[string]bool{}
	for _, p := range strings.Split(r.URL.RawQuery, "&") {
		rawName, value, _ := strings.Cut(p, "=")
		name, err := url.QueryUnescape(rawName)
		if err != nil || !listParams[name] || seen[name] || len(value) > maxListParamValue {
			continue
		}
		seen[name] = true
		parts = append(parts, p)
	}
	parts = append(parts, fmt.Sprintf("range=%d-%d", from, to))
	return s.PublicURL + r.URL.EscapedPath() + "?" + strings.Join(parts, "&")
}

// listParams are the query parameters that lists read besides range.
var listParams = map[string]bool{"filters[type]": true, "filters[min_date]": true, "filters[max_date]": true}

// maxListParamValue bounds a carried value: every valid one is far shorter.
const maxListParamValue = 64
