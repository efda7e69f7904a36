// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"fmt"
	"strings"

	"github.com/iswigo/iswigo"
)

// csvScanned is a data row with its dates and amounts scanned, not yet
// resolved (they wait for the file's date order and decimal separator).
type csvScanned struct {
	date, valueDate                writtenDate
	hasValueDate                   bool
	amount, debit, credit, balance localAmount
	sign                           int
	dateText, valueText            string
}

// csvCurrencies gathers what a file says of its currency.
type csvCurrencies struct {
	code  string // the first currency seen
	line  int    // its line; 0 = the header's
	where string // "line 3, column 4 "Devise"", "the header of column 6 "Betrag (EUR)""
}

// see records a currency found at line (0 = in the header) in column col;
// two different ones are a reason.
func (cc *csvCurrencies) see(code string, line int, col string) string {
	where := fmt.Sprintf("line %d, %s", line, col)
	if line == 0 {
		where = "the header of " + col
	}
	switch {
	case code == "":
	case cc.code == "":
		cc.code, cc.line, cc.where = code, line, where
	case cc.code != code:
		return fmt.Sprintf("mixed currencies in one file: %s (%s) and %s (%s); split the file by currency",
			cc.code, cc.where, code, where)
	}
	return ""
}

// convertRows turns the data rows into the file's one account. Without a
// balance column, its balance is from the other lines (balanceLine).
func convertRows(rows []csvRecord, c csvColumns, opt Options, delim byte, other []csvRecord) (*Result, error) {
	fail := func(line int, format string, args ...any) error {
		return &Error{Format: CSV, Line: line, Reason: fmt.Sprintf(format, args...)}
	}
	var cur csvCurrencies
	if c.headerCurrency != "" {
		cur.see(c.headerCurrency, 0, c.roleName(c.headerCurrencyCol))
	}
	var dec decimalChooser
	scanned := make([]csvScanned, len(rows))
	dates := make([]datedLine, 0, len(rows)*2)
	for k, r := range rows {
		sc := &scanned[k]
		sc.dateText = csvCell(r, c.date)
		d, ok := scanDate(sc.dateText)
		if !ok {
			if sc.dateText == "" {
				return nil, fail(r.line, "%s: no date", c.roleName(c.date))
			}
			return nil, fail(r.line, "%s: %q is not a date", c.roleName(c.date), sc.dateText)
		}
		sc.date = d
		dates = append(dates, datedLine{d: d, line: r.line, text: sc.dateText})
		if sc.valueText = csvCell(r, c.valueDate); sc.valueText != "" {
			if d, ok = scanDate(sc.valueText); !ok {
				return nil, fail(r.line, "%s: %q is not a date", c.roleName(c.valueDate), sc.valueText)
			}
			sc.valueDate, sc.hasValueDate = d, true
			dates = append(dates, datedLine{d: d, line: r.line, text: sc.valueText})
		}
		for _, f := range [...]struct {
			col int
			to  *localAmount
		}{{c.amount, &sc.amount}, {c.debit, &sc.debit}, {c.credit, &sc.credit}, {c.balance, &sc.balance}} {
			if f.col < 0 {
				continue
			}
			v := csvCell(r, f.col)
			a, reason := localAmountOf(v)
			if reason != "" {
				return nil, fail(r.line, "%s: amount %q: %s", c.roleName(f.col), v, reason)
			}
			if a.code != "" && a.code != cur.code {
				if reason := cur.see(a.code, r.line, c.roleName(f.col)); reason != "" {
					return nil, fail(r.line, "%s", reason)
				}
			}
			dec.add(a.body, r.line)
			*f.to = a
		}
		if c.sign >= 0 {
			if v := csvCell(r, c.sign); v != "" {
				if sc.sign = csvSignOf(v); sc.sign == 0 {
					return nil, fail(r.line, "%s: %q is no debit/credit mark (S/H, D/C, Soll/Haben, Debit/Credit)", c.roleName(c.sign), v)
				}
			}
		}
		if c.currency >= 0 {
			code := strings.ToUpper(csvCell(r, c.currency))
			switch code {
			case "€":
				code = "EUR"
			case "£":
				code = "GBP"
			}
			if code != "" && !isCurrencyCode3(code) {
				return nil, fail(r.line, "%s: %q is not an ISO 4217 currency code", c.roleName(c.currency), csvCell(r, c.currency))
			}
			if code != "" && code != cur.code {
				if reason := cur.see(code, r.line, c.roleName(c.currency)); reason != "" {
					return nil, fail(r.line, "%s", reason)
				}
			}
		}
	}
	currency, reason := optionCurrency(opt.Currency)
	if reason != "" {
		return nil, fail(0, "%s", reason)
	}
	if cur.code != "" {
		if opt.Currency != "" && cur.code != currency {
			return nil, fail(cur.line, "the file is in %s (%s) but currency=%s was given", cur.code, cur.where, currency)
		}
		currency = cur.code
	}
	forced := opt.DateOrder
	if opt.CSV.DateFormat != "" {
		o, ok := dateOrderOfLayout(opt.CSV.DateFormat)
		if !ok {
			return nil, fail(0, "date_format %q: write it with DD, MM and YYYY (or YY), e.g. DD/MM/YYYY", opt.CSV.DateFormat)
		}
		forced = o
	}
	order, line, reason := dateOrderOf(dates, forced)
	if reason != "" {
		return nil, fail(line, "%s", reason)
	}
	sep, line, reason := dec.choose(opt.CSV.Decimal)
	if reason != "" {
		return nil, fail(line, "%s", reason)
	}

	acc := &Account{Type: iswigo.AccountTypeChecking, Currency: currency, Transactions: make([]Transaction, 0, len(rows))}
	balances := make([]rowBalance, len(rows))
	for k, r := range rows {
		sc := &scanned[k]
		var t Transaction
		var reason string
		if t.Date, reason = sc.date.date(order); reason != "" {
			return nil, fail(r.line, "%s: date %q: %s", c.roleName(c.date), sc.dateText, reason)
		}
		if sc.hasValueDate {
			if t.ValueDate, reason = sc.valueDate.date(order); reason != "" {
				return nil, fail(r.line, "%s: date %q: %s", c.roleName(c.valueDate), sc.valueText, reason)
			}
		}
		if t.Amount, reason = csvAmount(sc, c, sep, currency); reason != "" {
			return nil, fail(r.line, "%s", reason)
		}
		if c.balance >= 0 && sc.balance.body != "" {
			b, reason := sc.balance.money(sep, currency)
			if reason != "" {
				return nil, fail(r.line, "%s: amount %s", c.roleName(c.balance), reason)
			}
			balances[k] = rowBalance{b, true}
		}
		t.Wording, t.Text = csvWording(r, c)
		t.CheckNumber = csvCell(r, c.check)
		acc.Transactions = append(acc.Transactions, t)
	}
	csvReferences(rows, c, acc.Transactions)
	if k := latestBalance(acc.Transactions, balances); k >= 0 {
		b := balances[k].m
		acc.Balance, acc.BalanceDate = &b, acc.Transactions[k].Date
	} else {
		var latest iswigo.Date
		for _, t := range acc.Transactions {
			if latest.Before(t.Date) {
				latest = t.Date
			}
		}
		acc.Balance, acc.BalanceDate = lineBalance(other, order, sep, currency, latest)
	}
	return &Result{Format: CSV, Dialect: csvDialect(delim, sep), Accounts: []*Account{acc}}, nil
}

