// SPDX-License-Identifier: Apache-2.0

package api

import (
	"encoding/json"
	"net"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

// FuzzMoneyJSON: an amount the client reads writes back as the same
// JSON number (exact: no float64 on the way).
func FuzzMoneyJSON(f *testing.F) {
	for _, s := range []string{"-12", "-12.5", "1000.01", "0", "1e2", "1.001", `"12"`, "null", "-0", "12.", "9007199254740993"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var m money
		if err := json.Unmarshal(b, &m); err != nil {
			return
		}
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("%q: marshal: %v", b, err)
		}
		var again money
		if err := json.Unmarshal(out, &again); err != nil || again != m {
			t.Fatalf("%q → %+v → %s → %+v (%v)", b, m, out, again, err)
		}
	})
}

// FuzzClientIP: the client address from RemoteAddr and X-Forwarded-For is
// the peer unless the peer is a trusted proxy, and otherwise an address
// of the header or the peer; never the left part of the header beyond an
// untrusted or malformed hop.
func FuzzClientIP(f *testing.F) {
	for _, tc := range [][2]string{
		{"203.0.113.9:1234", ""}, {"10.1.2.3:80", "198.51.100.1"}, {"10.1.2.3:80", "6.6.6.6, 198.51.100.1, 192.0.2.7"},
		{"[::ffff:10.1.2.3]:80", "198.51.100.1"}, {"10.1.2.3:80", "garbage, ::1"}, {"10.1.2.3", "1.2.3.4,,5.6.7.8"},
		{"10.1.2.3:80", "[2001:db8::1]:443, fe80::1%eth0"},
	} {
		f.Add(tc[0], tc[1])
	}
	s := &Server{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32")}}
	f.Fuzz(func(t *testing.T, remote, xff string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = remote
		if xff != "" {
			r.Header.Set("X-Forwarded-For", xff)
		}
		got := s.resolveClientIP(r)
		host := remote
		if h, _, err := net.SplitHostPort(remote); err == nil {
			host = h
		}
		peer, err := netip.ParseAddr(host)
		if err != nil || !s.trusted(peer) {
			if got != host {
				t.Fatalf("untrusted peer %q: client %q, want the peer", remote, got)
			}
			return
		}
		if got == host {
			return
		}
		a, err := netip.ParseAddr(got)
		if err != nil {
			t.Fatalf("client %q is not an address (peer %q, X-Forwarded-For %q)", got, remote, xff)
		}
		found := false
		for _, hop := range strings.Split(xff, ",") {
			if h, err := netip.ParseAddr(strings.TrimSpace(hop)); err == nil && h.Unmap() == a {
				found = true
			}
		}
		if !found {
			t.Fatalf("client %q is in neither the peer %q nor X-Forwarded-For %q", got, remote, xff)
		}
	})
}
