// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
)

// sfConnect connects c's user to the fixture bank and waits for the sync.
func sfConnect(t *testing.T, c *api.Client, password string) string {
	t.Helper()
	conn, err := c.CreateConnection(context.Background(), fixtureBankID, map[string]string{"login": "me", "password": password})
	if err != nil {
		t.Fatal(err)
	}
	waitStatus(t, c, conn.ConnectionID, done)
	return conn.ConnectionID
}

// sfRequest sends a SimpleFIN request through the OpenAPI-checked transport.
func sfRequest(t *testing.T, method, rawURL string) (int, http.Header, []byte) {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(method, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if u.User != nil { // Go sends the userinfo as Basic auth; say so explicitly
		pw, _ := u.User.Password()
		req.SetBasicAuth(u.User.Username(), pw)
	}
	resp, err := (&http.Client{Transport: checkedTransport(t)}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, body
}

// sfClaim decodes a setup token and claims it.
func sfClaim(t *testing.T, setupToken string) (int, string) {
	t.Helper()
	claimURL, err := base64.StdEncoding.DecodeString(setupToken)
	if err != nil {
		t.Fatalf("setup token %q is not base64: %v", setupToken, err)
	}
	status, _, body := sfRequest(t, "POST", string(claimURL))
	return status, string(body)
}

// sfSetup creates a token for c's user (accounts nil = all) and claims it.
func sfSetup(t *testing.T, c *api.Client, accounts []string) (*api.SimpleFINSetup, string) {
	t.Helper()
	setup, err := c.CreateSimpleFINToken(context.Background(), accounts)
	if err != nil {
		t.Fatal(err)
	}
	status, access := sfClaim(t, setup.SetupToken)
	if status != http.StatusOK {
		t.Fatalf("claim: %d %s", status, access)
	}
	return setup, access
}

// sfAccounts reads the Account Set of an access URL with a query.
func sfAccounts(t *testing.T, access, query string) api.SimpleFINAccountSet {
	t.Helper()
	status, _, body := sfRequest(t, "GET", access+"/accounts"+query)
	if status != http.StatusOK {
		t.Fatalf("GET /accounts%s: %d %s", query, status, body)
	}
	var set api.SimpleFINAccountSet
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&set); err != nil {
		t.Fatalf("Account Set %s: %v", body, err)
	}
	return set
}

func sfAccount(t *testing.T, set api.SimpleFINAccountSet, currency string) api.SimpleFINAccount {
	t.Helper()
	for _, a := range set.Accounts {
		if a.Currency == currency {
			return a
		}
	}
	t.Fatalf("no %s account in %+v", currency, set.Accounts)
	return api.SimpleFINAccount{}
}

// noonOf returns the posted epoch of the day n days before today.
func noonOf(n int) int64 {
	return iswigo.DateOf(time.Now()).AddDays(-n).Time().Unix() + 12*3600
}

func TestSimpleFINAccountSet(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		_, c := e.user(t, e.psd2, "sfin@example.com")
		connID := sfConnect(t, c, "good")
		setup, access := sfSetup(t, c, nil)

		// The setup token is the base64 of the claim URL on the public URL.
		if !strings.HasPrefix(setup.ClaimURL, e.server.PublicURL+"/simplefin/claim/") || setup.Accounts != nil {
			t.Fatalf("setup = %+v", setup)
		}
		if got := time.Until(setup.ExpiresAt.Time()); got < 23*time.Hour || got > 25*time.Hour {
			t.Fatalf("expires in %v; want 24h", got)
		}
		u, _ := url.Parse(access)
		pub, _ := url.Parse(e.server.PublicURL)
		if pw, ok := u.User.Password(); u.Scheme != pub.Scheme || u.Host != pub.Host || u.Path != "/simplefin" ||
			len(u.User.Username()) != 32 || !ok || len(pw) != 64 {
			t.Fatalf("access URL %s", access)
		}
		// One claim only.
		if status, _ := sfClaim(t, setup.SetupToken); status != http.StatusForbidden {
			t.Fatalf("second claim: %d; want 403", status)
		}

		set := sfAccounts(t, access, "")
		if len(set.Accounts) != 3 || len(set.Errors) != 0 || len(set.Errlist) != 0 || len(set.Connections) != 1 {
			t.Fatalf("set = %+v", set)
		}
		conn := set.Connections[0]
		if conn.ConnID != connID || conn.Name != "Fixture Bank" || conn.OrgID != strconv.Itoa(fixtureBankID) ||
			conn.SFINURL != e.server.PublicURL+"/simplefin" {
			t.Fatalf("connection = %+v", conn)
		}
		accounts, err := c.Accounts(ctx, iswigo.Range{From: 0, To: 99})
		if err != nil {
			t.Fatal(err)
		}
		eur := sfAccount(t, set, "EUR")
		want := api.SimpleFINOrg{Domain: "www.fixture-bank.example", Name: "Fixture Bank", SFINURL: e.server.PublicURL + "/simplefin",
			URL: "https://www.fixture-bank.example/", ID: strconv.Itoa(fixtureBankID)}
		if eur.Org != want || eur.ConnID != connID || eur.Name != "Checking" {
			t.Fatalf("EUR account = %+v", eur)
		}
		if !slices.ContainsFunc(accounts, func(a api.Account) bool { return a.AccountID == eur.ID }) {
			t.Fatalf("account id %s is not an iswigo account id", eur.ID)
		}
		// Exactly the currency's decimals.
		for cur, want := range map[string][2]string{"EUR": {"1234.50", "-12.30 1000.00 -0.05"}, "JPY": {"12345", "-300"}, "KWD": {"1.500", "-0.250"}} {
			a := sfAccount(t, set, cur)
			var amounts []string
			for _, tx := range a.Transactions {
				amounts = append(amounts, tx.Amount)
			}
			if a.Balance != want[0] || a.AvailableBalance != want[0] || strings.Join(amounts, " ") != want[1] {
				t.Errorf("%s: balance %s, amounts %v; want %s, %s", cur, a.Balance, amounts, want[0], want[1])
			}
			if a.BalanceDate < time.Now().Add(-time.Minute).Unix() || a.BalanceDate > time.Now().Unix()+1 {
				t.Errorf("%s: balance-date %d is not the last sync", cur, a.BalanceDate)
			}
		}
		// Booked, ordered by posted (noon UTC of the operation date), iswigo ids and wordings.
		txs, err := c.Transactions(ctx, eur.ID, iswigo.Range{From: 0, To: 99}, "", "")
		if err != nil {
			t.Fatal(err)
		}
		wantPosted := []int64{noonOf(3), noonOf(2), noonOf(1)}
		for i, tx := range eur.Transactions {
			if tx.Posted != wantPosted[i] || tx.Pending {
				t.Errorf("transaction %d posted %d; want %d", i, tx.Posted, wantPosted[i])
			}
			j := slices.IndexFunc(txs, func(x api.Transaction) bool { return x.TransactionID == tx.ID })
			if j < 0 || txs[j].Wording != tx.Description {
				t.Errorf("transaction %+v is not iswigo's", tx)
			}
		}

		// Each read is an event, and the token says it was read.
		events, err := e.psd2.Events(ctx, iswigo.Range{From: 0, To: 99})
		if err != nil {
			t.Fatal(err)
		}
		if i := slices.IndexFunc(events, func(ev api.Event) bool { return ev.Type == iswigo.EventSimpleFINAccessed }); i < 0 ||
			!strings.Contains(string(events[i].Data), setup.TokenID) {
			t.Fatalf("no simplefin.accessed event for %s in %+v", setup.TokenID, events)
		}
		tokens, err := c.SimpleFINTokens(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(tokens) != 1 || tokens[0].Status != "active" || tokens[0].LastAccessAt.Time().IsZero() || tokens[0].ClaimedAt.Time().IsZero() {
			t.Fatalf("tokens = %+v", tokens)
		}

		// Info.
		status, _, body := sfRequest(t, "GET", e.server.PublicURL+"/simplefin/info")
		if status != 200 || strings.TrimSpace(string(body)) != `{"versions":["1.0"]}` {
			t.Fatalf("info: %d %s", status, body)
		}
	})
}

