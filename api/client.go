// SPDX-License-Identifier: Apache-2.0

package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/auth"
	"github.com/iswigo/iswigo/internal/httpwire"
)

// Client is a Go client of the Iswigo API. It signs every request with the
// application's secret and, when Token is set, sends it as the Bearer
// access token. A Client is safe for concurrent use; WithToken returns a
// copy for one user.
type Client struct {
	// BaseURL is the server's root, e.g. "http://127.0.0.1:8080".
	BaseURL string
	App     string
	Secret  string
	// Token is the user's access token, for the routes that need one.
	Token string
	// HTTPClient defaults to http.DefaultClient.
	HTTPClient *http.Client
}

// NewClient returns a client of the server at baseURL for an application.
func NewClient(baseURL, app, secret string) *Client {
	return &Client{BaseURL: strings.TrimSuffix(baseURL, "/"), App: app, Secret: secret}
}

// WithToken returns a copy of c acting as the user of token.
func (c *Client) WithToken(token string) *Client {
	cp := *c
	cp.Token = token
	return &cp
}

// Do sends a signed request and returns the response with its body read.
// target is the path and query as they go on the wire (they are signed as
// is); in, when not nil, is sent as JSON (a []byte is sent verbatim).
// Do returns an error only when the request could not be made.
func (c *Client) Do(ctx context.Context, method, target string, in any) (*http.Response, []byte, error) {
	var body []byte
	switch v := in.(type) {
	case nil:
	case []byte:
		body = v
	default:
		var err error
		if body, err = json.Marshal(in); err != nil {
			return nil, nil, err
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+target, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("X-Iswigo-App", c.App)
	req.Header.Set("X-Iswigo-Signature", auth.Signature(c.Secret, method, target, body))
	if len(body) > 0 {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := c.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	return resp, data, nil
}

// call sends a request and decodes a 2xx answer into out (when not nil).
// Any other answer becomes an *iswigo.Error with the server's description.
func (c *Client) call(ctx context.Context, method, target string, in, out any) error {
	resp, data, err := c.Do(ctx, method, target, in)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return responseError(resp.StatusCode, data)
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("decode %s %s: %w", method, target, err)
		}
	}
	return nil
}

// responseError turns an error answer into an *iswigo.Error.
func responseError(status int, data []byte) error {
	var body ErrorBody
	msg := http.StatusText(status)
	if json.Unmarshal(data, &body) == nil && body.Error.Description != "" {
		msg = body.Error.Description
	}
	return &iswigo.Error{Code: httpwire.CodeOf(status), Message: msg}
}

// CreateUser creates a user. When the email is taken it returns the
// existing user and an ECONFLICT error.
func (c *Client) CreateUser(ctx context.Context, email, password string) (*User, error) {
	resp, data, err := c.Do(ctx, "POST", "/v1/users", credentialsRequest{email, password})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusConflict {
		return nil, responseError(resp.StatusCode, data)
	}
	var u User
	if err := json.Unmarshal(data, &u); err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusConflict {
		return &u, iswigo.Errorf(iswigo.ECONFLICT, "User already exists")
	}
	return &u, nil
}

// Authenticate exchanges a user's email and password for an access token.
func (c *Client) Authenticate(ctx context.Context, email, password string) (*Token, error) {
	var t Token
	return &t, c.call(ctx, "POST", "/v1/authenticate", credentialsRequest{email, password}, &t)
}

// Users lists the application's users within r.
func (c *Client) Users(ctx context.Context, r iswigo.Range) ([]User, error) {
	var out []User
	return out, c.call(ctx, "GET", fmt.Sprintf("/v1/users?range=%d-%d", r.From, r.To), nil, &out)
}

// User returns one user of the application.
func (c *Client) User(ctx context.Context, id string) (*User, error) {
	var u User
	return &u, c.call(ctx, "GET", "/v1/users/"+id, nil, &u)
}

// UpdateUserEmail changes a user's login email; password is the current one.
func (c *Client) UpdateUserEmail(ctx context.Context, id, email, password string) (*User, error) {
	var u User
	return &u, c.call(ctx, "PUT", "/v1/users/"+id+"/email", credentialsRequest{email, password}, &u)
}

// UpdateUserPassword changes a user's password; every token issued before dies.
func (c *Client) UpdateUserPassword(ctx context.Context, id, password, newPassword string) (*User, error) {
	var u User
	return &u, c.call(ctx, "PUT", "/v1/users/"+id+"/password", passwordRequest{password, newPassword}, &u)
}

// DeleteUser deletes the user of c's token (id must be that user's).
func (c *Client) DeleteUser(ctx context.Context, id string) error {
	return c.call(ctx, "DELETE", "/v1/users/"+id, nil, nil)
}

// Profile returns the profile of c's user.
func (c *Client) Profile(ctx context.Context) (*Profile, error) {
	var p Profile
	return &p, c.call(ctx, "GET", "/v1/profile", nil, &p)
}

// ProfileUpdate holds the fields of PUT /v1/profile; nil fields are not sent.
type ProfileUpdate struct {
	FirstName      *string `json:"first_name,omitempty"`
	LastName       *string `json:"last_name,omitempty"`
	Company        *string `json:"company,omitempty"`
	TermsOfService *string `json:"terms_of_service,omitempty"`
	Email          *string `json:"email,omitempty"`
}

// UpdateProfile updates the given fields of c's user's profile.
func (c *Client) UpdateProfile(ctx context.Context, u ProfileUpdate) (*Profile, error) {
	var p Profile
	return &p, c.call(ctx, "PUT", "/v1/profile", u, &p)
}

// ProfileValidation returns the state of the contact address's validation.
func (c *Client) ProfileValidation(ctx context.Context) (*Validation, error) {
	var v Validation
	return &v, c.call(ctx, "GET", "/v1/profile/validation", nil, &v)
}

// ValidateProfile proves the contact address with its code (PSD2 apps).
func (c *Client) ValidateProfile(ctx context.Context, token string) error {
	return c.call(ctx, "POST", "/v1/profile/validation", validateRequest{token}, nil)
}
