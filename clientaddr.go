// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"context"
	"net"
	"net/http"
)

type clientAddrKey struct{}

// WithClientAddr returns ctx carrying the address of the client of a
// request, as resolved by the outermost HTTP middleware (which knows the
// trusted proxies).
func WithClientAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientAddrKey{}, addr)
}

// ClientAddr returns the client address of r: the one its context carries,
// else the host of its RemoteAddr. Rate limits per client use it.
func ClientAddr(r *http.Request) string {
	if addr, ok := r.Context().Value(clientAddrKey{}).(string); ok && addr != "" {
		return addr
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ClientUserAgent returns r's User-Agent bounded to 512 bytes: what a
// sync with the person present passes to providers that want it.
func ClientUserAgent(r *http.Request) string {
	ua := r.UserAgent()
	if len(ua) > 512 {
		ua = ua[:512]
	}
	return ua
}