func TestSimpleFINParameters(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		_, c := e.user(t, e.psd2, "params@example.com")
		sfConnect(t, c, "good")
		_, access := sfSetup(t, c, nil)
		all := sfAccounts(t, access, "")
		eur, jpy := sfAccount(t, all, "EUR"), sfAccount(t, all, "JPY")
		count := func(set api.SimpleFINAccountSet, cur string) int {
			return len(sfAccount(t, set, cur).Transactions)
		}
		// start-date is inclusive, end-date exclusive.
		for _, tc := range []struct {
			query string
			want  int
		}{
			{"?start-date=" + strconv.FormatInt(noonOf(2), 10), 2},
			{"?start-date=" + strconv.FormatInt(noonOf(2)+1, 10), 1},
			{"?end-date=" + strconv.FormatInt(noonOf(2), 10), 1},
			{"?end-date=" + strconv.FormatInt(noonOf(2)+1, 10), 2},
			{"?start-date=" + strconv.FormatInt(noonOf(2), 10) + "&end-date=" + strconv.FormatInt(noonOf(1), 10), 1},
			{"?start-date=" + strconv.FormatInt(noonOf(1), 10) + "&end-date=" + strconv.FormatInt(noonOf(2), 10), 0},
			{"?start-date=0&end-date=1", 0},
			{"?pending=1", 3},
			{"?start-date=" + strconv.FormatInt(noonOf(2)-1, 10) + ".5", 2},
			{"?start-date=" + strconv.FormatInt(noonOf(2), 10) + ".000", 2},
			{"?end-date=" + strconv.FormatInt(noonOf(2), 10) + ".25", 2},
			{"?pending=0&version=2", 3},
		} {
			if got := count(sfAccounts(t, access, tc.query), "EUR"); got != tc.want {
				t.Errorf("%s: %d transactions; want %d", tc.query, got, tc.want)
			}
		}
		// account= is repeatable; an unknown account is left out.
		set := sfAccounts(t, access, "?account="+eur.ID+"&account="+strings.ToUpper(jpy.ID)+"&account=00000000-0000-7000-8000-000000000000")
		if len(set.Accounts) != 2 || set.Accounts[0].ID == set.Accounts[1].ID {
			t.Fatalf("account filter: %+v", set.Accounts)
		}
		if set := sfAccounts(t, access, "?account="+jpy.ID); len(set.Accounts) != 1 || set.Accounts[0].ID != jpy.ID {
			t.Fatalf("one account: %+v", set.Accounts)
		}
		// balances-only: balances, no transactions.
		set = sfAccounts(t, access, "?balances-only=1")
		if len(set.Accounts) != 3 || count(set, "EUR") != 0 || sfAccount(t, set, "EUR").Balance != "1234.50" {
			t.Fatalf("balances-only: %+v", set.Accounts)
		}
		// Bad parameters: 400, in the error envelope.
		for _, q := range []string{"?start-date=yesterday", "?end-date=-1", "?start-date=1e9", "?pending=yes", "?balances-only=true",
			"?start-date=99999999999999", "?start-date=1.", "?start-date=.5", "?start-date=+5", "?end-date=1.2.3"} {
			status, _, body := sfRequest(t, "GET", access+"/accounts"+q)
			wantEnvelope(t, status, body, http.StatusBadRequest, "Invalid")
		}
	})
}

