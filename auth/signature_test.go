// SPDX-License-Identifier: Apache-2.0

package auth

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

const exampleSecret = "my-s3cr3t-key"

// The worked examples of the facts sheet, section 1.
var signatureExamples = []struct {
	name, method, target, body, want string
}{
	{"A", "GET", "/v1/providers?range=0-19", "",
		"$5$ef31bc1391a68dbdc5f468a5cd606414f4bbe0ba6f57d8ddecd47f736d8c0f0f"},
	{"B", "POST", "/v1/users", `{"email":"hector.berlioz@iswigo.com","password":"Str0ng!Passw0rd"}`,
		"$5$7ecaa36116a4d5a9a2a25ec2f3ac34e0d01d5ee886384a79969c0266b7c3c507"},
	{"C", "GET", "/v1/providers", "",
		"$5$06e02f08eb858e23882e3886d47544b971548c6bc240c3b95fae5145c2b2af33"},
	{"D", "DELETE", "/v1/connections/82db2f8b-67ae-443f-b64a-44a2ac846f37", "",
		"$5$883fa280498cc2372182c003db524e393cf106dad604a4184fb7e699f274bdcc"},
	{"E1", "GET", "/v1/providers?range=0-19&filters[type]=document", "",
		"$5$9e789ac4e3070a7c96acaf29c31316341ef20b9f8d9417017500c8ba77473d72"},
	{"E2", "GET", "/v1/providers?range=0-19&filters%5Btype%5D=document", "",
		"$5$e9d79b761c22c88f26e6139cc6dde96bb72a72fabf5105cafbc701ddb57ee501"},
	{"F", "POST", "/v1/funnel", `{"action":"create","type":"bank"}`,
		"$5$2e22d2559ecbb61a508aee19f030b6e15da05a82a928df28f33662516a4073fe"},
}

func TestSignatureExamples(t *testing.T) {
	for _, ex := range signatureExamples {
		t.Run(ex.name, func(t *testing.T) {
			got := Signature(exampleSecret, ex.method, ex.target, []byte(ex.body))
			if got != ex.want {
				t.Fatalf("Signature = %s, want %s", got, ex.want)
			}
			if len(got) != 67 {
				t.Fatalf("len = %d, want 67", len(got))
			}
			if !VerifySignature(exampleSecret, ex.method, ex.target, []byte(ex.body), ex.want) {
				t.Fatal("VerifySignature refused the expected signature")
			}
			// The method is lower-cased before hashing: "GET" signs as "get".
			if lower := Signature(exampleSecret, strings.ToLower(ex.method), ex.target, []byte(ex.body)); lower != ex.want {
				t.Fatalf("lower-case method signs as %s, want %s", lower, ex.want)
			}
			if !VerifySignature(exampleSecret, strings.ToLower(ex.method), ex.target, []byte(ex.body), ex.want) {
				t.Fatal("lower-case method refused")
			}
		})
	}
}

func TestSignatureNilBody(t *testing.T) {
	a := signatureExamples[0]
	if got := Signature(exampleSecret, a.method, a.target, nil); got != a.want {
		t.Fatalf("nil body: %s, want %s", got, a.want)
	}
}

// The common mistake of the facts sheet: no trailing "+" for an empty body.
func TestSignatureWithoutTrailingPlusRefused(t *testing.T) {
	sum := sha256.Sum256([]byte("my-s3cr3t-key+get+/v1/providers?range=0-19"))
	wrong := "$5$" + hex.EncodeToString(sum[:])
	if wrong != "$5$766b7eac37524fc20d8d5fd8f83fb9e0e6daed6894fdcce1b5ebc6c69b7f2c9b" {
		t.Fatalf("the mistake hashes to %s, not the facts sheet's value", wrong)
	}
	if VerifySignature(exampleSecret, "GET", "/v1/providers?range=0-19", nil, wrong) {
		t.Fatal("a signature without the trailing + was accepted")
	}
}

func TestVerifySignatureRefuses(t *testing.T) {
	a := signatureExamples[0]
	good := a.want
	cases := map[string]string{
		"empty":           "",
		"no prefix":       strings.TrimPrefix(good, "$5$"),
		"upper-case hex":  "$5$" + strings.ToUpper(good[3:]),
		"last digit":      good[:66] + "e",
		"first digit":     good[:3] + "0" + good[4:],
		"truncated":       good[:66],
		"extra byte":      good + "0",
		"doubled":         good + good,
		"other prefix":    "$6$" + good[3:],
		"other request C": signatureExamples[2].want,
	}
	for name, got := range cases {
		if VerifySignature(exampleSecret, a.method, a.target, nil, got) {
			t.Errorf("%s: %q accepted", name, got)
		}
	}
	// Every part counts.
	if VerifySignature("my-s3cr3t-kez", a.method, a.target, nil, good) {
		t.Error("wrong secret accepted")
	}
	if VerifySignature(exampleSecret, "POST", a.target, nil, good) {
		t.Error("wrong method accepted")
	}
	if VerifySignature(exampleSecret, a.method, "/v1/providers?range=0-20", nil, good) {
		t.Error("wrong query accepted")
	}
	if VerifySignature(exampleSecret, a.method, a.target, []byte(" "), good) {
		t.Error("wrong body accepted")
	}
}

// The parts are joined with "+" and not length-prefixed, so moving a "+"
// between the target and the body does not change the hashed string. The
// format is fixed by the reference; this test records the property.
func TestSignatureSeparatorAmbiguity(t *testing.T) {
	x := Signature(exampleSecret, "POST", "/p+x", []byte("y"))
	y := Signature(exampleSecret, "POST", "/p", []byte("x+y"))
	if x != y {
		t.Fatalf("expected the documented ambiguity, got %s and %s", x, y)
	}
}

func TestLowerMethod(t *testing.T) {
	for in, want := range map[string]string{"GET": "get", "get": "get", "DeLeTe": "delete", "": "", "PÄTCH": "pätch"} {
		if got := string(lowerMethod(nil, in)); got != want {
			t.Errorf("lowerMethod(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkVerifySignature(b *testing.B) {
	ex := signatureExamples[1]
	body := []byte(ex.body)
	b.ReportAllocs()
	for b.Loop() {
		if !VerifySignature(exampleSecret, ex.method, ex.target, body, ex.want) {
			b.Fatal("refused")
		}
	}
}

// TestSignatureEverySize: the signature is the same whether the signed
// string is assembled on the stack (short) or streamed into the hash
// (long), on both sides of the boundary, for any method.
func TestSignatureEverySize(t *testing.T) {
	for _, method := range []string{"GET", "post", "PÖST"} {
		for size := 900; size <= 1100; size++ {
			body := bytes.Repeat([]byte{'b'}, size)
			sum := sha256.Sum256([]byte("secret+" + strings.ToLower(method) + "+/v1/x?a=1+" + string(body)))
			want := "$5$" + hex.EncodeToString(sum[:])
			if got := Signature("secret", method, "/v1/x?a=1", body); got != want {
				t.Fatalf("%s, body of %d bytes: got %s want %s", method, size, got, want)
			}
			if !VerifySignature("secret", method, "/v1/x?a=1", body, want) {
				t.Fatalf("%s, body of %d bytes: refused", method, size)
			}
		}
	}
}
