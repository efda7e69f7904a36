// SPDX-License-Identifier: Apache-2.0

package iswigoclient

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
)

// Signature returns the X-Iswigo-Signature of a request: "$5$" and the
// lower-case hex SHA-256 of secret, the lower-case method, the path and
// query exactly as sent (no "?" without a query) and the body, joined by
// "+".
func Signature(secret, method, pathAndQuery string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(secret + "+" + strings.ToLower(method) + "+" + pathAndQuery + "+"))
	h.Write(body)
	return "$5$" + hex.EncodeToString(h.Sum(nil))
}

// SignRequests returns a RequestEditorFn that adds X-Iswigo-App and
// X-Iswigo-Signature to every request of application app with secret, and
// Authorization: Bearer token when token returns a non-empty string (token
// may be nil). It reads the body to sign it and puts it back.
func SignRequests(app, secret string, token func() string) RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		var body []byte
		if req.Body != nil {
			var err error
			if body, err = io.ReadAll(req.Body); err != nil {
				return err
			}
			_ = req.Body.Close()
			req.Body = io.NopCloser(bytes.NewReader(body))
			req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		}
		req.Header.Set("X-Iswigo-App", app)
		req.Header.Set("X-Iswigo-Signature", Signature(secret, req.Method, req.URL.RequestURI(), body))
		if token != nil {
			if t := token(); t != "" {
				req.Header.Set("Authorization", "Bearer "+t)
			}
		}
		return nil
	}
}