func TestSimpleFINScopeAndErrors(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		_, c := e.user(t, e.psd2, "scope@example.com")
		connID := sfConnect(t, c, "good")
		_, all := sfSetup(t, c, nil)
		eur := sfAccount(t, sfAccounts(t, all, ""), "EUR")

		// A token for one account sees only it, even when asking for others.
		setup, one := sfSetup(t, c, []string{strings.ToUpper(eur.ID), eur.ID})
		if len(setup.Accounts) != 1 || setup.Accounts[0] != eur.ID {
			t.Fatalf("accounts = %v", setup.Accounts)
		}
		if set := sfAccounts(t, one, ""); len(set.Accounts) != 1 || set.Accounts[0].ID != eur.ID {
			t.Fatalf("scoped: %+v", set.Accounts)
		}
		jpy := sfAccount(t, sfAccounts(t, all, ""), "JPY")
		if set := sfAccounts(t, one, "?account="+jpy.ID); len(set.Accounts) != 0 {
			t.Fatalf("scoped token reads an unshared account: %+v", set.Accounts)
		}
		// Bad account lists.
		resp, body, err := c.Do(ctx, "POST", "/v1/simplefin/tokens", map[string]any{"accounts": "all"})
		if err != nil {
			t.Fatal(err)
		}
		wantEnvelope(t, resp.StatusCode, body, http.StatusBadRequest, "Invalid accounts")
		for _, accounts := range [][]string{{}, {"nope"}, {"00000000-0000-7000-8000-000000000000"}} {
			_, err := c.CreateSimpleFINToken(ctx, accounts)
			wantError(t, err, iswigo.EINVALID, "Invalid accounts")
		}

		// A connection whose first sync failed has no account, but is listed
		// with its error (to an all-accounts token only).
		failed := sfConnect(t, c, "wrong")
		set := sfAccounts(t, all, "")
		if len(set.Accounts) != 3 || len(set.Connections) != 2 || len(set.Errlist) != 1 || set.Errlist[0].ConnID != failed ||
			set.Errlist[0].Code != "con.auth" {
			t.Fatalf("failed first sync: %+v", set)
		}
		if set := sfAccounts(t, one, ""); len(set.Connections) != 1 || len(set.Errlist) != 0 {
			t.Fatalf("a scoped token sees another connection: %+v", set)
		}
		if err := c.DeleteConnection(ctx, failed); err != nil {
			t.Fatal(err)
		}

		// A connection in error: errors line and errlist entry.
		// The bank's words for the person, and its page, follow.
		for _, tc := range []struct{ password, code, more string }{{"wrong", "con.auth", ""}, {"locked", "gen.", ""},
			{"terms", "gen.", ": Accept our new terms (https://www.fixture-bank.example/terms)"}} {
			if _, err := c.UpdateConnection(ctx, connID, map[string]any{"password": tc.password}); err != nil {
				t.Fatal(err)
			}
			waitStatus(t, c, connID, isStatus(iswigo.StatusError))
			set := sfAccounts(t, all, "")
			want := "Connection to Fixture Bank may need attention" + tc.more
			if len(set.Accounts) != 3 || len(set.Errors) != 1 || set.Errors[0] != want || len(set.Errlist) != 1 {
				t.Fatalf("%s: set = %+v", tc.password, set)
			}
			if got := set.Errlist[0]; got.Code != tc.code || got.Msg != want || got.Message != want || got.ConnID != connID {
				t.Fatalf("%s: errlist = %+v; want %s", tc.password, got, tc.code)
			}
		}
	})
}

