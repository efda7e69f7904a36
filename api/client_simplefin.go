// SPDX-License-Identifier: Apache-2.0

package api

import (
	"context"
	"net/url"
)

// CreateSimpleFINToken creates a SimpleFIN setup token sharing accounts
// (nil = all the user's accounts).
func (c *Client) CreateSimpleFINToken(ctx context.Context, accounts []string) (*SimpleFINSetup, error) {
	var in any
	if accounts != nil {
		in = map[string]any{"accounts": accounts}
	}
	var out SimpleFINSetup
	return &out, c.call(ctx, "POST", "/v1/simplefin/tokens", in, &out)
}

// SimpleFINTokens lists the user's SimpleFIN tokens.
func (c *Client) SimpleFINTokens(ctx context.Context) ([]SimpleFINToken, error) {
	out, err := get[struct {
		Tokens []SimpleFINToken `json:"tokens"`
	}](ctx, c, "/v1/simplefin/tokens")
	return out.Tokens, err
}

// DeleteSimpleFINToken revokes one of the user's SimpleFIN tokens.
func (c *Client) DeleteSimpleFINToken(ctx context.Context, id string) error {
	return c.call(ctx, "DELETE", "/v1/simplefin/tokens/"+url.PathEscape(id), nil, nil)
}
