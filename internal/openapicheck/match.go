// SPDX-License-Identifier: Apache-2.0

package openapicheck

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// segmentPattern turns a template segment such as "{id}" or "{name}.pdf"
// into a regular expression; a parameter matches one or more characters.
func segmentPattern(s string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	for s != "" {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(regexp.QuoteMeta(s))
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("unclosed { in %q", s)
		}
		b.WriteString(regexp.QuoteMeta(s[:i]))
		b.WriteString("(.+)")
		s = s[i+j+1:]
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// find returns the operation that serves method on requestPath (a concrete
// path, optionally with a query): among the templates that match, literal
// segments win over parameters, from left to right, as in net/http's
// ServeMux; a template without that method gives way to a less specific
// one that has it. HEAD falls back to GET, whose body is then not sent.
func (d *Doc) find(method, requestPath string) (op *operation, head bool, err error) {
	method = strings.ToUpper(method)
	p := pathOnly(requestPath)
	if !strings.HasPrefix(p, "/") {
		return nil, false, fmt.Errorf("%w: %s %s (not an absolute path)", ErrUnknownPath, method, requestPath)
	}
	segs := strings.Split(p, "/")[1:]
	for i, s := range segs {
		if u, err := url.PathUnescape(s); err == nil {
			segs[i] = u
		}
	}
	var matches []*pathEntry
	for _, e := range d.paths {
		if e.match(segs) {
			matches = append(matches, e)
		}
	}
	if len(matches) == 0 {
		return nil, false, fmt.Errorf("%w: %s %s", ErrUnknownPath, method, requestPath)
	}
	sort.SliceStable(matches, func(i, j int) bool { return moreSpecific(matches[i], matches[j]) })
	for _, e := range matches {
		if op, ok := e.ops[method]; ok {
			return op, false, nil
		}
	}
	if method == "HEAD" {
		for _, e := range matches {
			if op, ok := e.ops["GET"]; ok {
				return op, true, nil
			}
		}
	}
	var allowed []string
	for _, m := range methods {
		if _, ok := matches[0].ops[strings.ToUpper(m)]; ok {
			allowed = append(allowed, strings.ToUpper(m))
		}
	}
	return nil, false, fmt.Errorf("%w: %s %s (path %s documents %s)", ErrUnknownMethod, method, requestPath,
		matches[0].template, strings.Join(allowed, ", "))
}

func (e *pathEntry) match(segs []string) bool {
	if len(segs) != len(e.segs) {
		return false
	}
	for i, s := range e.segs {
		if s.re == nil {
			if s.literal != segs[i] {
				return false
			}
		} else if !s.re.MatchString(segs[i]) || strings.Contains(segs[i], "/") {
			return false
		}
	}
	return true
}

func moreSpecific(a, b *pathEntry) bool {
	for i := range a.segs {
		al, bl := a.segs[i].re == nil, b.segs[i].re == nil
		if al != bl {
			return al
		}
	}
	return false
}

// lookupStatus returns the response documented for status: the exact
// code, else its range ("4XX"), else "default".
func lookupStatus(responses map[string]*response, status int) *response {
	if r, ok := responses[strconv.Itoa(status)]; ok {
		return r
	}
	if r, ok := responses[fmt.Sprintf("%dXX", status/100)]; ok {
		return r
	}
	return responses["default"]
}