// csvAmount is the signed amount of a row: its amount column (with the
// sign column's mark when the amount is unsigned), or credit minus debit,
// whatever the sign the debit is written with.
func csvAmount(sc *csvScanned, c csvColumns, sep byte, currency string) (iswigo.Money, string) {
	if c.amount >= 0 {
		m, reason := sc.amount.money(sep, currency)
		if reason != "" {
			return m, fmt.Sprintf("%s: amount %s", c.roleName(c.amount), reason)
		}
		if sc.sign < 0 && m.Minor > 0 {
			m.Minor = -m.Minor
		}
		return m, ""
	}
	if sc.debit.body == "" && sc.credit.body == "" {
		return iswigo.Money{}, fmt.Sprintf("neither %s nor %s has an amount", c.roleName(c.debit), c.roleName(c.credit))
	}
	total := iswigo.Money{Currency: currency}
	if sc.debit.body != "" {
		m, reason := sc.debit.money(sep, currency)
		if reason != "" {
			return m, fmt.Sprintf("%s: amount %s", c.roleName(c.debit), reason)
		}
		total.Minor -= absMinor(m.Minor)
	}
	if sc.credit.body != "" {
		m, reason := sc.credit.money(sep, currency)
		if reason != "" {
			return m, fmt.Sprintf("%s: amount %s", c.roleName(c.credit), reason)
		}
		total.Minor += absMinor(m.Minor)
	}
	return total, ""
}

