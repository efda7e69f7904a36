// SPDX-License-Identifier: Apache-2.0

package httpwire

import "testing"

func TestInvalidUTF8Field(t *testing.T) {
	for _, tc := range []struct {
		body, field string
		invalid     bool
	}{
		{"{\"login\":\"hector\"}", "", false},
		{"{\"login\":\"h\xffctor\"}", "login", true},
		{"{\"a\":1,\"b\":{\"c\":[1,\"\xc3\"]},\"d\":\"x\"}", "c", true},
		{"{\"a\":\"ok\",\"b\":\"\xe2\x82\"}", "b", true},
		{"{\"k\xff\":\"v\"}", "field name", true},
		{"\"\xff\"", "", true},
		{"[\"ok\",\"\xff\"]", "", true},
		{"{\"a\":\"é\"}", "", false},
		{"{\"a\":\"\xff\"", "a", true}, // truncated: reported before the decoder refuses it
	} {
		field, invalid := invalidUTF8Field([]byte(tc.body))
		if field != tc.field || invalid != tc.invalid {
			t.Errorf("%q: %q %v, want %q %v", tc.body, field, invalid, tc.field, tc.invalid)
		}
	}
}
