// SPDX-License-Identifier: Apache-2.0

package openapicheck

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"testing"
)

// Transport returns an http.RoundTripper for tests: it performs each
// request with base (http.DefaultTransport when nil), reads the whole
// response body and puts it back so that the caller can read it, and
// reports with t.Errorf every response that the document does not allow,
// as CheckResponse sees it (so undocumented paths and methods are checked
// against the document's x-unrouted-responses). A failure to read the
// body is returned as the round trip's error.
func (d *Doc) Transport(t testing.TB, base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{d: d, t: t, base: base}
}

type transport struct {
	d    *Doc
	t    testing.TB
	base http.RoundTripper
}

func (tr *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := tr.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("openapicheck: read the response body of %s %s: %w", req.Method, req.URL, err)
	}
	if err := tr.d.CheckResponse(req.Method, req.URL.EscapedPath(), resp.StatusCode, resp.Header, body); err != nil {
		tr.t.Errorf("openapicheck: %s %s: response does not match the OpenAPI document: %v", req.Method, req.URL.RequestURI(), err)
	}
	return resp, nil
}
