// SPDX-License-Identifier: Apache-2.0

package simplefin_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector/connectortest"
	"github.com/iswigo/iswigo/connector/simplefin"
)

var now = time.Date(2026, time.March, 15, 12, 0, 0, 0, time.UTC)

func creds(token string) map[string]string { return map[string]string{"password": token} }

func TestExercise(t *testing.T) {
	f := newFake(t, now)
	connectortest.Exercise(t, simplefin.New(simplefin.Options{AllowPrivate: true}), connectortest.Fixture{
		Good: creds(f.token("ok")), Wrong: creds(f.token("unknown-token")), Now: now})
}

func syncOnce(t *testing.T, c *simplefin.Connector, token string, state []byte, at time.Time) (*connectortest.Session, error) {
	t.Helper()
	s := connectortest.NewSession(creds(token), at)
	s.SavedState = state
	return s, c.Sync(context.Background(), s)
}

func TestErrors(t *testing.T) {
	f := newFake(t, now)
	c := simplefin.New(simplefin.Options{AllowPrivate: true})
	for _, tc := range []struct {
		name, token string
		errno       iswigo.Errno
		stored      bool // accounts stored before the error
	}{
		{"claim 403", f.token("unknown"), iswigo.ErrnoWrongCredentials, false},
		{"claim 402", f.token("paid"), iswigo.ErrnoActionNeeded, false},
		{"accounts 403", f.token("revoked"), iswigo.ErrnoAuthExpired, false},
		{"accounts 402", f.token("unpaid"), iswigo.ErrnoActionNeeded, false},
		{"accounts 503", f.token("down"), iswigo.ErrnoUnavailable, false},
		{"errlist con.auth", f.token("errauth"), iswigo.ErrnoAuthExpired, true},
		{"errlist other", f.token("errgen"), iswigo.ErrnoUnavailable, true},
		{"1.0 errors", f.token("errors10"), iswigo.ErrnoUnavailable, true},
		{"not base64", "this is not a setup token!", iswigo.ErrnoWrongCredentials, false},
		{"plain http claim URL", base64.StdEncoding.EncodeToString([]byte("http://bank.example.com/simplefin/claim/x")), iswigo.ErrnoWrongCredentials, false},
		{"plain http access URL", f.token("plainhttp"), iswigo.ErrnoWrongCredentials, false},
		{"not a URL", base64.StdEncoding.EncodeToString([]byte("ftp://bank.example.com/claim")), iswigo.ErrnoWrongCredentials, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := syncOnce(t, c, tc.token, nil, now)
			if got := iswigo.ErrnoOf(err); got != tc.errno {
				t.Fatalf("errno %d (%v); want %d", got, err, tc.errno)
			}
			if (len(s.Accounts) > 0) != tc.stored {
				t.Fatalf("%d accounts stored; want stored=%v", len(s.Accounts), tc.stored)
			}
			if err != nil && strings.Contains(err.Error(), "s3cr3t") {
				t.Fatalf("the error %q shows the access URL's password", err)
			}
		})
	}
	// A token claimed once cannot be claimed again: errno 2.
	first, err := syncOnce(t, c, f.token("once"), nil, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := syncOnce(t, c, f.token("once"), nil, now); iswigo.ErrnoOf(err) != iswigo.ErrnoWrongCredentials {
		t.Fatalf("second claim: %v; want errno 2", err)
	}
	// With the state of the first claim, no claim is needed.
	if _, err := syncOnce(t, c, f.token("once"), first.SavedState, now.Add(time.Hour)); err != nil {
		t.Fatalf("sync with the claimed access URL: %v", err)
	}
}

