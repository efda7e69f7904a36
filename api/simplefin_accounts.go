// SPDX-License-Identifier: Apache-2.0

package api

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
)

// simplefinQuery is a parsed GET /simplefin/accounts query.
type simplefinQuery struct {
	// start and end bound posted: start <= posted < end; nil = unbounded.
	start, end *int64
	// pending=1 asks for pending transactions too; iswigo stores booked
	// transactions only, so it changes nothing.
	pending      bool
	accounts     []string // account=, repeatable; nil = all shared
	balancesOnly bool
}

// maxSimpleFINEpoch bounds start-date and end-date (year 5138).
const maxSimpleFINEpoch = 1 << 37

func parseSimpleFINQuery(v url.Values) (simplefinQuery, error) {
	var q simplefinQuery
	epoch := func(name string) (*int64, error) {
		s := v.Get(name)
		if s == "" {
			return nil, nil
		}
		n, ok := parseEpoch(s)
		if !ok {
			return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid %s: expected a Unix epoch timestamp", name)
		}
		return &n, nil
	}
	var err error
	if q.start, err = epoch("start-date"); err != nil {
		return q, err
	}
	if q.end, err = epoch("end-date"); err != nil {
		return q, err
	}
	flag := func(name string) (bool, error) {
		switch v.Get(name) {
		case "", "0":
			return false, nil
		case "1":
			return true, nil
		}
		return false, iswigo.Errorf(iswigo.EINVALID, "Invalid %s: expected 1 or 0", name)
	}
	if q.pending, err = flag("pending"); err != nil {
		return q, err
	}
	if q.balancesOnly, err = flag("balances-only"); err != nil {
		return q, err
	}
	if ids, ok := v["account"]; ok {
		if len(ids) > iswigo.MaxSimpleFINAccounts {
			return q, iswigo.Errorf(iswigo.EINVALID, "Invalid account: at most %d", iswigo.MaxSimpleFINAccounts)
		}
		q.accounts = []string{}
		for _, id := range ids {
			q.accounts = append(q.accounts, strings.ToLower(id))
		}
	}
	return q, nil
}

