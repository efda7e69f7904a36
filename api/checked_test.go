package api_test

import (
	"net/http"
	"testing"
)

// checkedTransport is replaced by the OpenAPI-validating transport.
func checkedTransport(t *testing.T) http.RoundTripper { return http.DefaultTransport }
