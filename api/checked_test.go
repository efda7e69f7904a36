// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"net/http"
	"os"
	"sync"
	"testing"

	"github.com/iswigo/iswigo/internal/openapicheck"
)

// openAPI is the document every response of these tests is checked against.
var openAPI = sync.OnceValues(func() (*openapicheck.Doc, error) {
	b, err := os.ReadFile("openapi.yaml")
	if err != nil {
		return nil, err
	}
	return openapicheck.Load(b)
})

// checkedTransport returns a transport that fails t for every response
// that does not match api/openapi.yaml.
func checkedTransport(t testing.TB) http.RoundTripper {
	doc, err := openAPI()
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}
	return doc.Transport(t, nil)
}
