// SPDX-License-Identifier: Apache-2.0

package api

import (
	"context"
	"net/url"
	"strings"

	"github.com/iswigo/iswigo"
)

// StatementParams are the query parameters of a statement upload; empty
// fields are not sent.
type StatementParams struct {
	Name, Format, Account, DateOrder, Currency, Profile string
	CSV                                                 iswigo.CSVMapping
}

// Query returns the parameters as a query string ("" when none).
func (p StatementParams) Query() string {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("name", p.Name)
	set("format", p.Format)
	set("account", p.Account)
	set("date_order", p.DateOrder)
	set("currency", p.Currency)
	set("profile", p.Profile)
	set("date_col", p.CSV.DateCol)
	set("amount_col", p.CSV.AmountCol)
	set("debit_col", p.CSV.DebitCol)
	set("credit_col", p.CSV.CreditCol)
	set("wording_cols", strings.Join(p.CSV.WordingCols, ","))
	set("date_format", p.CSV.DateFormat)
	set("decimal", p.CSV.Decimal)
	set("delimiter", p.CSV.Delimiter)
	return q.Encode()
}

// UploadStatement sends a statement file to a statement import connection
// (provider 900). The answer says what the file holds, with the
// connection's status; Statement.Duplicate when it had been sent before.
func (c *Client) UploadStatement(ctx context.Context, connectionID string, data []byte, p StatementParams) (*StatementUpload, error) {
	target := "/v1/connections/" + url.PathEscape(connectionID) + "/statements"
	if q := p.Query(); q != "" {
		target += "?" + q
	}
	if data == nil {
		data = []byte{}
	}
	var out StatementUpload
	return &out, c.call(ctx, "POST", target, data, &out)
}

// Statements lists the statement files of a connection, newest first.
func (c *Client) Statements(ctx context.Context, connectionID string, r iswigo.Range) ([]StatementFile, error) {
	return get[[]StatementFile](ctx, c, "/v1/connections/"+url.PathEscape(connectionID)+"/statements?"+rangeQuery(r))
}
