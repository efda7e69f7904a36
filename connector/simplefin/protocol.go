// SPDX-License-Identifier: Apache-2.0

package simplefin

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/iswigo/iswigo"
)

// accountSet is the Account Set as SimpleFIN 1.0 and the 2.0 draft write
// it; servers send one form or both.
type accountSet struct {
	Errors      []string     `json:"errors"`
	Errlist     []errorEntry `json:"errlist"`
	Connections []struct {
		ConnID  string `json:"conn_id"`
		Name    string `json:"name"`
		OrgName string `json:"org_name"`
	} `json:"connections"`
	Accounts []account `json:"accounts"`
}

type errorEntry struct {
	Code   string `json:"code"`
	ConnID string `json:"conn_id"`
}

type account struct {
	Org *struct {
		Domain string `json:"domain"`
		Name   string `json:"name"`
	} `json:"org"`
	ID               string        `json:"id"`
	Name             string        `json:"name"`
	ConnID           string        `json:"conn_id"`
	Currency         string        `json:"currency"`
	Balance          decimal       `json:"balance"`
	AvailableBalance decimal       `json:"available-balance"`
	BalanceDate      epoch         `json:"balance-date"`
	Transactions     []transaction `json:"transactions"`
}

type transaction struct {
	ID          string  `json:"id"`
	Posted      epoch   `json:"posted"`
	Amount      decimal `json:"amount"`
	Description string  `json:"description"`
	Pending     bool    `json:"pending"`
}

// decimal is a numeric string ("-12.30"); a JSON number is read the same,
// from its text (never through float64).
type decimal string

func (d *decimal) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*d = decimal(s)
		return nil
	}
	if string(b) == "null" {
		*d = ""
		return nil
	}
	*d = decimal(b)
	return nil
}

// epoch is a Unix time in seconds; a fraction ("1700000000.5") is dropped.
type epoch int64

func (e *epoch) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" {
		*e = 0
		return nil
	}
	whole, _, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return fmt.Errorf("simplefin: %q is not an epoch", s)
	}
	*e = epoch(n)
	return nil
}

// maxBody bounds an answer of a SimpleFIN server.
const maxBody = 64 << 20

// decodeSetupToken returns the claim URL of a setup token (base64 of a
// URL; padding and the URL-safe alphabet are tolerated).
func decodeSetupToken(token string) (*url.URL, error) {
	token = strings.TrimSpace(token)
	var raw []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if raw, err = enc.DecodeString(token); err == nil {
			break
		}
	}
	if err != nil {
		return nil, iswigo.Fail(iswigo.ErrnoWrongCredentials, "the setup token is not base64")
	}
	u, err := safeURL(string(raw))
	if err != nil {
		return nil, iswigo.Fail(iswigo.ErrnoWrongCredentials, "the setup token's claim URL: %v", err)
	}
	return u, nil
}

// safeURL parses a SimpleFIN URL: https, or http to a loopback address
// only (tests, development): credentials never cross a network in clear.
func safeURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("not an absolute URL")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !iswigo.LoopbackHost(u.Hostname()) {
			return nil, fmt.Errorf("plain http is refused except to a loopback address")
		}
	default:
		return nil, fmt.Errorf("scheme %q refused", u.Scheme)
	}
	return u, nil
}

// claim exchanges the claim URL for the access URL: 403 → errno 2 (unknown
// or already claimed: the token may be compromised), 402 → errno 3.
func (c *Connector) claim(ctx context.Context, claimURL *url.URL) (string, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", claimURL.String(), nil)
	if err != nil {
		return "", fmt.Errorf("claim request: %w", err)
	}
	req.Header.Set("Content-Length", "0")
	body, err := c.do(req, "claim", iswigo.ErrnoWrongCredentials)
	if err != nil {
		return "", err
	}
	access := strings.TrimSpace(string(body))
	u, err := safeURL(access)
	if err != nil {
		return "", iswigo.Fail(iswigo.ErrnoWrongCredentials, "the claimed access URL: %v", err)
	}
	if _, ok := u.User.Password(); !ok {
		return "", fmt.Errorf("simplefin claim: the answer is not an access URL with credentials")
	}
	return access, nil
}

