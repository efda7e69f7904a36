// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"context"
	"io"
	"time"

	"github.com/iswigo/iswigo"
)

// bigDocProviderID is a test provider whose one document is large, to
// measure streaming. It stands for a provider's server, outside the project.
const bigDocProviderID = 9001

// bigDocSize is the size of its document.
const bigDocSize = 20 << 20

type bigDocConnector struct{}

func (bigDocConnector) Provider() iswigo.Provider {
	return iswigo.Provider{ID: bigDocProviderID, Name: "Big Document Test", Types: []string{"document"}, Status: "available",
		Inputs: map[string]iswigo.InputSet{"default": {Inputs: []iswigo.Input{
			{Name: "login", Type: "text", Varname: "login", MinLength: 1, Label: "Login"}}}},
		Properties: iswigo.ProviderProperties{Docs: []string{"document"}}}
}

func (bigDocConnector) Sync(ctx context.Context, s iswigo.SyncSession) error {
	d := &iswigo.ConnectorDocument{Key: "big", Name: "Big", Extension: "pdf", Mime: "application/pdf",
		Type: iswigo.DocumentTypeDocument, CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	return s.PutDocument(ctx, d, io.MultiReader(stringReader("%PDF-1.4\n"), io.LimitReader(patternReader{}, bigDocSize-9)))
}

func stringReader(s string) io.Reader { return &constReader{s: s} }

type constReader struct{ s string }

func (r *constReader) Read(p []byte) (int, error) {
	if r.s == "" {
		return 0, io.EOF
	}
	n := copy(p, r.s)
	r.s = r.s[n:]
	return n, nil
}

// patternReader yields an endless, deterministic byte pattern.
type patternReader struct{}

func (patternReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte('a' + i%26)
	}
	return len(p), nil
}
