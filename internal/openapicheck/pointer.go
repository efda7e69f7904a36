// SPDX-License-Identifier: Apache-2.0

package openapicheck

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// pointer appends tokens to the JSON pointer base, escaping them.
func pointer(base string, tokens ...string) string {
	var b strings.Builder
	b.WriteString(base)
	for _, t := range tokens {
		b.WriteByte('/')
		t = strings.ReplaceAll(t, "~", "~0")
		b.WriteString(strings.ReplaceAll(t, "/", "~1"))
	}
	return b.String()
}

// fragment writes the JSON pointer ptr as a URL fragment.
func fragment(ptr string) string {
	toks := strings.Split(ptr, "/")
	for i, t := range toks {
		toks[i] = url.PathEscape(t)
	}
	return strings.Join(toks, "/")
}

// lookup returns the value at the JSON pointer ptr of doc.
func lookup(doc any, ptr string) (any, error) {
	if ptr == "" {
		return doc, nil
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, fmt.Errorf("bad JSON pointer %q", ptr)
	}
	v := doc
	for _, t := range strings.Split(ptr[1:], "/") {
		t = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[t]; !ok {
				return nil, fmt.Errorf("nothing at %q", ptr)
			}
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(x) {
				return nil, fmt.Errorf("nothing at %q", ptr)
			}
			v = x[i]
		default:
			return nil, fmt.Errorf("nothing at %q", ptr)
		}
	}
	return v, nil
}

func jsonNumber(s string) json.Number { return json.Number(s) }
