// SPDX-License-Identifier: Apache-2.0

package auth

import (
	"strings"
	"testing"
)

// FuzzSignature: a request's own signature verifies and any other string
// does not; the method signs case-insensitively (ASCII); a signature is
// always "$5$" and 64 lower-case hex digits.
func FuzzSignature(f *testing.F) {
	f.Add("secret", "POST", "/v1/users?x=1", []byte(`{"email":"a@b.c"}`), "$5$00")
	f.Add("", "get", "/", []byte{}, "")
	f.Add("sécret", "DELETE", "/v1/funnel/%5B1%5D", []byte{0xff, 0xfe}, strings.Repeat("a", signatureLen))
	f.Fuzz(func(t *testing.T, secret, method, target string, body []byte, got string) {
		sig := Signature(secret, method, target, body)
		if len(sig) != signatureLen || !strings.HasPrefix(sig, "$5$") || strings.Trim(sig[3:], "0123456789abcdef") != "" {
			t.Fatalf("malformed signature %q", sig)
		}
		if !VerifySignature(secret, method, target, body, sig) {
			t.Fatal("the request's own signature does not verify")
		}
		if VerifySignature(secret, method, target, body, got) != (got == sig) {
			t.Fatalf("VerifySignature(%q) disagrees with equality to %q", got, sig)
		}
		if isASCII(method) && Signature(secret, strings.ToUpper(method), target, body) != Signature(secret, strings.ToLower(method), target, body) {
			t.Fatalf("method %q signs differently in upper and lower case", method)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
