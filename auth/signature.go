// SPDX-License-Identifier: Apache-2.0

package auth

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"hash"
	"strings"
	"unicode/utf8"
)

// signatureLen is the length of every signature: "$5$" and 64 hex digits.
const signatureLen = 3 + 2*sha256.Size

// Signature returns the X-Iswigo-Signature of a request:
//
//	"$5$" + lower-hex(sha256(secret + "+" + lower(method) + "+" + pathAndQuery + "+" + body))
//
// pathAndQuery is the request target exactly as it is sent or received:
// the path and the raw query, with no "?" when the query is empty, no
// scheme and no host. On a server that is r.RequestURI (origin form), not
// r.URL.RequestURI(), which may re-encode the path; "%5B" and "[" sign
// differently. The method is lower-cased, so "GET" and "get" sign alike.
// An empty body still leaves the trailing "+".
func Signature(secret, method, pathAndQuery string, body []byte) string {
	var sum [sha256.Size]byte
	signatureSum(&sum, secret, method, pathAndQuery, body)
	var out [signatureLen]byte
	copy(out[:], "$5$")
	hex.Encode(out[3:], sum[:])
	return string(out[:])
}

// VerifySignature reports whether got is the Signature of the request. The
// comparison takes the same time whatever the position of the first wrong
// byte; it only reveals whether got has the length of every signature, 67
// bytes, which is public. The hex digits of got must be lower case.
func VerifySignature(secret, method, pathAndQuery string, body []byte, got string) bool {
	var sum [sha256.Size]byte
	signatureSum(&sum, secret, method, pathAndQuery, body)
	var want [signatureLen]byte
	copy(want[:], "$5$")
	hex.Encode(want[3:], sum[:])

	// Compare over the fixed length whatever len(got) is, so that the time
	// does not depend on got's content.
	var g [signatureLen]byte
	copy(g[:], got)
	same := subtle.ConstantTimeCompare(want[:], g[:])
	if len(got) != signatureLen {
		same = 0
	}
	return same == 1
}

var plus = []byte{'+'}

// signatureSum sets sum to the SHA-256 of the signed string. A short one
// (most requests: no body or a small one) is assembled on the stack and
// hashed with no allocation.
func signatureSum(sum *[sha256.Size]byte, secret, method, pathAndQuery string, body []byte) {
	var short [1024]byte
	if n := len(secret) + len(method) + len(pathAndQuery) + len(body) + 3; n <= len(short) {
		b := append(short[:0], secret...)
		b = append(b, '+')
		b = lowerMethod(b, method)
		b = append(b, '+')
		b = append(b, pathAndQuery...)
		b = append(b, '+')
		b = append(b, body...)
		*sum = sha256.Sum256(b)
		return
	}
	var h hash.Hash = sha256.New()
	h.Write([]byte(secret))
	h.Write(plus)
	var buf [16]byte
	h.Write(lowerMethod(buf[:0], method))
	h.Write(plus)
	h.Write([]byte(pathAndQuery))
	h.Write(plus)
	h.Write(body)
	h.Sum(sum[:0])
}

// lowerMethod appends method in lower case to dst, without allocating for
// the short ASCII methods of HTTP.
func lowerMethod(dst []byte, method string) []byte {
	start := len(dst)
	for i := 0; i < len(method); i++ {
		c := method[i]
		if c >= utf8.RuneSelf {
			return append(dst[:start], strings.ToLower(method)...)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}
