// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"fmt"
	"regexp"
	"strings"
)

// MT940 reads SWIFT MT940 customer statements and MT942 interim reports,
// bare or in SWIFT blocks ({1:…}{2:…}{4: … -}), framed by SOH/ETX or
// preceded by a few bank header lines ("940 00", ":940:"), any number per
// file (each starts at a :20: field), with CRLF or LF line ends, in UTF-8
// or Latin-1/Windows-1252.
//
// Per statement:
//   - :25: is the account: an IBAN (optionally followed by its currency, or
//     preceded by "BIC/"), else "BANKCODE/NUMBER" (German BLZ/Konto) or any
//     number, kept as written as the key;
//   - :60F:/:60M: (opening) and :62F:/:62M: (closing) balances give the
//     currency; the last closing balance of the latest statement of an
//     account is its balance. :64:, :65:, MT942's :34F: and :90D:/:90C:
//     must name the same currency: any difference is a contradiction;
//   - each :61: is a transaction (see mt940Line), and the :86: after it its
//     description (see mt940Info).
//
// A statement that is not an MT942 (no :13D:, :34F:, :90D: or :90C: and no
// {2:…942} block) must end with a closing balance: without one the file is
// taken as truncated.
func init() { parsers[MT940] = parseMT940 }

// mt940Field is one field: its tag, its value (continuation lines joined
// with "\n") and its first line.
type mt940Field struct {
	tag   string
	value string
	line  int
	more  []string // continuation lines while reading
}

var mt940Tag = regexp.MustCompile(`^:([0-9]{2}[A-Z]?|NS):`)

// mt940MaxPreamble is how many header lines may precede a message.
const mt940MaxPreamble = 5

// mt940Closing are the one-line fields that end a statement.
var mt940Closing = map[string]bool{"62F": true, "62M": true, "64": true, "65": true}

func parseMT940(data []byte, _ Options) (*Result, error) {
	text, err := toUTF8(data, "")
	if err != nil {
		return nil, &Error{Format: MT940, Reason: err.Error()}
	}
	if strings.TrimSpace(string(text)) == "" {
		return nil, &Error{Format: MT940, Reason: "empty file"}
	}
	fields, mt942Block, err := mt940Fields(string(text))
	if err != nil {
		return nil, err
	}
	var stmts [][]mt940Field
	for _, f := range fields {
		if f.tag == "20" {
			stmts = append(stmts, nil)
		}
		if len(stmts) == 0 {
			return nil, &Error{Format: MT940, Line: f.line, Reason: fmt.Sprintf("field :%s: before the first :20: (a statement starts with :20:)", f.tag)}
		}
		stmts[len(stmts)-1] = append(stmts[len(stmts)-1], f)
	}
	if len(stmts) == 0 {
		return nil, &Error{Format: MT940, Line: 1, Reason: "no :20: field: not an MT940 statement"}
	}
	var set accountSet
	kinds := map[string]bool{}
	for _, fs := range stmts {
		st, err := mt940Statement(fs, mt942Block)
		if err != nil {
			return nil, err
		}
		kinds[st.kind] = true
		if _, reason := set.add(st.acct, st.order); reason != "" {
			return nil, &Error{Format: MT940, Line: fs[0].line, Reason: reason}
		}
	}
	for _, a := range set.list {
		dropAmbiguousIDs(a)
	}
	dialect := "mt940"
	switch {
	case kinds["mt940"] && kinds["mt942"]:
		dialect = "mt940+mt942"
	case kinds["mt942"]:
		dialect = "mt942"
	}
	return &Result{Dialect: dialect, Accounts: set.list}, nil
}

// mt940Fields splits the text into fields, unwrapping SWIFT blocks: a
// "{1:…}{2:…}…{4:" header opens block 4, a "-}" line closes it (what
// follows, such as {5:…}, is ignored); a lone "-" line separates
// statements. mt942 reports a {2:I942…} or {2:O942…} application header.
func mt940Fields(text string) ([]mt940Field, bool, error) {
	var fields []mt940Field
	inHeader, inBlock, mt942 := false, false, false
	blockLine := 0
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	lines := strings.Split(text, "\n")
	lineNo := 0
	preamble := 0
	for _, line := range lines {
		lineNo++
		// SOH and ETX frame SWIFT FIN messages in some exports (mBank):
		// they delimit, like "-".
		trimmed := strings.TrimRight(strings.Trim(line, "\x01\x03"), " \t")
		if inHeader || strings.HasPrefix(trimmed, "{1:") || strings.HasPrefix(trimmed, "{2:") {
			if strings.Contains(trimmed, "{2:I942") || strings.Contains(trimmed, "{2:O942") {
				mt942 = true
			}
			i := strings.Index(trimmed, "{4:")
			if i < 0 {
				inHeader = true
				continue
			}
			inHeader, inBlock, blockLine = false, true, lineNo
			trimmed = strings.TrimSpace(trimmed[i+3:])
			if trimmed == "" {
				continue
			}
		}
		switch {
		case strings.HasPrefix(trimmed, "-}"):
			if !inBlock {
				return nil, false, &Error{Format: MT940, Line: lineNo, Reason: "\"-}\" closes a SWIFT block 4 that was not opened with {4:"}
			}
			inBlock = false
			continue
		case trimmed == "-", trimmed == "":
			continue
		case strings.HasPrefix(trimmed, "{") && !inBlock:
			continue // trailer blocks {5:…}
		}
		if m := mt940Tag.FindString(trimmed); m != "" {
			fields = append(fields, mt940Field{tag: m[1 : len(m)-1], value: trimmed[len(m):], line: lineNo})
			preamble = 0
			continue
		}
		// A few header lines may precede a message: "0000 01INGBNL2AXXXX00001",
		// "940 00", "ABNANL2A", ":940:" in Dutch banks' exports. They come
		// before the first field, or after a closing balance (a one-line
		// field, which no text continues).
		if len(fields) == 0 || mt940Closing[fields[len(fields)-1].tag] {
			if preamble++; preamble <= mt940MaxPreamble {
				continue
			}
			return nil, false, &Error{Format: MT940, Line: lineNo, Reason: fmt.Sprintf("%q is not a field (\":20:\" expected)", clip(trimmed, 30))}
		}
		f := &fields[len(fields)-1]
		f.more = append(f.more, trimmed) // joined below: appending to value would copy it each time
	}
	for i := range fields {
		if f := &fields[i]; len(f.more) > 0 {
			f.value += "\n" + strings.Join(f.more, "\n")
			f.more = nil
		}
	}
	if inBlock {
		return nil, false, &Error{Format: MT940, Line: blockLine, Reason: "the SWIFT block 4 opened here is not closed by \"-}\" (truncated file?)"}
	}
	if inHeader {
		return nil, false, &Error{Format: MT940, Line: lineNo, Reason: "the file ends inside a SWIFT block header (truncated file?)"}
	}
	return fields, mt942, nil
}

// clip shortens s to n bytes for error messages.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