// parseEpoch reads a Unix time in seconds, "1764590400" or with a
// fraction, "1764590400.25" (Actual Budget may send one): a fraction rounds
// up, which keeps both bounds exact for whole-second posted times
// (posted >= 100.25 is posted >= 101; posted < 100.25 is posted < 101).
func parseEpoch(s string) (int64, bool) {
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || len(whole) > 12 || (hasFrac && (frac == "" || len(frac) > 9)) {
		return 0, false
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || whole[0] == '+' || whole[0] == '-' {
		return 0, false
	}
	for _, c := range frac {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	if strings.Trim(frac, "0") != "" {
		n++
	}
	if n > maxSimpleFINEpoch {
		return 0, false
	}
	return n, true
}

// dates returns the operation dates whose posted epoch (12:00 UTC) lies
// in [start, end); ok is false when none can.
func (q simplefinQuery) dates() (minDate, maxDate iswigo.Date, ok bool) {
	if q.start != nil {
		minDate = iswigo.DateOf(time.Unix(*q.start, 0))
		if postedOf(minDate) < *q.start {
			minDate = minDate.AddDays(1)
		}
	}
	if q.end != nil {
		maxDate = iswigo.DateOf(time.Unix(*q.end, 0))
		if postedOf(maxDate) >= *q.end {
			maxDate = maxDate.AddDays(-1)
		}
		if maxDate.Time().Unix() < 0 {
			return minDate, maxDate, false
		}
	}
	if !minDate.IsZero() && !maxDate.IsZero() && maxDate.Before(minDate) {
		return minDate, maxDate, false
	}
	return minDate, maxDate, true
}

// simplefinAccountSet reads the Account Set of token t: the shared
// accounts of its user (those of q.accounts only, when given), their
// connections, and their transactions posted within q's dates.
func (s *Server) simplefinAccountSet(ctx context.Context, t *iswigo.SimpleFINToken, q simplefinQuery) (*SimpleFINAccountSet, error) {
	set := &SimpleFINAccountSet{Errors: []string{}, Errlist: []SimpleFINError{}, Connections: []SimpleFINConnection{},
		Accounts: []SimpleFINAccount{}}
	accounts, err := s.allAccounts(ctx, t.AppID, t.UserID)
	if err != nil {
		return nil, err
	}
	conns := map[string]*sfConn{}
	minDate, maxDate, anyDate := q.dates()
	for _, a := range accounts {
		if !t.Shares(a.ID) || (q.accounts != nil && !slices.Contains(q.accounts, a.ID)) {
			continue
		}
		conn, err := s.simplefinConnection(ctx, t, a.ConnectionID, conns, set)
		if err != nil {
			return nil, err
		}
		out := SimpleFINAccount{ID: a.ID, Name: a.Name, ConnID: conn.ConnID, ConnName: conn.Name, Currency: a.Currency,
			Org: s.simplefinOrg(conn), Transactions: []SimpleFINTransaction{}}
		balance := iswigo.Money{Currency: a.Currency}
		if a.Balance != nil {
			balance = *a.Balance
		}
		out.Balance = fixedDecimals(balance)
		out.AvailableBalance = out.Balance
		out.BalanceDate = conn.balanceDate
		if !q.balancesOnly && anyDate {
			txs, err := s.accountTransactions(ctx, t, a.ID, minDate, maxDate)
			if err != nil {
				return nil, err
			}
			for _, tx := range txs {
				posted := postedOf(tx.OperationDate)
				if (q.start != nil && posted < *q.start) || (q.end != nil && posted >= *q.end) {
					continue
				}
				out.Transactions = append(out.Transactions, SimpleFINTransaction{ID: tx.ID, Posted: posted,
					Amount: fixedDecimals(tx.Amount), Description: tx.Wording, Payee: tx.Wording, Memo: tx.Text, TransactedAt: posted})
			}
		}
		set.Accounts = append(set.Accounts, out)
	}
	if t.AllAccounts() && q.accounts == nil {
		// A connection that has no account yet (its first sync failed)
		// still tells the app it needs attention.
		if err := s.addConnectionsInError(ctx, t, conns, set); err != nil {
			return nil, err
		}
	}
	return set, nil
}

// addConnectionsInError adds to set the user's connections in error that
// it does not hold yet.
func (s *Server) addConnectionsInError(ctx context.Context, t *iswigo.SimpleFINToken, seen map[string]*sfConn, set *SimpleFINAccountSet) error {
	for from := 0; ; from += iswigo.MaxRangeSize {
		page, total, err := s.Connections.FindConnections(ctx, iswigo.ConnectionFilter{AppID: t.AppID, UserID: t.UserID,
			Range: iswigo.Range{From: from, To: from + iswigo.MaxRangeSize - 1}})
		if err != nil {
			return err
		}
		for _, c := range page {
			if _, ok := seen[c.ID]; !ok && c.Status == iswigo.StatusError {
				if _, err := s.simplefinConnection(ctx, t, c.ID, seen, set); err != nil {
					return err
				}
			}
		}
		if len(page) == 0 || from+len(page) >= total {
			return nil
		}
	}
}

// simplefinOrg is the 1.0 org of a connection's accounts.
func (s *Server) simplefinOrg(c *sfConn) SimpleFINOrg {
	return SimpleFINOrg{Domain: c.domain, Name: c.OrgName, SFINURL: c.SFINURL, URL: c.OrgURL, ID: c.OrgID}
}

// sfConn is a connection of the Account Set being built.
type sfConn struct {
	SimpleFINConnection
	domain      string
	balanceDate int64
}

// simplefinConnection returns the connection with id of the Account Set,
// adding it (and its error, if in error) to set the first time.
func (s *Server) simplefinConnection(ctx context.Context, t *iswigo.SimpleFINToken, id string,
	seen map[string]*sfConn, set *SimpleFINAccountSet) (*sfConn, error) {
	if c, ok := seen[id]; ok {
		return c, nil
	}
	c, err := s.Connections.FindConnectionByID(ctx, t.AppID, t.UserID, id)
	if err != nil {
		return nil, err
	}
	p, err := s.Providers.FindProviderByID(ctx, c.ProviderID)
	name := "Provider " + strconv.Itoa(c.ProviderID)
	var orgURL, domain string
	if err == nil {
		name, orgURL = p.Name, p.URL
	} else if iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
		return nil, err
	}
	if u, err := url.Parse(orgURL); err == nil && u.Hostname() != "" {
		domain = u.Hostname()
	} else if u, err := url.Parse(s.PublicURL); err == nil {
		domain = u.Hostname() // no website known: the server it came through
	}
	out := &sfConn{SimpleFINConnection: SimpleFINConnection{ConnID: c.ID, Name: name, OrgID: strconv.Itoa(c.ProviderID),
		OrgName: name, OrgURL: orgURL, SFINURL: s.simplefinRoot()}, domain: domain}
	out.balanceDate = c.LastSynchronizedAt.Unix()
	if c.LastSynchronizedAt.IsZero() {
		out.balanceDate = s.Now().Unix()
	}
	seen[id] = out
	set.Connections = append(set.Connections, out.SimpleFINConnection)
	if c.Status == iswigo.StatusError {
		msg := "Connection to " + name + " may need attention"
		if c.StepMessage != "" { // the bank's own words for the person (one line)
			msg += ": " + c.StepMessage
		}
		if c.ActionURL != "" {
			msg += " (" + c.ActionURL + ")"
		}
		set.Errors = append(set.Errors, msg)
		set.Errlist = append(set.Errlist, SimpleFINError{Code: simplefinErrorCode(c.Errno), Msg: msg, Message: msg, ConnID: c.ID})
	}
	return out, nil
}

// allAccounts returns every account of the user.
func (s *Server) allAccounts(ctx context.Context, appID, userID string) ([]*iswigo.Account, error) {
	var out []*iswigo.Account
	for from := 0; ; from += iswigo.MaxRangeSize {
		page, total, err := s.Bank.FindAccounts(ctx, appID, userID, iswigo.Range{From: from, To: from + iswigo.MaxRangeSize - 1})
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) == 0 || len(out) >= total {
			return out, nil
		}
	}
}

// accountTransactions returns an account's transactions between two
// operation dates (inclusive, zero = unbounded), oldest first (by date,
// then id), as SimpleFIN orders them by posted.
func (s *Server) accountTransactions(ctx context.Context, t *iswigo.SimpleFINToken, accountID string, minDate, maxDate iswigo.Date) ([]*iswigo.Transaction, error) {
	var out []*iswigo.Transaction
	for from := 0; ; from += iswigo.MaxRangeSize {
		page, total, err := s.Bank.FindTransactions(ctx, iswigo.TransactionFilter{AppID: t.AppID, UserID: t.UserID,
			AccountID: accountID, MinDate: minDate, MaxDate: maxDate, Range: iswigo.Range{From: from, To: from + iswigo.MaxRangeSize - 1}})
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) == 0 || len(out) >= total {
			break
		}
	}
	slices.Reverse(out) // newest first → oldest first
	return out, nil
}
