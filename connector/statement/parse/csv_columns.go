// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"fmt"
	"strconv"
	"strings"
)

// csvRole is what a CSV column holds.
type csvRole int

const (
	roleNone      csvRole = iota
	roleDate              // booking date
	roleValueDate         // value date
	roleWording           // the label: payee, description
	roleText              // more detail: memo, purpose
	roleAmount            // one signed amount
	roleDebit             // money out
	roleCredit            // money in
	roleSign              // debit/credit mark of an unsigned amount
	roleCurrency          // ISO 4217 code
	roleBalance           // running balance
	roleReference         // the bank's transaction id
	roleCheck             // check number
)

// csvHeaderNames are the header names recognised, folded (foldHeader):
// English, French and German exports.
var csvHeaderNames = func() map[string]csvRole {
	m := map[string]csvRole{}
	for role, names := range map[csvRole][]string{
		roleDate: {"date", "date operation", "date d'operation", "date de l'operation", "date op", "dateop",
			"date comptable", "date de comptabilisation", "buchungstag", "buchungsdatum", "datum",
			"transaction date", "trans. date", "trans date", "posted date", "posting date", "post date",
			"booking date", "booked date", "completed date", "buchung"},
		roleValueDate: {"date de valeur", "date valeur", "dateval", "valeur", "valuta", "valutadatum",
			"wertstellung", "wertstellungsdatum", "value date", "wert"},
		roleWording: {"libelle", "libelle simplifie", "libelle operation", "libelle de l'operation",
			"label", "description", "transaction description", "payee", "name", "narrative",
			"beguenstigter/zahlungspflichtiger", "begunstigter/zahlungspflichtiger",
			"auftraggeber/begunstigter", "auftraggeber/beguenstigter", "auftraggeber/empfanger",
			"auftraggeber/zahlungsempfanger", "zahlungsempfanger", "empfanger", "empfaenger",
			"name zahlungsbeteiligter", "payee name", "merchant", "counterparty", "libelle court",
			"zahlungsempfanger*in", "zahlungspflichtige*r", "auftraggeber/empfanger", "empfanger/zahlungspflichtiger"},
		roleText: {"memo", "details", "verwendungszweck", "buchungstext", "libelle complet",
			"informations complementaires", "detail", "notes", "vorgang/verwendungszweck", "payment reference",
			"detail de l'ecriture", "libelle operation complet", "comment"},
		roleAmount: {"montant", "amount", "betrag", "umsatz", "montant de l'operation",
			"transaction amount", "net"},
		roleDebit: {"debit", "debits", "soll", "withdrawal", "withdrawals", "money out", "paid out",
			"debit amount", "ausgang", "belastung"},
		roleCredit: {"credit", "credits", "haben", "deposit", "deposits", "money in", "paid in",
			"credit amount", "eingang"},
		roleSign:     {"soll/haben", "s/h", "debit/credit", "credit/debit", "dr/cr", "cr/dr", "sens"},
		roleCurrency: {"devise", "currency", "wahrung", "waehrung", "ccy", "monnaie"},
		roleBalance: {"solde", "balance", "saldo", "running balance", "running bal", "kontostand", "solde courant",
			"accountbalance"},
		roleReference: {"reference", "transaction id", "fitid", "referenz", "transaction reference",
			"reference de l'operation", "id", "numero d'operation", "transferwise id"},
		roleCheck: {"check number", "cheque number", "check or slip #", "check #", "numero de cheque",
			"n° de cheque", "scheck-nr", "schecknummer"},
	} {
		for _, n := range names {
			m[n] = role
		}
	}
	return m
}()

