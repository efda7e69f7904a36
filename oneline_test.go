// SPDX-License-Identifier: Apache-2.0

package iswigo_test

import (
	"testing"

	"github.com/iswigo/iswigo"
)

func TestOneLine(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"  A code was sent\nto 06 ** ** ** 42 \t", 100, "A code was sent to 06 ** ** ** 42"},
		{"a\x00b", 100, "a b"},
		{"éééé", 2, "éé"},
		{"a\xffb", 10, "a b"},
		{"", 10, ""},
	} {
		if got := iswigo.OneLine(tc.in, tc.max); got != tc.want {
			t.Errorf("OneLine(%q, %d) = %q; want %q", tc.in, tc.max, got, tc.want)
		}
	}
}
