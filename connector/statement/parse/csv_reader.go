// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"fmt"
	"strings"
)

// csvRecord is one record of a CSV file: its fields and the 1-based line
// it starts on (a quoted field may span lines).
type csvRecord struct {
	line   int
	fields []string
}

// blank reports a record of empty fields only (a blank line, ";;;").
func (r csvRecord) blank() bool {
	for _, f := range r.fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// csvMaxFields bounds the fields of one record.
const csvMaxFields = 1000

// readCSV splits text into records, as RFC 4180 writes them: fields
// separated by delim, records by CR LF, LF or CR; a field in double
// quotes may hold the delimiter, line breaks and doubled quotes. Leniently,
// a quote inside an unquoted field is kept as it is, and text after a
// closing quote is appended to the field. At most limit records are read
// (0 = all). A quoted field still open at the end of the file is an error.
func readCSV(s string, delim byte, limit int) ([]csvRecord, *Error) {
	var out []csvRecord
	var fields, slab []string // the record being read; storage shared by records
	line := 1
	i := 0
	for i < len(s) && (limit == 0 || len(out) < limit) {
		rec := csvRecord{line: line}
		fields = fields[:0]
		for {
			var field string
			if i < len(s) && s[i] == '"' {
				start := line
				i++
				j := strings.IndexByte(s[i:], '"')
				if j < 0 {
					return out, &Error{Format: CSV, Line: start, Reason: "quoted field not closed (file truncated?)"}
				}
				if k := i + j + 1; k == len(s) || s[k] == delim || s[k] == '\n' || s[k] == '\r' {
					// The common case: no doubled quote, nothing after the quote.
					field = s[i : i+j]
					line += lineBreaks(field)
					i = k
				} else {
					var b strings.Builder
					b.Grow(j + 16)
					for {
						j := strings.IndexByte(s[i:], '"')
						if j < 0 {
							return out, &Error{Format: CSV, Line: start, Reason: "quoted field not closed (file truncated?)"}
						}
						chunk := s[i : i+j]
						line += lineBreaks(chunk)
						b.WriteString(chunk)
						i += j + 1
						if i < len(s) && s[i] == '"' {
							b.WriteByte('"')
							i++
							continue
						}
						break
					}
					// Text after the closing quote, up to the delimiter.
					j := i
					for j < len(s) && s[j] != delim && s[j] != '\n' && s[j] != '\r' {
						j++
					}
					if tail := strings.TrimSpace(s[i:j]); tail != "" {
						b.WriteString(s[i:j])
					}
					i = j
					field = b.String()
				}
			} else {
				j := i
				for j < len(s) && s[j] != delim && s[j] != '\n' && s[j] != '\r' {
					j++
				}
				field = s[i:j]
				i = j
			}
			if len(fields) == csvMaxFields {
				return out, &Error{Format: CSV, Line: rec.line, Reason: fmt.Sprintf("more than %d fields in one row", csvMaxFields)}
			}
			fields = append(fields, field)
			if i < len(s) && s[i] == delim {
				i++
				if i == len(s) { // a delimiter ends the file: one more empty field
					fields = append(fields, "")
				}
				continue
			}
			break
		}
		// The record ends at a line break or the end of the file.
		if i < len(s) {
			if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			i++
			line++
		}
		if cap(slab)-len(slab) < len(fields) {
			slab = make([]string, 0, max(4096, len(fields)))
		}
		start := len(slab)
		slab = append(slab, fields...)
		rec.fields = slab[start:len(slab):len(slab)]
		out = append(out, rec)
	}
	return out, nil
}

// lineBreaks counts the line ends (CR LF, LF or CR) in s.
func lineBreaks(s string) int {
	if strings.IndexByte(s, '\n') < 0 && strings.IndexByte(s, '\r') < 0 {
		return 0
	}
	return strings.Count(s, "\n") + strings.Count(s, "\r") - strings.Count(s, "\r\n")
}

// csvDelimiters are the delimiters detected, in order of preference.
var csvDelimiters = []byte{';', ',', '\t', '|'}

// detectDelimiter chooses the delimiter under which the first records of
// text agree best: for each delimiter, the records of one width w (two
// fields or more) score (w-1) each, and the best width's score is the
// delimiter's. A decimal comma splits rows in two fields, a real delimiter
// in many, so the weight favours the latter. Ties go to the order of
// csvDelimiters.
func detectDelimiter(s string) (byte, bool) {
	const sample = 40
	best, bestScore := byte(0), 0
	for _, d := range csvDelimiters {
		recs, _ := readCSV(s, d, sample)
		freq := map[int]int{}
		for _, r := range recs {
			if n := trimmedWidth(r.fields); n >= 2 {
				freq[n]++
			}
		}
		for fields, count := range freq {
			if score := count * (fields - 1); score > bestScore {
				best, bestScore = d, score
			}
		}
	}
	return best, bestScore > 0
}

// trimmedWidth is the number of fields up to the last non-empty one.
func trimmedWidth(fields []string) int {
	n := len(fields)
	for n > 0 && strings.TrimSpace(fields[n-1]) == "" {
		n--
	}
	return n
}

// delimiterName names a delimiter for the dialect: ";" "," "tab" "|".
func delimiterName(d byte) string {
	if d == '\t' {
		return "tab"
	}
	return string(d)
}
