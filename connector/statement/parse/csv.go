// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"bytes"
	"fmt"
	"strings"
)

// CSV exports differ by bank in every respect, so everything is detected:
// the character set (toUTF8), the delimiter (detectDelimiter), the header
// row among the first csvHeaderSearch records (bank preambles before it
// are skipped), the columns by their header names (csvHeaderNames) or
// Options.CSV, the date order and the decimal separator from all rows.
// Rows after the last dated row whose date cell is empty or text (a
// "Total" or "Kontostand" line) are summary lines, skipped. The file is
// one account (Key "") in Options.Currency (EUR), unless a currency column,
// a header such as "Betrag (EUR)" or the amounts themselves ("-12,50 €")
// name another; several currencies in one file are refused.

func init() { parsers[CSV] = parseCSV }

// csvHeaderSearch is how many records may precede the header row.
const csvHeaderSearch = 50

func parseCSV(data []byte, opt Options) (*Result, error) {
	fail := func(line int, format string, args ...any) error {
		return &Error{Format: CSV, Line: line, Reason: fmt.Sprintf(format, args...)}
	}
	text, err := toUTF8(data, "")
	if err != nil {
		return nil, fail(0, "%v", err)
	}
	text = bytes.TrimRight(text, "\x1a\x00") // DOS end-of-file marks, padding
	if len(bytes.TrimSpace(text)) == 0 {
		return nil, fail(0, "empty file")
	}
	if looksBinary(text) {
		return nil, fail(0, "not a CSV file (binary data)")
	}
	s := string(text)
	delim, reason := csvDelimiterOf(s, opt.CSV.Delimiter)
	if reason != "" {
		return nil, fail(1, "%s", reason)
	}
	recs, perr := readCSV(s, delim, 0)
	if perr != nil {
		return nil, perr
	}
	cols, first, ferr := findColumns(recs, opt.CSV)
	if ferr != nil {
		return nil, ferr
	}
	rows, summary, ferr := dataRows(recs[first:], &cols)
	if ferr != nil {
		return nil, ferr
	}
	return convertRows(rows, cols, opt, delim, append(recs[:first:first], summary...))
}

// csvDelimiterOf returns the forced delimiter, else the detected one.
func csvDelimiterOf(s, forced string) (byte, string) {
	switch forced {
	case ",", ";", "\t", "|":
		return forced[0], ""
	case "tab", "\\t":
		return '\t', ""
	case "":
	default:
		return 0, fmt.Sprintf("delimiter %q is not \",\", \";\", tab or \"|\"", forced)
	}
	if first, _ := cutTextLine(s); len(first) == 5 && strings.EqualFold(first[:4], "sep=") {
		return first[4], "" // Excel's "sep=;" line
	}
	d, ok := detectDelimiter(s)
	if !ok {
		return 0, "no delimiter (\",\", \";\" or tab) separates the fields of the first lines"
	}
	return d, ""
}

// findColumns finds the header row and the columns, and returns the index
// of the first record after the header (or of the first record when the
// mapping names columns by number and no header is recognised).
func findColumns(recs []csvRecord, m CSVMapping) (csvColumns, int, *Error) {
	names := mappingNames(m)
	var candidate *csvRecord // the first row of the most common width, for messages
	for i := 0; i < len(recs) && i < csvHeaderSearch; i++ {
		r := recs[i]
		if r.blank() {
			continue
		}
		c := recogniseHeader(r.fields)
		if len(names) > 0 && hasNames(r.fields, names) || len(names) == 0 && c.complete() {
			if reason := c.applyMapping(m, trimmedWidth(r.fields)); reason != "" {
				return c, 0, &Error{Format: CSV, Line: r.line, Reason: reason}
			}
			if reason := c.missing(r.fields); reason != "" {
				return c, 0, &Error{Format: CSV, Line: r.line, Reason: reason}
			}
			return c, i + 1, nil
		}
	}
	candidate = likelyHeader(recs)
	if len(names) > 0 {
		return csvColumns{}, 0, &Error{Format: CSV, Line: candidate.line, Reason: fmt.Sprintf(
			"no row among the first %d holds the columns %s (the header seems to be line %d: %s)",
			csvHeaderSearch, quotedCells(names), candidate.line, quotedCells(candidate.fields))}
	}
	if !csvMapped(m) {
		return csvColumns{}, 0, &Error{Format: CSV, Line: candidate.line, Reason: fmt.Sprintf(
			"no header row recognised (line %d: %s); name the columns with date_col, amount_col (or debit_col and credit_col) and wording_cols, by header name or 1-based number",
			candidate.line, quotedCells(candidate.fields))}
	}
	// Columns by number, no header: the data starts at the first row whose
	// date column holds a date.
	c := noColumns()
	width := trimmedWidth(candidate.fields)
	if reason := c.applyMapping(m, width); reason != "" {
		return c, 0, &Error{Format: CSV, Line: candidate.line, Reason: reason}
	}
	if reason := c.missing(nil); reason != "" {
		return c, 0, &Error{Format: CSV, Line: candidate.line, Reason: reason}
	}
	for i, r := range recs {
		if _, ok := scanDate(csvCell(r, c.date)); ok {
			return c, i, nil
		}
	}
	return c, len(recs), nil
}

