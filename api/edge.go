// SPDX-License-Identifier: Apache-2.0

package api

import (
	"bytes"
	"net"
	"strconv"
)

// MaxRequestTarget is the longest request target (path and query) served:
// longer ones get 414 in the error envelope.
const MaxRequestTarget = 8 << 10

// MaxHeaderBytes is the http.Server.MaxHeaderBytes to serve the API with.
// Beyond it (request line included) Go's server answers 431 itself, in
// plain text; Listener turns that answer into the error envelope.
const MaxHeaderBytes = 64 << 10

// goHeadersTooLarge is the whole answer net/http writes, in one Write on
// the connection, when a request's headers exceed MaxHeaderBytes.
var goHeadersTooLarge = []byte("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n431 Request Header Fields Too Large")

// headersTooLarge is the same answer in the error envelope.
var headersTooLarge = func() []byte {
	body := `{"error":{"code":431,"description":"Request headers too large"}}`
	return []byte("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: application/json\r\nContent-Length: " +
		strconv.Itoa(len(body)) + "\r\nConnection: close\r\n\r\n" + body)
}()

// Listener wraps a plain-TCP listener of the API (or funnel) server so that
// the answers net/http writes before any handler runs, which the
// middleware cannot reach (431 for headers over MaxHeaderBytes), are in
// the error envelope like every other error.
func Listener(ln net.Listener) net.Listener { return edgeListener{ln} }

type edgeListener struct{ net.Listener }

func (l edgeListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return edgeConn{c}, nil
}

// edgeConn replaces net/http's own plain-text 431 answer. A handler's
// response never matches it: it is written through a buffer, with this
// server's headers.
type edgeConn struct{ net.Conn }

func (c edgeConn) Write(b []byte) (int, error) {
	if bytes.Equal(b, goHeadersTooLarge) {
		if _, err := c.Conn.Write(headersTooLarge); err != nil {
			return 0, err
		}
		return len(b), nil
	}
	return c.Conn.Write(b)
}
