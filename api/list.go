// SPDX-License-Identifier: Apache-2.0

package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
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
	h.Set("Accept-Range", resource+" "+strconv.Itoa(count))
	if count == 0 {
		h.Set("Content-Range", "*/"+strconv.Itoa(total))
	} else {
		h.Set("Content-Range", strconv.Itoa(rng.From)+"-"+strconv.Itoa(rng.From+count-1)+"/"+strconv.Itoa(total))
	}
	size := rng.Limit()
	var links []byte
	var base string // the page URL up to its range, made once for every link
	link := func(from int, rel string) {
		if base == "" {
			base = s.pageURLBase(r)
		}
		if len(links) > 0 {
			links = append(links, ',')
		}
		links = append(links, '<')
		links = append(links, base...)
		links = append(links, "range="...)
		links = strconv.AppendInt(links, int64(from), 10)
		links = append(links, '-')
		links = strconv.AppendInt(links, int64(from+size-1), 10)
		links = append(links, `>; rel="`...)
		links = append(links, rel...)
		links = append(links, '"')
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
		h.Set("Link", string(links))
	}
	writeJSON(w, http.StatusOK, items)
}

// pageURLBase returns the absolute URL of the same list up to its range
// parameter: the URL, "?", and the list parameters the server reads
// (listParams), each once (the first, the one the server reads), as the
// client wrote them, each followed by "&". Parameters no list reads are
// dropped, so a request cannot make its page links grow with what it
// sends: every link is bounded whatever the request repeats.
func (s *Server) pageURLBase(r *http.Request) string {
	var b strings.Builder
	b.WriteString(s.PublicURL)
	b.WriteString(r.URL.EscapedPath())
	b.WriteByte('?')
	var seen [3]string // at most len(listParams) names are kept
	kept := seen[:0]
	for p := range strings.SplitSeq(r.URL.RawQuery, "&") {
		rawName, value, _ := strings.Cut(p, "=")
		name, err := url.QueryUnescape(rawName)
		if err != nil || !listParams[name] || slices.Contains(kept, name) || len(value) > maxListParamValue {
			continue
		}
		kept = append(kept, name)
		b.WriteString(p)
		b.WriteByte('&')
	}
	return b.String()
}

// listParams are the query parameters that lists read besides range.
var listParams = map[string]bool{"filters[type]": true, "filters[min_date]": true, "filters[max_date]": true}

// maxListParamValue bounds a carried value: every valid one is far shorter.
const maxListParamValue = 64
