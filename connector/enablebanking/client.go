// SPDX-License-Identifier: Apache-2.0

// Package enablebanking connects PSD2 banks through Enable Banking
// (https://enablebanking.com), a licensed aggregator of some 2,500
// European banks: one provider per bank of the configured countries (a
// catalogue of family "enablebanking"), authorized by redirecting the
// person to their bank (or approving in its app), then read with the
// session's account uids until the consent lapses.
//
// Every request carries a JWT signed RS256 with the application's key
// (header kid = application id), as Enable Banking's API reference says.
package enablebanking

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// DefaultURL is Enable Banking's API.
const DefaultURL = "https://api.enablebanking.com"

// Config configures the connector. AppID and Key are required.
type Config struct {
	// AppID is the application's id in Enable Banking's control panel (the
	// JWT's kid).
	AppID string
	// Key is the application's private key (its certificate is uploaded
	// to Enable Banking).
	Key *rsa.PrivateKey
	// URL is the API's base URL. Defaults to DefaultURL.
	URL string
	// Countries are the ISO 3166 codes whose banks are published.
	Countries []string
	// HTTPClient defaults to a client with a 60-second timeout.
	HTTPClient *http.Client
	// Now defaults to time.Now.
	Now func() time.Time
	// RefreshInterval is how often the bank list is listed again.
	// Defaults to 24 hours.
	RefreshInterval time.Duration
	// CallbackURL is iswigo's GET /callback (registered with the
	// application as a redirect URL); decoupled banks need it.
	CallbackURL string
	// DecoupledPoll is how often a decoupled authorization is polled.
	// Defaults to 3 seconds.
	DecoupledPoll time.Duration
}

// client calls Enable Banking's API.
type client struct {
	cfg Config

	mu      sync.Mutex
	token   string
	expires time.Time // of token
}

// tokenLifetime is the JWT's lifetime (Enable Banking accepts up to 24
// hours; an hour bounds a leaked token). A token is reused until
// tokenMargin before it expires.
const (
	tokenLifetime = time.Hour
	tokenMargin   = 5 * time.Minute
)

// bearer returns a valid JWT, signed anew when the cached one is near
// its expiry.
func (c *client) bearer() (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.cfg.Now()
	if c.token != "" && now.Add(tokenMargin).Before(c.expires) {
		return c.token, nil
	}
	exp := now.Add(tokenLifetime)
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss": "enablebanking.com",
		"aud": "api.enablebanking.com",
		"iat": now.Unix(),
		"exp": exp.Unix(),
	})
	t.Header["kid"] = c.cfg.AppID
	signed, err := t.SignedString(c.cfg.Key)
	if err != nil {
		return "", fmt.Errorf("sign request token: %w", err)
	}
	c.token, c.expires = signed, exp
	return signed, nil
}

// apiError is an answer of Enable Banking other than 2xx.
type apiError struct {
	Status     int
	Code       string // the body's "error" (EXPIRED_SESSION…), "" when none
	RetryAfter time.Duration
}

func (e *apiError) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("enable banking: HTTP %d %s", e.Status, e.Code)
	}
	return fmt.Sprintf("enable banking: HTTP %d", e.Status)
}

// psu describes the person present, for banks that want it.
type psu struct{ ip, userAgent string }

// maxResponse bounds one answer of the API.
const maxResponse = 16 << 20

// do sends one request and decodes a 2xx answer's JSON into out. A 429 is
// retried once after its Retry-After (at most a minute) before giving up.
func (c *client) do(ctx context.Context, method, path string, query url.Values, body, out any, person psu) error {
	for attempt := 0; ; attempt++ {
		err := c.once(ctx, method, path, query, body, out, person)
		var ae *apiError
		if attempt == 0 && errors.As(err, &ae) && ae.Status == http.StatusTooManyRequests && ae.RetryAfter <= time.Minute {
			t := time.NewTimer(ae.RetryAfter)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
			continue
		}
		return err
	}
}

func (c *client) once(ctx context.Context, method, path string, query url.Values, body, out any, person psu) error {
	u := strings.TrimSuffix(c.cfg.URL, "/") + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	token, err := c.bearer()
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if person.ip != "" {
		req.Header.Set("Psu-Ip-Address", person.ip)
	}
	if person.userAgent != "" {
		req.Header.Set("Psu-User-Agent", person.userAgent)
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return &transportError{err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return &transportError{err}
	}
	if resp.StatusCode/100 != 2 {
		ae := &apiError{Status: resp.StatusCode}
		var eb struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(data, &eb) == nil && len(eb.Error) <= 64 {
			ae.Code = eb.Error
		}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 {
			ae.RetryAfter = time.Duration(s) * time.Second
		}
		return ae
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("enable banking %s %s: unexpected answer: %w", method, path, err)
	}
	return nil
}

// transportError is a failure to reach the API (network, timeout).
type transportError struct{ err error }

func (e *transportError) Error() string { return "enable banking unreachable: " + e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }
