// SPDX-License-Identifier: Apache-2.0

package api

import (
	"context"
	"io"
	"net/http"

	"github.com/iswigo/iswigo/auth"
)

// Export media types for Client.ExportTransactions.
const (
	ExportCSV = mediaCSV
	ExportOFX = mediaOFX
)

// ExportTransactions streams every transaction of an account between
// minDate and maxDate ("YYYY-MM-DD", "" = unbounded) as mediaType
// (ExportCSV or ExportOFX). The caller closes the returned body; a body
// cut off by a server error reads as an error, not as io.EOF.
func (c *Client) ExportTransactions(ctx context.Context, accountID, mediaType, minDate, maxDate string) (io.ReadCloser, error) {
	target := "/v1/bank/accounts/" + accountID + "/transactions"
	sep := "?"
	if minDate != "" {
		target += sep + "filters%5Bmin_date%5D=" + minDate
		sep = "&"
	}
	if maxDate != "" {
		target += sep + "filters%5Bmax_date%5D=" + maxDate
	}
	req, err := http.NewRequestWithContext(ctx, "GET", c.BaseURL+target, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-Iswigo-App", c.App)
	req.Header.Set("X-Iswigo-Signature", auth.Signature(c.Secret, "GET", target, nil))
	req.Header.Set("Accept", mediaType)
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := c.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		return nil, responseError(resp.StatusCode, data)
	}
	return resp.Body, nil
}