func TestSimpleFINClaimsAndRevocation(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		me, c := e.user(t, e.psd2, "revoke@example.com")
		sfConnect(t, c, "good")
		setup, access := sfSetup(t, c, nil)
		sfAccounts(t, access, "")

		// Wrong credentials, none, a made-up claim: 403.
		u, _ := url.Parse(access)
		wrong := *u
		wrong.User = url.UserPassword(u.User.Username(), strings.Repeat("0", 64))
		other := *u
		other.User = url.UserPassword(strings.Repeat("a", 32), strings.Repeat("0", 64))
		for _, target := range []string{wrong.String() + "/accounts", other.String() + "/accounts", e.server.PublicURL + "/simplefin/accounts"} {
			status, _, body := sfRequest(t, "GET", target)
			wantEnvelope(t, status, body, http.StatusForbidden, "Authentication failed")
		}
		for _, secret := range []string{strings.Repeat("A", 43), "short", strings.Repeat("A", 44)} {
			status, _, body := sfRequest(t, "POST", e.server.PublicURL+"/simplefin/claim/"+secret)
			wantEnvelope(t, status, body, http.StatusForbidden, "Setup token")
		}
		// The claim's secret never reaches the logs.
		secret := setup.ClaimURL[strings.LastIndex(setup.ClaimURL, "/")+1:]
		if strings.Contains(e.logs.String(), secret) || strings.Contains(e.logs.String(), u.User.String()) {
			t.Fatal("a SimpleFIN secret is in the logs")
		}

		// An expired token cannot be claimed.
		late := e.variant(t, func(s *api.Server) { s.Now = func() time.Time { return time.Now().Add(25 * time.Hour) } })
		expiring, err := c.CreateSimpleFINToken(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		claim, _ := base64.StdEncoding.DecodeString(expiring.SetupToken)
		lateURL := late.http.URL + string(claim)[len(e.server.PublicURL):]
		if status, _, _ := sfRequest(t, "POST", lateURL); status != http.StatusForbidden {
			t.Fatalf("expired claim: %d; want 403", status)
		}
		tokens, err := late.client(t, e.psd2App).WithToken(c.Token).SimpleFINTokens(ctx)
		if err != nil || len(tokens) != 2 || tokens[1].Status != "expired" {
			t.Fatalf("tokens = %+v, %v", tokens, err)
		}

		// Revocation with the token.
		if err := c.DeleteSimpleFINToken(ctx, setup.TokenID); err != nil {
			t.Fatal(err)
		}
		status, _, body := sfRequest(t, "GET", access+"/accounts")
		wantEnvelope(t, status, body, http.StatusForbidden, "Authentication failed")
		wantError(t, c.DeleteSimpleFINToken(ctx, setup.TokenID), iswigo.ENOTFOUND, "")
		wantError(t, c.DeleteSimpleFINToken(ctx, "not-an-id"), iswigo.ENOTFOUND, "")

		// Deleting the user revokes everything.
		_, access2 := sfSetup(t, c, nil)
		sfAccounts(t, access2, "")
		if err := c.DeleteUser(ctx, me.UserID); err != nil {
			t.Fatal(err)
		}
		status, _, body = sfRequest(t, "GET", access2+"/accounts")
		wantEnvelope(t, status, body, http.StatusForbidden, "Authentication failed")
	})
}

