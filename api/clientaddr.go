// SPDX-License-Identifier: Apache-2.0

package api

import (
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/iswigo/iswigo"
)

// clientIP returns the address of the request's client (see resolveClientIP).
func clientIP(r *http.Request) string {
	return iswigo.ClientAddr(r)
}

// resolveClientIP returns the address of the client of r: the connection's
// peer, unless that peer is a trusted proxy, in which case the rightmost
// address of X-Forwarded-For that is not a trusted proxy (proxies append
// the address they received from, so only the part they wrote is believed).
func (s *Server) resolveClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !s.trusted(peer) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	client := host
	for i := len(hops) - 1; i >= 0; i-- {
		addr, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a malformed hop: believe nothing to its left
		}
		client = addr.Unmap().String()
		if !s.trusted(addr) {
			break
		}
	}
	return client
}

func (s *Server) trusted(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, p := range s.TrustedProxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}