// foldHeader folds a header cell for matching: lower case, accents
// removed, white space collapsed, none around "/", no trailing ":" or ".",
// and a trailing currency removed and returned: "Montant (EUR)" →
// "montant", "EUR"; "Betrag (€)", "Débit euros" likewise.
func foldHeader(s string) (name, currency string) {
	s = strings.Join(strings.Fields(foldAccents(s)), " ")
	s = strings.ReplaceAll(strings.ReplaceAll(s, " /", "/"), "/ ", "/")
	s = strings.TrimRight(s, ":. ")
	if i := strings.LastIndexByte(s, '('); i >= 0 && strings.HasSuffix(s, ")") {
		inner := strings.TrimSpace(s[i+1 : len(s)-1])
		switch inner {
		case "€":
			inner = "eur"
		case "£":
			inner = "gbp"
		}
		if len(inner) == 3 && isCurrencyCode3(strings.ToUpper(inner)) {
			currency = strings.ToUpper(inner)
		}
		s = strings.TrimSpace(s[:i])
	}
	for _, suffix := range []string{" en euros", " in euros", " euros", " en eur", " in eur", " eur"} {
		if strings.HasSuffix(s, suffix) { // "Débit euros", "Montant en EUR"
			currency, s = "EUR", strings.TrimSuffix(s, suffix)
			break
		}
	}
	return s, currency
}

// csvColumns says which column (0-based index, -1 = none) holds what.
type csvColumns struct {
	date, valueDate, amount, debit, credit, sign int
	currency, balance, reference, check          int
	wording, text                                []int
	// headerCurrency is a currency named in a header ("Betrag (EUR)"),
	// and headerCurrencyCol its column; "" = none.
	headerCurrency    string
	headerCurrencyCol int
	// names are the header cells (nil when the file has no header row).
	names []string
}

func noColumns() csvColumns {
	return csvColumns{date: -1, valueDate: -1, amount: -1, debit: -1, credit: -1, sign: -1,
		currency: -1, balance: -1, reference: -1, check: -1, headerCurrencyCol: -1}
}

// recogniseHeader maps the cells of a candidate header row to roles. The
// first column of a role wins, except wording and text columns, which
// are all kept.
func recogniseHeader(cells []string) csvColumns {
	c := noColumns()
	c.names = cells
	for i, cell := range cells {
		name, cur := foldHeader(cell)
		role := csvHeaderNames[name]
		slot := c.slot(role)
		switch {
		case role == roleWording:
			c.wording = append(c.wording, i)
		case role == roleText:
			c.text = append(c.text, i)
		case slot != nil && *slot < 0:
			*slot = i
		default:
			continue
		}
		if cur != "" && c.headerCurrency == "" {
			c.headerCurrency, c.headerCurrencyCol = cur, i
		}
	}
	return c
}

// slot returns the field of a single-column role.
func (c *csvColumns) slot(r csvRole) *int {
	switch r {
	case roleDate:
		return &c.date
	case roleValueDate:
		return &c.valueDate
	case roleAmount:
		return &c.amount
	case roleDebit:
		return &c.debit
	case roleCredit:
		return &c.credit
	case roleSign:
		return &c.sign
	case roleCurrency:
		return &c.currency
	case roleBalance:
		return &c.balance
	case roleReference:
		return &c.reference
	case roleCheck:
		return &c.check
	}
	return nil
}

// complete reports a date and an amount, or both debit and credit.
func (c csvColumns) complete() bool {
	return c.date >= 0 && (c.amount >= 0 || c.debit >= 0 && c.credit >= 0)
}

// mapped reports whether m names any column.
func csvMapped(m CSVMapping) bool {
	return m.DateCol != "" || m.AmountCol != "" || m.DebitCol != "" || m.CreditCol != "" || len(m.WordingCols) > 0
}

// mappingNames returns the columns m names by header name (not number).
func mappingNames(m CSVMapping) []string {
	var out []string
	for _, s := range append([]string{m.DateCol, m.AmountCol, m.DebitCol, m.CreditCol}, m.WordingCols...) {
		if s = strings.TrimSpace(s); s != "" && !onlyDigits(s) {
			out = append(out, s)
		}
	}
	return out
}

