// SPDX-License-Identifier: Apache-2.0

package api

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/iswigo/iswigo"
)

// get decodes the answer of a GET into a new T.
func get[T any](ctx context.Context, c *Client, target string) (T, error) {
	var out T
	return out, c.call(ctx, "GET", target, nil, &out)
}

// rangeQuery returns "range=a-b".
func rangeQuery(r iswigo.Range) string { return fmt.Sprintf("range=%d-%d", r.From, r.To) }

// Providers lists providers of type typ ("" for all) within r.
func (c *Client) Providers(ctx context.Context, typ string, r iswigo.Range) ([]Provider, error) {
	q := rangeQuery(r)
	if typ != "" {
		q += "&filters%5Btype%5D=" + url.QueryEscape(typ)
	}
	return get[[]Provider](ctx, c, "/v1/providers?"+q)
}

// Provider returns one provider.
func (c *Client) Provider(ctx context.Context, id int) (Provider, error) {
	return get[Provider](ctx, c, "/v1/providers/"+strconv.Itoa(id))
}

// CreateConnection creates a connection (PSD2 applications): values are
// the credentials by varname.
func (c *Client) CreateConnection(ctx context.Context, providerID int, values map[string]string) (*Connection, error) {
	body := map[string]any{"provider": providerID}
	for k, v := range values {
		body[k] = v
	}
	var out Connection
	return &out, c.call(ctx, "POST", "/v1/connections", body, &out)
}

// UpdateConnection edits a connection's credentials (PSD2 applications).
func (c *Client) UpdateConnection(ctx context.Context, id string, body map[string]any) (*Connection, error) {
	var out Connection
	return &out, c.call(ctx, "PUT", "/v1/connections/"+id, body, &out)
}

// Connections lists the user's connections, of providers of type typ ("" for all).
func (c *Client) Connections(ctx context.Context, typ string, r iswigo.Range) ([]Connection, error) {
	q := rangeQuery(r)
	if typ != "" {
		q += "&filters%5Btype%5D=" + url.QueryEscape(typ)
	}
	return get[[]Connection](ctx, c, "/v1/connections?"+q)
}

// Connection returns one of the user's connections.
func (c *Client) Connection(ctx context.Context, id string) (Connection, error) {
	return get[Connection](ctx, c, "/v1/connections/"+id)
}

// DeleteConnection deletes a connection and its data.
func (c *Client) DeleteConnection(ctx context.Context, id string) error {
	return c.call(ctx, "DELETE", "/v1/connections/"+id, nil, nil)
}

// SyncConnection asks for a sync and returns the status.
func (c *Client) SyncConnection(ctx context.Context, id string) (Status, error) {
	var out Status
	return out, c.call(ctx, "POST", "/v1/connections/"+id+"/sync", nil, &out)
}

// SyncAll asks for a sync of every connection of the user.
func (c *Client) SyncAll(ctx context.Context) ([]Status, error) {
	var out []Status
	return out, c.call(ctx, "POST", "/v1/connections/sync", nil, &out)
}

// ConnectionStatus returns the sync status of a connection.
func (c *Client) ConnectionStatus(ctx context.Context, id string) (Status, error) {
	return get[Status](ctx, c, "/v1/connections/"+id+"/status")
}

// AnswerStep answers the step a sync waits for (PSD2 applications).
func (c *Client) AnswerStep(ctx context.Context, id string, answer map[string]string) (Status, error) {
	var out Status
	return out, c.call(ctx, "POST", "/v1/connections/"+id+"/step", answer, &out)
}

// Accounts lists the user's bank accounts.
func (c *Client) Accounts(ctx context.Context, r iswigo.Range) ([]Account, error) {
	return get[[]Account](ctx, c, "/v1/bank/accounts?"+rangeQuery(r))
}

// Account returns one bank account.
func (c *Client) Account(ctx context.Context, id string) (Account, error) {
	return get[Account](ctx, c, "/v1/bank/accounts/"+id)
}

// Transactions lists an account's transactions, newest first, optionally
// between minDate and maxDate ("" for unbounded).
func (c *Client) Transactions(ctx context.Context, accountID string, r iswigo.Range, minDate, maxDate string) ([]Transaction, error) {
	q := rangeQuery(r)
	if minDate != "" {
		q += "&filters%5Bmin_date%5D=" + minDate
	}
	if maxDate != "" {
		q += "&filters%5Bmax_date%5D=" + maxDate
	}
	return get[[]Transaction](ctx, c, "/v1/bank/accounts/"+accountID+"/transactions?"+q)
}

// Transaction returns one transaction of an account.
func (c *Client) Transaction(ctx context.Context, accountID, id string) (Transaction, error) {
	return get[Transaction](ctx, c, "/v1/bank/accounts/"+accountID+"/transactions/"+id)
}

// Events lists the application's events, newest first.
func (c *Client) Events(ctx context.Context, r iswigo.Range) ([]Event, error) {
	return get[[]Event](ctx, c, "/v1/events?"+rangeQuery(r))
}

// Event returns one event of the application.
func (c *Client) Event(ctx context.Context, id string) (Event, error) {
	return get[Event](ctx, c, "/v1/events/"+id)
}

// CreateFunnelSession opens a funnel session for c's user. body is the
// reference's {"action":"create bank"} or the actions page's form.
func (c *Client) CreateFunnelSession(ctx context.Context, body map[string]any) (*FunnelSession, error) {
	var out FunnelSession
	return &out, c.call(ctx, "POST", "/v1/funnel", body, &out)
}

// DeleteFunnelSession ends a funnel session.
func (c *Client) DeleteFunnelSession(ctx context.Context, id string) error {
	return c.call(ctx, "DELETE", "/v1/funnel/"+id, nil, nil)
}

// Documents lists the user's documents of type typ ("" for all).
func (c *Client) Documents(ctx context.Context, typ string, r iswigo.Range) ([]Document, error) {
	q := rangeQuery(r)
	if typ != "" {
		q += "&filters%5Btype%5D=" + url.QueryEscape(typ)
	}
	return get[[]Document](ctx, c, "/v1/documents?"+q)
}

// Document returns one document's metadata.
func (c *Client) Document(ctx context.Context, id string) (Document, error) {
	return get[Document](ctx, c, "/v1/documents/"+id)
}
