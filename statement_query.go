// SPDX-License-Identifier: Apache-2.0

package iswigo

import "strings"

// StatementOptionsFromQuery reads the upload parameters of a query, the
// API's and the funnel's alike: format, date_order, currency, account,
// profile (returned apart) and the CSV mapping (date_col, amount_col,
// debit_col, credit_col, wording_cols comma-separated, date_format,
// decimal, delimiter).
func StatementOptionsFromQuery(q map[string][]string) (StatementOptions, string) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	o := StatementOptions{Format: strings.ToLower(get("format")), DateOrder: strings.ToLower(get("date_order")),
		Currency: get("currency"), Account: get("account"),
		CSV: CSVMapping{DateCol: get("date_col"), AmountCol: get("amount_col"), DebitCol: get("debit_col"),
			CreditCol: get("credit_col"), DateFormat: get("date_format"), Decimal: get("decimal"), Delimiter: get("delimiter")}}
	if w := get("wording_cols"); w != "" {
		for _, c := range strings.Split(w, ",") {
			if c = strings.TrimSpace(c); c != "" {
				o.CSV.WordingCols = append(o.CSV.WordingCols, c)
			}
		}
	}
	return o, get("profile")
}
