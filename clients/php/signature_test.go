// SPDX-License-Identifier: Apache-2.0

package php

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/iswigo/iswigo/auth"
)

// TestPHPSignature runs signature.php's iswigo_signature with PHP and
// compares it with the server's own computation. Skipped without php.
func TestPHPSignature(t *testing.T) {
	php, err := exec.LookPath("php")
	if err != nil {
		t.Skip("php is not installed")
	}
	for _, tc := range []struct{ secret, method, target, body string }{
		{"s3cr3t", "GET", "/v1/bank/accounts", ""},
		{"s3cr3t", "POST", "/v1/users", `{"email":"hector.berlioz@iswigo.com","password":"Str0ng!Passw0rd"}`},
		{"sécret+€", "GET", "/v1/providers?filters%5Btype%5D=bank&range=0-19", ""},
	} {
		script := `require 'signature.php'; echo iswigo_signature($argv[1], $argv[2], $argv[3], $argv[4]);`
		out, err := exec.Command(php, "-r", script, "--", tc.secret, tc.method, tc.target, tc.body).CombinedOutput()
		if err != nil {
			t.Fatalf("php: %v: %s", err, out)
		}
		if want := auth.Signature(tc.secret, tc.method, tc.target, []byte(tc.body)); strings.TrimSpace(string(out)) != want {
			t.Errorf("%s %s: PHP %s, Go %s", tc.method, tc.target, out, want)
		}
	}
}
