// SPDX-License-Identifier: Apache-2.0

package api

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestResolveClientIP(t *testing.T) {
	s := &Server{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32")}}
	for _, tc := range []struct{ remote, xff, want string }{
		{"203.0.113.9:1234", "", "203.0.113.9"},
		{"203.0.113.9:1234", "198.51.100.1", "203.0.113.9"},                 // an untrusted peer's header is ignored
		{"10.1.2.3:80", "198.51.100.1", "198.51.100.1"},                     // one trusted proxy
		{"10.1.2.3:80", "6.6.6.6, 198.51.100.1, 192.0.2.7", "198.51.100.1"}, // a forged left part is ignored
		{"10.1.2.3:80", "", "10.1.2.3"},
		{"10.1.2.3:80", "garbage, 198.51.100.1", "198.51.100.1"},
		{"10.1.2.3:80", "10.9.9.9, 10.8.8.8", "10.9.9.9"}, // all trusted: the leftmost
		{"[::ffff:10.1.2.3]:80", "198.51.100.1", "198.51.100.1"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := s.resolveClientIP(r); got != tc.want {
			t.Errorf("remote %s, X-Forwarded-For %q: %s; want %s", tc.remote, tc.xff, got, tc.want)
		}
	}
}
