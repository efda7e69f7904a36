// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"net"
	"strings"
)

// LoopbackHost reports whether host (a URL's or an address's host, without
// port or brackets) names the local machine: "localhost" in any case, or
// a loopback IP address.
func LoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