func TestAccountsAndTransactions(t *testing.T) {
	f := newFake(t, now)
	s, err := syncOnce(t, simplefin.New(simplefin.Options{AllowPrivate: true}), f.token("ok"), nil, now)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range s.Accounts {
		got[a.Key] = a.Type + "|" + a.Name + "|" + a.Currency + "|" + a.Balance.String()
	}
	want := map[string]string{
		"ACT-1": "account|Everyday Checking|USD|1234.56",
		"ACT-2": "account|Frequent Flyer (www.example.com/flight-miles)|XXX|12500",
		"ACT-4": "savings|Rewards Savings|USD|-0.01",
	}
	if len(got) != len(want) {
		t.Fatalf("accounts %v; want %v (ACT-3's balance has more decimals than USD: left out)", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("account %s = %s; want %s", k, got[k], v)
		}
	}
	var txs []string
	for _, tx := range s.Transactions["ACT-1"] {
		txs = append(txs, tx.ProviderID+" "+tx.OperationDate.String()+" "+tx.Amount.String()+" "+tx.Wording)
	}
	wantTxs := "T-1 2026-03-09 -45.1 GROCERY STORE #12|T-2 2026-03-11 2500 PAYROLL|T-3 2026-03-13 -3.5 Coffee"
	if strings.Join(txs, "|") != wantTxs {
		t.Fatalf("transactions (booked only) =\n%s\nwant\n%s", strings.Join(txs, "|"), wantTxs)
	}
	if m := s.Transactions["ACT-2"]; len(m) != 1 || m[0].Amount != (iswigo.Money{Minor: 25000, Currency: "XXX"}) {
		t.Fatalf("custom currency transactions = %+v", m)
	}
	// Numbers where strings are expected, fractional epochs: read exactly.
	if r := s.Transactions["ACT-4"]; len(r) != 1 || r[0].Amount != (iswigo.Money{Minor: 1050, Currency: "USD"}) ||
		r[0].OperationDate.String() != "2026-03-13" {
		t.Fatalf("lenient transactions = %+v", r)
	}
	if !strings.Contains(string(s.SavedState), "s3cr3t-ok") {
		t.Fatal("the access URL is not in the connector state")
	}
}

func TestIncrementalAndNewToken(t *testing.T) {
	f := newFake(t, now)
	c := simplefin.New(simplefin.Options{AllowPrivate: true})
	first, err := syncOnce(t, c, f.token("ok"), nil, now)
	if err != nil {
		t.Fatal(err)
	}
	later := now.Add(48 * time.Hour)
	second, err := syncOnce(t, c, f.token("ok"), first.SavedState, later)
	if err != nil {
		t.Fatal(err)
	}
	if f.starts[0] != now.Add(-90*24*time.Hour).Unix() || f.starts[1] != now.Add(-7*24*time.Hour).Unix() {
		t.Fatalf("start-dates %v; want 90 days back, then the last sync minus 7 days", f.starts)
	}
	if f.claims["ok"] != 1 {
		t.Fatalf("%d claims; want 1 (the access URL is kept)", f.claims["ok"])
	}
	// A new setup token (the connection was edited) is claimed.
	if _, err := syncOnce(t, c, f.token("errgen"), second.SavedState, later); iswigo.ErrnoOf(err) != iswigo.ErrnoUnavailable {
		t.Fatalf("new token: %v", err)
	}
	if f.claims["errgen"] != 1 {
		t.Fatal("the new setup token was not claimed")
	}
}

func TestDailyBudget(t *testing.T) {
	f := newFake(t, now)
	c := simplefin.New(simplefin.Options{MaxRequestsPerDay: 3, AllowPrivate: true})
	s1, err := syncOnce(t, c, f.token("ok"), nil, now) // claim + accounts
	if err != nil {
		t.Fatal(err)
	}
	s2, err := syncOnce(t, c, f.token("ok"), s1.SavedState, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	before := f.count()
	s3, err := syncOnce(t, c, f.token("ok"), s2.SavedState, now.Add(2*time.Hour))
	if iswigo.ErrnoOf(err) != iswigo.ErrnoUnavailable || f.count() != before {
		t.Fatalf("fourth request in a day: %v, %d requests made; want errno 4 and none", err, f.count()-before)
	}
	if _, err := syncOnce(t, c, f.token("ok"), s3.SavedState, now.Add(24*time.Hour+time.Minute)); err != nil {
		t.Fatalf("a day later: %v", err)
	}
	// A failed request counts too: the budget holds for background retries.
	c1 := simplefin.New(simplefin.Options{MaxRequestsPerDay: 2, AllowPrivate: true})
	d1, _ := syncOnce(t, c1, f.token("down"), nil, now)
	if _, err := syncOnce(t, c1, f.token("down"), d1.SavedState, now); iswigo.ErrnoOf(err) != iswigo.ErrnoUnavailable ||
		!strings.Contains(err.Error(), "requests in the last 24 hours") {
		t.Fatalf("retry over the budget: %v", err)
	}
}

// TestPrivateAddressesRefused: by default a setup token cannot make the
// server call its own network (loopback here), and nothing is sent.
func TestPrivateAddressesRefused(t *testing.T) {
	f := newFake(t, now)
	_, err := syncOnce(t, simplefin.New(simplefin.Options{}), f.token("ok"), nil, now)
	if iswigo.ErrnoOf(err) != iswigo.ErrnoWrongCredentials || !strings.Contains(err.Error(), "not public") {
		t.Fatalf("loopback SimpleFIN server: %v; want errno 2", err)
	}
	if n := f.count(); n != 0 {
		t.Fatalf("%d requests reached the private address", n)
	}
}
