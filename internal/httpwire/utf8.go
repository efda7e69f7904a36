// SPDX-License-Identifier: Apache-2.0

package httpwire

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"

	"github.com/iswigo/iswigo"
)

// CheckJSONUTF8 returns EINVALID naming the field when a JSON body has a
// string that is not valid UTF-8, nil otherwise (also for a body that is
// not JSON: decoding reports that).
func CheckJSONUTF8(body []byte) error {
	field, bad := invalidUTF8Field(body)
	switch {
	case !bad:
		return nil
	case field == "":
		return iswigo.Errorf(iswigo.EINVALID, "Invalid body: a string is not valid UTF-8")
	default:
		return iswigo.Errorf(iswigo.EINVALID, "Invalid %s: not valid UTF-8", field)
	}
}

// invalidUTF8Field reports whether a JSON body has a string with invalid
// UTF-8 (which encoding/json would silently turn into U+FFFD), and names
// where: the key of the innermost object member holding it ("" at the
// top level, "field name" for a key that is itself invalid). A body that
// is not JSON reports false: the decoder rejects it anyway.
func invalidUTF8Field(body []byte) (field string, invalid bool) {
	if utf8.Valid(body) {
		return "", false
	}
	type frame struct {
		object    bool
		key       string
		expectKey bool
	}
	var stack []frame
	dec := json.NewDecoder(bytes.NewReader(body))
	prev := int64(0)
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		off := dec.InputOffset()
		raw := body[prev:off]
		prev = off
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				stack = append(stack, frame{object: true, expectKey: true})
			case '[':
				stack = append(stack, frame{})
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].expectKey = true
				}
			}
		case string:
			if top != nil && top.object && top.expectKey {
				if !utf8.Valid(raw) {
					return "field name", true
				}
				top.key, top.expectKey = v, false
				continue
			}
			if !utf8.Valid(raw) {
				return innermostKey(stack, func(f frame) (string, bool) { return f.key, f.object }), true
			}
			if top != nil && top.object {
				top.expectKey = true
			}
		default:
			if top != nil && top.object {
				top.expectKey = true
			}
		}
	}
}

// innermostKey returns the key of the innermost object frame.
func innermostKey[F any](stack []F, key func(F) (string, bool)) string {
	for i := len(stack) - 1; i >= 0; i-- {
		if k, ok := key(stack[i]); ok {
			return k
		}
	}
	return ""
}