// missing says which needed column is absent, naming the header found.
func (c csvColumns) missing(header []string) string {
	found := ""
	if header != nil {
		found = " in the header (" + quotedCells(header) + ")"
	}
	switch {
	case c.date < 0:
		return "no date column" + found + "; give date_col"
	case c.amount < 0 && (c.debit < 0 || c.credit < 0):
		return "no amount column" + found + "; give amount_col, or debit_col and credit_col"
	}
	return ""
}

// likelyHeader is the first record of the most common width: what a
// reader would call the header.
func likelyHeader(recs []csvRecord) *csvRecord {
	freq := map[int]int{}
	best := 0
	for i := 0; i < len(recs) && i < csvHeaderSearch*2; i++ {
		w := trimmedWidth(recs[i].fields)
		freq[w]++
		if freq[w] > freq[best] || freq[w] == freq[best] && w > best {
			best = w
		}
	}
	for i := range recs {
		if trimmedWidth(recs[i].fields) == best {
			return &recs[i]
		}
	}
	return &recs[0]
}

// dataRows drops blank records and the summary lines that end the file
// (returned apart), and checks the width of the rest. It also finds an unnamed column of
// debit/credit marks right after the amount (German "Umsatz";"" with S/H).
func dataRows(recs []csvRecord, c *csvColumns) (rows, summary []csvRecord, err *Error) {
	last := -1
	for i := len(recs) - 1; i >= 0 && last < 0; i-- {
		if _, ok := scanDate(csvCell(recs[i], c.date)); ok {
			last = i
		}
	}
	for i, r := range recs {
		if r.blank() {
			continue
		}
		if i > last {
			cell := csvCell(r, c.date)
			if cell == "" || strings.IndexFunc(cell, csvLetterRune) >= 0 {
				summary = append(summary, r)
				continue
			}
		}
		if balanceRow(r, c) {
			summary = append(summary, r)
			continue
		}
		rows = append(rows, r)
	}
	width := trimmedWidth(c.names)
	if c.names == nil { // no header: the widest row
		for _, r := range rows {
			width = max(width, trimmedWidth(r.fields))
		}
	}
	for _, i := range append([]int{c.date, c.amount, c.debit, c.credit, c.valueDate}, c.wording...) {
		if i+1 > width {
			width = i + 1
		}
	}
	if c.sign < 0 && c.amount >= 0 && (c.amount+1 >= len(c.names) || strings.TrimSpace(c.names[c.amount+1]) == "") {
		if unnamedSignColumn(rows, c.amount+1) {
			c.sign = c.amount + 1
			width = max(width, c.amount+2)
		}
	}
	for _, r := range rows {
		if n := trimmedWidth(r.fields); n > width {
			return nil, nil, &Error{Format: CSV, Line: r.line, Reason: fmt.Sprintf("row has %d fields, the header %d", n, width)}
		}
		if len(r.fields) < width {
			return nil, nil, &Error{Format: CSV, Line: r.line, Reason: fmt.Sprintf("row has %d fields, the header %d (row cut short?)", len(r.fields), width)}
		}
	}
	return rows, summary, nil
}

func csvLetterRune(r rune) bool {
	return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= 0xC0
}

// unnamedSignColumn reports whether column i holds debit/credit marks in
// every row that has a value there, and in one row at least.
func unnamedSignColumn(rows []csvRecord, i int) bool {
	seen := false
	for _, r := range rows {
		v := csvCell(r, i)
		if v == "" {
			continue
		}
		if csvSignOf(v) == 0 {
			return false
		}
		seen = true
	}
	return seen
}

// csvSignOf reads a debit/credit mark: -1 money out, +1 money in, 0 none.
func csvSignOf(v string) int {
	switch foldAccents(strings.TrimSpace(v)) {
	case "s", "soll", "d", "debit", "dr", "db", "-", "dbit", "out":
		return -1
	case "h", "haben", "c", "credit", "cr", "+", "in":
		return 1
	}
	return 0
}

// csvCell returns field i of r, trimmed, without the ="…" that keeps
// spreadsheets from reading numbers (="00123"); "" when absent.
func csvCell(r csvRecord, i int) string {
	if i < 0 || i >= len(r.fields) {
		return ""
	}
	v := strings.TrimSpace(r.fields[i])
	if len(v) >= 3 && v[0] == '=' && v[1] == '"' && v[len(v)-1] == '"' {
		v = strings.TrimSpace(v[2 : len(v)-1])
	}
	return v
}

// csvDialect names the delimiter and decimal separator: "csv ; decimal comma".
func csvDialect(delim, dec byte) string {
	if dec == ',' {
		return "csv " + delimiterName(delim) + " decimal comma"
	}
	return "csv " + delimiterName(delim) + " decimal point"
}