func TestSimpleFINIsolation(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		_, alice := e.user(t, e.psd2, "alice@example.com")
		_, bob := e.user(t, e.psd2, "bob@example.com")
		_, carol := e.user(t, e.plain, "carol@example.com") // another application
		sfConnect(t, alice, "good")
		sfConnect(t, bob, "good")
		aliceSetup, aliceAccess := sfSetup(t, alice, nil)
		_, bobAccess := sfSetup(t, bob, nil)
		_, carolAccess := sfSetup(t, carol, nil)

		ids := func(access string) []string {
			var out []string
			for _, a := range sfAccounts(t, access, "").Accounts {
				out = append(out, a.ID)
			}
			return out
		}
		aliceIDs, bobIDs := ids(aliceAccess), ids(bobAccess)
		if len(aliceIDs) != 3 || len(bobIDs) != 3 || len(ids(carolAccess)) != 0 {
			t.Fatalf("accounts: alice %v, bob %v", aliceIDs, bobIDs)
		}
		for _, id := range bobIDs {
			if slices.Contains(aliceIDs, id) {
				t.Fatalf("alice's credentials see bob's account %s", id)
			}
		}
		// Asking for another user's account by id gives nothing.
		if set := sfAccounts(t, aliceAccess, "?account="+bobIDs[0]); len(set.Accounts) != 0 {
			t.Fatalf("alice reads bob's account: %+v", set.Accounts)
		}
		if set := sfAccounts(t, carolAccess, "?account="+bobIDs[0]+"&account="+aliceIDs[0]); len(set.Accounts) != 0 {
			t.Fatalf("another app's user reads: %+v", set.Accounts)
		}
		// Tokens: another's is 404, sharing another's account is refused.
		wantError(t, bob.DeleteSimpleFINToken(ctx, aliceSetup.TokenID), iswigo.ENOTFOUND, "")
		wantError(t, carol.DeleteSimpleFINToken(ctx, aliceSetup.TokenID), iswigo.ENOTFOUND, "")
		_, err := bob.CreateSimpleFINToken(ctx, []string{aliceIDs[0]})
		wantError(t, err, iswigo.EINVALID, "Invalid accounts")
		if tokens, err := bob.SimpleFINTokens(ctx); err != nil || len(tokens) != 1 {
			t.Fatalf("bob's tokens: %+v, %v", tokens, err)
		}
		if set := sfAccounts(t, aliceAccess, ""); len(set.Accounts) != 3 {
			t.Fatal("alice's token was revoked by another")
		}
	})
}

