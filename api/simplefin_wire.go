// SPDX-License-Identifier: Apache-2.0

package api

import (
	"strconv"
	"strings"

	"github.com/iswigo/iswigo"
)

// SimpleFINAccountSet is the Account Set of GET /simplefin/accounts, with
// the fields of SimpleFIN 1.0 (errors, each account's org) and those of
// the 2.0 draft (errlist, connections, each account's conn_id): clients
// in the field read one or the other.
type SimpleFINAccountSet struct {
	Errors      []string              `json:"errors"`
	Errlist     []SimpleFINError      `json:"errlist"`
	Connections []SimpleFINConnection `json:"connections"`
	Accounts    []SimpleFINAccount    `json:"accounts"`
}

// SimpleFINError is an entry of errlist (2.0 draft). The draft's table
// names the text "msg" and its examples "message": both are written.
type SimpleFINError struct {
	Code    string `json:"code"`
	Msg     string `json:"msg"`
	Message string `json:"message"`
	ConnID  string `json:"conn_id,omitempty"`
}

// SimpleFINConnection is a connection of the 2.0 draft: one iswigo
// connection, its org the connection's provider.
type SimpleFINConnection struct {
	ConnID  string `json:"conn_id"`
	Name    string `json:"name"`
	OrgID   string `json:"org_id"`
	OrgName string `json:"org_name"`
	OrgURL  string `json:"org_url,omitempty"`
	SFINURL string `json:"sfin_url"`
}

// SimpleFINOrg is an account's organization (1.0).
type SimpleFINOrg struct {
	Domain  string `json:"domain"`
	Name    string `json:"name"`
	SFINURL string `json:"sfin-url"`
	URL     string `json:"url,omitempty"`
	ID      string `json:"id"`
}

// SimpleFINAccount is an account of the Account Set (transactions empty,
// never absent, with balances-only). Amounts are decimal
// strings with exactly the currency's number of decimals ("1234.50").
type SimpleFINAccount struct {
	Org              SimpleFINOrg           `json:"org"`
	ID               string                 `json:"id"`
	Name             string                 `json:"name"`
	ConnID           string                 `json:"conn_id"`
	ConnName         string                 `json:"conn_name"`
	Currency         string                 `json:"currency"`
	Balance          string                 `json:"balance"`
	AvailableBalance string                 `json:"available-balance"`
	BalanceDate      int64                  `json:"balance-date"`
	Transactions     []SimpleFINTransaction `json:"transactions"`
}

// SimpleFINTransaction is a booked transaction: id is iswigo's id,
// posted the operation date at 12:00 UTC (the same calendar day in every
// time zone from UTC−12 to UTC+11), description the wording. payee, memo
// and transacted_at are SimpleFIN Bridge's extra fields, which some
// clients require: the wording, the text, and posted again.
type SimpleFINTransaction struct {
	ID           string `json:"id"`
	Posted       int64  `json:"posted"`
	Amount       string `json:"amount"`
	Description  string `json:"description"`
	Payee        string `json:"payee"`
	Memo         string `json:"memo"`
	TransactedAt int64  `json:"transacted_at"`
	Pending      bool   `json:"pending"`
}

// fixedDecimals writes m with exactly its currency's decimals: "1234.50",
// "-0.05", "12" (JPY), "1.500" (KWD).
func fixedDecimals(m iswigo.Money) string {
	dec := iswigo.CurrencyDecimals(m.Currency)
	v := m.Minor
	var b []byte
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	digits := strconv.FormatInt(v, 10)
	if len(digits) <= dec {
		digits = strings.Repeat("0", dec-len(digits)+1) + digits
	}
	b = append(b, digits[:len(digits)-dec]...)
	if dec > 0 {
		b = append(append(b, '.'), digits[len(digits)-dec:]...)
	}
	return string(b)
}

// postedOf returns the posted epoch of a transaction dated d.
func postedOf(d iswigo.Date) int64 { return d.Time().Unix() + 12*3600 }

// simplefinErrorCode returns the errlist code of a connection in error:
// con.auth when the user must sign in again (errno 2 or 9), gen. else.
func simplefinErrorCode(errno iswigo.Errno) string {
	if errno == iswigo.ErrnoWrongCredentials || errno == iswigo.ErrnoAuthExpired {
		return "con.auth"
	}
	return "gen."
}