// hasNames reports whether the cells hold every name (folded).
func hasNames(cells []string, names []string) bool {
	for _, n := range names {
		if columnIndex(cells, n) < 0 {
			return false
		}
	}
	return true
}

// columnIndex finds a column by folded header name; -1 = absent.
func columnIndex(cells []string, name string) int {
	want, _ := foldHeader(name)
	wantRaw := strings.Join(strings.Fields(foldAccents(name)), " ")
	for i, c := range cells {
		got, _ := foldHeader(c)
		if got == want || strings.Join(strings.Fields(foldAccents(c)), " ") == wantRaw {
			return i
		}
	}
	return -1
}

// applyMapping overrides the recognised columns with those m names, by
// header name or 1-based number, for a file of width columns. The reason
// names a column that does not exist.
func (c *csvColumns) applyMapping(m CSVMapping, width int) string {
	resolve := func(param, spec string) (int, string) {
		spec = strings.TrimSpace(spec)
		if onlyDigits(spec) {
			n, err := strconv.Atoi(spec)
			if err != nil || n < 1 || n > width {
				return -1, fmt.Sprintf("%s=%s: no column %s (the rows have %d)", param, spec, spec, width)
			}
			return n - 1, ""
		}
		if c.names == nil {
			return -1, fmt.Sprintf("%s=%s: no header row names this column", param, spec)
		}
		i := columnIndex(c.names, spec)
		if i < 0 {
			return -1, fmt.Sprintf("%s=%s: no such column in the header (%s)", param, spec, quotedCells(c.names))
		}
		return i, ""
	}
	for _, f := range []struct {
		param, spec string
		slot        *int
	}{
		{"date_col", m.DateCol, &c.date}, {"amount_col", m.AmountCol, &c.amount},
		{"debit_col", m.DebitCol, &c.debit}, {"credit_col", m.CreditCol, &c.credit},
	} {
		if strings.TrimSpace(f.spec) == "" {
			continue
		}
		i, reason := resolve(f.param, f.spec)
		if reason != "" {
			return reason
		}
		c.unassign(i)
		*f.slot = i
	}
	switch {
	case m.AmountCol != "":
		c.debit, c.credit = -1, -1
	case m.DebitCol != "" || m.CreditCol != "":
		if m.DebitCol == "" || m.CreditCol == "" {
			return "debit_col and credit_col go together"
		}
		c.amount = -1
	}
	if len(m.WordingCols) > 0 {
		c.wording, c.text = nil, nil
		for _, spec := range m.WordingCols {
			if strings.TrimSpace(spec) == "" {
				continue
			}
			i, reason := resolve("wording_cols", spec)
			if reason != "" {
				return reason
			}
			c.unassign(i)
			c.wording = append(c.wording, i)
		}
	}
	return ""
}

// unassign removes column i from every role, before a mapping gives it one.
func (c *csvColumns) unassign(i int) {
	for r := roleDate; r <= roleCheck; r++ {
		if p := c.slot(r); p != nil && *p == i {
			*p = -1
		}
	}
	drop := func(cols []int) []int {
		out := cols[:0]
		for _, k := range cols {
			if k != i {
				out = append(out, k)
			}
		}
		return out
	}
	c.wording, c.text = drop(c.wording), drop(c.text)
	if c.headerCurrencyCol == i {
		c.headerCurrency, c.headerCurrencyCol = "", -1
	}
}

// quotedCells writes header cells for a message: "Tag", "Text", "Wert".
func quotedCells(cells []string) string {
	n := trimmedWidth(cells)
	q := make([]string, n)
	for i := range q {
		q[i] = strconv.Quote(cells[i])
	}
	return strings.Join(q, ", ")
}

// roleName names a column in messages: its header, else its number.
func (c csvColumns) roleName(i int) string {
	if i < len(c.names) && strings.TrimSpace(c.names[i]) != "" {
		return fmt.Sprintf("column %d %q", i+1, strings.TrimSpace(c.names[i]))
	}
	return fmt.Sprintf("column %d", i+1)
}