func TestSimpleFINRateLimits(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		_, c := e.user(t, e.psd2, "flood@example.com")
		_, access := sfSetup(t, c, nil)
		_, other := sfSetup(t, c, nil)
		// A burst of 30 reads passes; the 31st in the hour is refused.
		for i := 0; i < 30; i++ {
			sfAccounts(t, access, "?balances-only=1")
		}
		status, h, body := sfRequest(t, "GET", access+"/accounts")
		wantEnvelope(t, status, body, http.StatusTooManyRequests, "Too many")
		if n, err := strconv.Atoi(h.Get("Retry-After")); err != nil || n < 1 || n > 3600 {
			t.Fatalf("Retry-After = %q", h.Get("Retry-After"))
		}
		// Another access URL is not affected.
		sfAccounts(t, other, "")

		// 20 failed logins from one address, then 429 even for good ones.
		u, _ := url.Parse(other)
		u.User = url.UserPassword(u.User.Username(), "wrong")
		for i := 0; i < 20; i++ {
			status, _, _ := sfRequest(t, "GET", u.String()+"/accounts")
			if status != http.StatusForbidden {
				t.Fatalf("failure %d: %d", i, status)
			}
		}
		status, _, body = sfRequest(t, "GET", other+"/accounts")
		wantEnvelope(t, status, body, http.StatusTooManyRequests, "Too many")
	})
}

func TestSimpleFINTokenLimit(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		_, c := e.user(t, e.psd2, "many@example.com")
		for i := 0; i < iswigo.MaxSimpleFINTokens; i++ {
			if _, err := c.CreateSimpleFINToken(ctx, nil); err != nil {
				t.Fatal(err)
			}
		}
		_, err := c.CreateSimpleFINToken(ctx, nil)
		wantError(t, err, iswigo.ECONFLICT, "Too many SimpleFIN tokens")
	})
}

// TestSimpleFINGolden pins the Account Set and the token list, produced by
// the real server with the store's clock frozen.
func TestSimpleFINGolden(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		frozen := time.Date(2026, 3, 15, 9, 30, 0, 0, time.UTC)
		e.db.Now = func() time.Time { return frozen }
		e.server.Now = func() time.Time { return frozen }
		_, c := e.user(t, e.psd2, "golden-sfin@example.com")
		sfConnect(t, c, "good")
		sfConnect(t, c, "locked") // in error: errors, errlist
		_, access := sfSetup(t, c, nil)
		status, _, body := sfRequest(t, "GET", access+"/accounts?start-date="+strconv.FormatInt(frozen.AddDate(0, 0, -2).Unix(), 10))
		if status != http.StatusOK {
			t.Fatalf("accounts: %d %s", status, body)
		}
		golden(t, "simplefin-accounts", body)
		resp, body, err := c.Do(ctx, "GET", "/v1/simplefin/tokens", nil)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("tokens: %v %s", err, body)
		}
		golden(t, "simplefin-tokens-list", body)
	})
}
