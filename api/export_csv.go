// SPDX-License-Identifier: Apache-2.0

package api

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/iswigo/iswigo"
)

// csvColumns is the header row of the CSV export: the JSON members of a
// transaction, with the account's currency beside the amount.
var csvColumns = []string{"transaction_id", "account_id", "operation_date", "value_date", "accounting_date",
	"cc_order_month", "check_number", "amount", "currency", "wording", "text"}

// csvEncoder writes RFC 4180 CSV: UTF-8, CRLF line ends, a header row,
// fields quoted when they hold a comma, a quote or a line break, ISO dates
// (empty when null), amounts with a decimal point and the currency's
// decimals (-12.50).
type csvEncoder struct {
	w   *csv.Writer
	row []string
}

func newCSVEncoder(w io.Writer) *csvEncoder {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &csvEncoder{w: cw, row: make([]string, len(csvColumns))}
}

func (e *csvEncoder) begin() error { return e.w.Write(csvColumns) }

func (e *csvEncoder) transaction(t *iswigo.Transaction) error {
	e.row[0], e.row[1] = t.ID, t.AccountID
	e.row[2], e.row[3], e.row[4], e.row[5] = isoDate(t.OperationDate), isoDate(t.ValueDate), isoDate(t.AccountingDate), isoDate(t.CCOrderMonth)
	e.row[6], e.row[7], e.row[8] = t.CheckNumber, decimalAmount(t.Amount), t.Amount.Currency
	e.row[9], e.row[10] = t.Wording, t.Text
	return e.w.Write(e.row)
}

func (e *csvEncoder) end() error {
	e.w.Flush()
	return e.w.Error()
}

// isoDate is d as YYYY-MM-DD, "" for the zero date.
func isoDate(d iswigo.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// decimalAmount writes m with a decimal point and exactly the currency's
// decimals: -12.50, 1000.01, 7 (JPY). Never through float64.
func decimalAmount(m iswigo.Money) string {
	dec := iswigo.CurrencyDecimals(m.Currency)
	v := m.Minor
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	digits := strconv.FormatInt(v, 10)
	if dec == 0 {
		return sign + digits
	}
	if len(digits) <= dec {
		digits = strings.Repeat("0", dec-len(digits)+1) + digits
	}
	return sign + digits[:len(digits)-dec] + "." + digits[len(digits)-dec:]
}
