// SPDX-License-Identifier: Apache-2.0

// Package simplefin reads accounts from a SimpleFIN server
// (https://www.simplefin.org/protocol.html): SimpleFIN Bridge, which
// reaches some 16,000 North American institutions, or any other server,
// such as another iswigo.
//
// A connection's one credential is a setup token. The first sync claims
// it (POST to the URL it encodes) and keeps the access URL only in the
// connection's encrypted state; every sync then reads GET /accounts from
// the last successful sync minus Options.Overlap. The connector makes at
// most Options.MaxRequestsPerDay requests per connection in any 24 hours,
// background syncs included: SimpleFIN Bridge allows 24.
package simplefin

import (
	"context"
	"net/http"
	"time"

	"github.com/iswigo/iswigo"
)

// ProviderID is the SimpleFIN Bridge provider (compiled-in ids are below
// iswigo.CatalogFirstProviderID; 910 is this connector's).
const ProviderID = 910

// Options configure the connector. Zero values take the defaults.
type Options struct {
	// HTTPClient makes the requests. Defaults to a client with a 2-minute
	// timeout that follows no redirect (credentials stay with their host).
	HTTPClient *http.Client
	// Overlap is how far before the last successful sync a sync reads
	// again, for transactions that were pending then. Defaults to 7 days.
	Overlap time.Duration
	// History is how far back the first sync reads. Defaults to 90 days.
	History time.Duration
	// MaxRequestsPerDay bounds the requests of one connection in any 24
	// hours, claims included. Defaults to 24, SimpleFIN Bridge's limit.
	MaxRequestsPerDay int
	// AllowPrivate lets the default client reach loopback, private and
	// link-local addresses (tests, local development). Without it, a setup
	// token pointing there fails with errno 2: a user's token must not make
	// the server call its own network.
	AllowPrivate bool
}

// Connector is the SimpleFIN connector. It is safe for concurrent use.
type Connector struct {
	client  *http.Client
	overlap time.Duration
	history time.Duration
	max     int
}

var _ iswigo.Connector = (*Connector)(nil)

// New returns the connector.
func New(o Options) *Connector {
	c := &Connector{client: o.HTTPClient, overlap: o.Overlap, history: o.History, max: o.MaxRequestsPerDay}
	if c.client == nil {
		c.client = defaultClient(o.AllowPrivate)
	}
	if c.overlap <= 0 {
		c.overlap = 7 * 24 * time.Hour
	}
	if c.history <= 0 {
		c.history = 90 * 24 * time.Hour
	}
	if c.max <= 0 {
		c.max = 24
	}
	return c
}

// Provider implements iswigo.Connector.
func (c *Connector) Provider() iswigo.Provider {
	title := "Paste the setup token that SimpleFIN Bridge (or another SimpleFIN server) gave you"
	return iswigo.Provider{ID: ProviderID, Name: "SimpleFIN Bridge", URL: "https://beta-bridge.simplefin.org/",
		Types: []string{iswigo.ProviderTypeBank}, Status: "available", Country: "US",
		Inputs: map[string]iswigo.InputSet{"default": {Title: title, Inputs: []iswigo.Input{
			{Name: "setup_token", Type: "password", Varname: "password", Label: "SimpleFIN setup token",
				MinLength: 16, MaxLength: 1024}}}}}
}

// Sync implements iswigo.Connector.
func (c *Connector) Sync(ctx context.Context, s iswigo.SyncSession) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	token := s.Credentials()["password"]
	claimURL, err := decodeSetupToken(token)
	if err != nil {
		return err
	}
	st, err := loadState(s.State())
	if err != nil {
		return err
	}
	now := s.Now()
	if err := s.Progress(ctx, 0); err != nil {
		return err
	}
	if st.AccessURL == "" || st.SetupHash != setupHash(token) {
		if err := c.spend(ctx, s, st, now); err != nil {
			return err
		}
		access, err := c.claim(ctx, claimURL)
		if err != nil {
			return err
		}
		st.AccessURL, st.SetupHash, st.LastSync = access, setupHash(token), 0
		if err := s.SaveState(ctx, st.bytes()); err != nil { // the access URL cannot be claimed twice
			return err
		}
	}
	if err := s.Progress(ctx, 20); err != nil {
		return err
	}
	start := now.Add(-c.history)
	if st.LastSync > 0 {
		start = time.Unix(st.LastSync, 0).Add(-c.overlap)
	}
	if err := c.spend(ctx, s, st, now); err != nil {
		return err
	}
	set, err := c.fetch(ctx, st.AccessURL, start.Unix())
	if err != nil {
		return err
	}
	if err := s.Progress(ctx, 60); err != nil {
		return err
	}
	if err := put(ctx, s, set, iswigo.DateOf(now)); err != nil {
		return err
	}
	if err := serverErrors(set); err != nil {
		return err
	}
	st.LastSync = now.Unix()
	if err := s.SaveState(ctx, st.bytes()); err != nil {
		return err
	}
	return s.Progress(ctx, 100)
}

// spend counts one request against the connection's daily budget, saved
// before the request is made: errno 4 when the budget is spent.
func (c *Connector) spend(ctx context.Context, s iswigo.SyncSession, st *state, now time.Time) error {
	if !st.spend(now, c.max) {
		return iswigo.Fail(iswigo.ErrnoUnavailable, "simplefin: %d requests in the last 24 hours, the most allowed", c.max)
	}
	return s.SaveState(ctx, st.bytes())
}

// put stores the Account Set's accounts and their booked transactions.
// An account's key is its SimpleFIN id (the connection's id before it
// when two connections reuse an id).
func put(ctx context.Context, s iswigo.SyncSession, set *accountSet, today iswigo.Date) error {
	seen := map[string]bool{}
	for _, a := range set.Accounts {
		key := a.ID
		if seen[key] {
			key = a.ConnID + "/" + a.ID
		}
		acc, txs, ok := convertAccount(a, key, today)
		if !ok || seen[key] {
			continue // not readable exactly (docs/simplefin.md)
		}
		seen[key] = true
		if err := s.PutAccount(ctx, acc); err != nil {
			return err
		}
		if err := s.PutTransactions(ctx, key, txs); err != nil {
			return err
		}
	}
	return nil
}

// serverErrors turns the Account Set's errors into the connection's
// errno, once what could be read is stored: a connection to re-authorize
// at the SimpleFIN server (errlist con.auth) → 9, any other error → 4.
func serverErrors(set *accountSet) error {
	for _, e := range set.Errlist {
		if e.Code == "con.auth" || e.Code == "gen.auth" {
			return iswigo.Fail(iswigo.ErrnoAuthExpired, "simplefin: a connection needs re-authentication at the SimpleFIN server")
		}
	}
	if len(set.Errlist) > 0 || len(set.Errors) > 0 {
		return iswigo.Fail(iswigo.ErrnoUnavailable, "simplefin: the server reports %d errors", max(len(set.Errlist), len(set.Errors)))
	}
	return nil
}