// fetch reads the Account Set from start (Unix time) on: 403 → errno 9
// (access revoked), 402 → errno 3.
func (c *Connector) fetch(ctx context.Context, accessURL string, start int64) (*accountSet, error) {
	u, err := safeURL(accessURL)
	if err != nil {
		return nil, iswigo.Fail(iswigo.ErrnoAuthExpired, "the stored access URL: %v", err)
	}
	user := u.User
	u.User = nil
	u.Path = strings.TrimSuffix(u.Path, "/") + "/accounts"
	u.RawQuery = url.Values{"start-date": {strconv.FormatInt(start, 10)}}.Encode()
	req, err := http.NewRequestWithContext(ctx, "GET", u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("accounts request: %w", err)
	}
	if user != nil {
		pw, _ := user.Password()
		req.SetBasicAuth(user.Username(), pw)
	}
	req.Header.Set("Accept", "application/json")
	body, err := c.do(req, "accounts", iswigo.ErrnoAuthExpired)
	if err != nil {
		return nil, err
	}
	var set accountSet
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("simplefin accounts: malformed Account Set: %w", err)
	}
	return &set, nil
}

// do sends req and returns the body of a 200. A 403 gives forbidden, 402
// errno 3, 429 and 5xx errno 4, anything else an error (errno 1). Errors
// name the step, never the URL (it may carry credentials).
func (c *Connector) do(req *http.Request, step string, forbidden iswigo.Errno) ([]byte, error) {
	req.Header.Set("User-Agent", "iswigo-simplefin/1")
	resp, err := c.client.Do(req)
	if err != nil {
		if ctxErr := req.Context().Err(); ctxErr != nil {
			return nil, fmt.Errorf("simplefin %s: %w", step, ctxErr)
		}
		if errors.Is(err, errPrivateAddress) {
			return nil, iswigo.Fail(iswigo.ErrnoWrongCredentials, "simplefin %s: %v", step, errPrivateAddress)
		}
		return nil, iswigo.Fail(iswigo.ErrnoUnavailable, "simplefin %s: server unreachable", step)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		if ctxErr := req.Context().Err(); ctxErr != nil {
			return nil, fmt.Errorf("simplefin %s: %w", step, ctxErr)
		}
		return nil, iswigo.Fail(iswigo.ErrnoUnavailable, "simplefin %s: answer cut short", step)
	}
	switch {
	case resp.StatusCode == http.StatusOK:
		if len(body) > maxBody {
			return nil, fmt.Errorf("simplefin %s: answer over %d bytes", step, maxBody)
		}
		return body, nil
	case resp.StatusCode == http.StatusForbidden:
		return nil, iswigo.Fail(forbidden, "simplefin %s: 403", step)
	case resp.StatusCode == http.StatusPaymentRequired:
		return nil, iswigo.Fail(iswigo.ErrnoActionNeeded, "simplefin %s: 402, payment required at the SimpleFIN server", step)
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return nil, iswigo.Fail(iswigo.ErrnoUnavailable, "simplefin %s: %d", step, resp.StatusCode)
	}
	return nil, fmt.Errorf("simplefin %s: unexpected status %d", step, resp.StatusCode)
}

// noRedirect keeps credentials from following a redirect elsewhere.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// errPrivateAddress refuses a connection to a non-public address.
var errPrivateAddress = errors.New("the SimpleFIN server's address is not public")

// defaultClient is the HTTP client of a connector without one: no
// redirect followed, and, unless allowPrivate, no connection to a
// loopback, private, link-local or unspecified address, checked on the
// address dialled (DNS cannot rebind around it).
func defaultClient(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: 30 * time.Second}
	if !allowPrivate {
		dialer.Control = func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			if ip := net.ParseIP(host); ip == nil || !publicIP(ip) {
				return errPrivateAddress
			}
			return nil
		}
	}
	transport := &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: 30 * time.Second,
		ResponseHeaderTimeout: 2 * time.Minute, IdleConnTimeout: 30 * time.Second}
	return &http.Client{Transport: transport, Timeout: 3 * time.Minute, CheckRedirect: noRedirect}
}

// publicIP reports whether ip is a globally routable unicast address.
func publicIP(ip net.IP) bool {
	v4 := ip.To4()
	return !(ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() ||
		(v4 != nil && (v4[0] == 0 || (v4[0] == 100 && v4[1]&0xc0 == 64)))) // 0.0.0.0/8, 100.64.0.0/10
}