func absMinor(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// csvWording joins the wording columns (non-empty cells, none contained in
// another) into the label, and the text columns into the detail; without any wording cell,
// the detail is the label.
func csvWording(r csvRecord, c csvColumns) (wording, text string) {
	join := func(cols []int) string {
		var parts []string
		for _, i := range cols {
			v := flatLine(csvCell(r, i))
			keep := v != ""
			for k, p := range parts {
				switch {
				case strings.Contains(p, v):
					keep = false
				case strings.Contains(v, p): // "CB CARREFOUR" and "CB CARREFOUR 12/01 PARIS"
					parts[k], keep = v, false
				}
			}
			if keep {
				parts = append(parts, v)
			}
		}
		return strings.Join(parts, " ")
	}
	wording, text = join(c.wording), join(c.text)
	if wording == "" {
		return text, ""
	}
	return wording, text
}

// csvReferences makes the reference column the transactions' ProviderID
// when every row has one and no two are equal (else it may be a payment
// reference, not an id: it goes to Text).
func csvReferences(rows []csvRecord, c csvColumns, txs []Transaction) {
	if c.reference < 0 {
		return
	}
	seen := make(map[string]bool, len(rows))
	unique := true
	for _, r := range rows {
		v := csvCell(r, c.reference)
		if v == "" || seen[v] {
			unique = false
			break
		}
		seen[v] = true
	}
	for k, r := range rows {
		v := flatLine(csvCell(r, c.reference))
		switch {
		case unique:
			txs[k].ProviderID = v
		case v == "":
		case txs[k].Text == "":
			txs[k].Text = v
		default:
			txs[k].Text += " " + v
		}
	}
}

// rowBalance is the balance column of a row; ok = it has one.
type rowBalance struct {
	m  iswigo.Money
	ok bool
}

// latestBalance returns the row whose balance is the latest, or -1. The
// file is newest first when its balances say so (each one is the next
// one's plus its own amount), else when its first date is after its last.
func latestBalance(txs []Transaction, balances []rowBalance) int {
	oldestFirst, newestFirst := 0, 0
	for k := 1; k < len(txs); k++ {
		prev, next := balances[k-1], balances[k]
		if !prev.ok || !next.ok {
			continue
		}
		if next.m.Minor == prev.m.Minor+txs[k].Amount.Minor {
			oldestFirst++
		}
		if prev.m.Minor == next.m.Minor+txs[k-1].Amount.Minor {
			newestFirst++
		}
	}
	newest := newestFirst > oldestFirst ||
		newestFirst == oldestFirst && len(txs) > 1 && txs[len(txs)-1].Date.Before(txs[0].Date)
	if newest {
		for k := range txs {
			if balances[k].ok {
				return k
			}
		}
		return -1
	}
	for k := len(txs) - 1; k >= 0; k-- {
		if balances[k].ok {
			return k
		}
	}
	return -1
}
