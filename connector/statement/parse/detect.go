// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"bytes"
	"regexp"
)

// Detect tells the format of a statement file from its first bytes:
//   - OFX: an "OFXHEADER:" SGML header, or an XML document with an
//     <?OFX …?> processing instruction or an <OFX> root;
//   - camt: an XML document whose root Document carries a camt.05x
//     namespace or a BkToCstmrStmt / BkToCstmrAcctRpt element;
//   - MT940/MT942: SWIFT tags ":20:" and ":25:" at line starts (after an
//     optional {1:…} block header);
//   - QIF: a "!Type:" (or "!Account") header line;
//   - CSV: anything else that is text with a delimiter on its first line.
//
// An empty file, or one that is none of them (binary data), is an *Error.
func Detect(data []byte) (Format, error) {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	text, _ := toUTF8(head, "")
	t := bytes.TrimSpace(text)
	if len(t) == 0 {
		return "", &Error{Reason: "empty file"}
	}
	switch {
	case bytes.HasPrefix(t, []byte("OFXHEADER")), ofxXML.Match(t):
		return OFX, nil
	case camtXML.Match(t):
		return Camt, nil
	case camt054XML.Match(t):
		return "", &Error{Reason: "a camt.054 debit/credit notification is not a statement: export camt.053 or camt.052"}
	case bytes.HasPrefix(t, []byte("<")):
		return "", &Error{Reason: "XML document that is neither OFX nor camt.052/053"}
	case swiftTags.Match(t):
		return MT940, nil
	case qifHeader.Match(t):
		return QIF, nil
	case looksBinary(text): // decoded: UTF-16 text has NUL bytes
		return "", &Error{Reason: "not a statement file (binary data)"}
	}
	return CSV, nil
}

var (
	ofxXML     = regexp.MustCompile(`(?s)^(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*(<\?OFX |<OFX>)`)
	camtXML    = regexp.MustCompile(`(?s)^(<\?xml[^>]*\?>\s*)?.*?(urn:iso:std:iso:20022:tech:xsd:camt\.05[23]|<(\w+:)?BkToCstmr(Stmt|AcctRpt)\b)`)
	camt054XML = regexp.MustCompile(`(?s)^(<\?xml[^>]*\?>\s*)?.*?(urn:iso:std:iso:20022:tech:xsd:camt\.054|<(\w+:)?BkToCstmrDbtCdtNtfctn\b)`)
	// swiftTags: :20: then :25:, after a {1:…} block header or up to five
	// header lines (Dutch banks' "940 00", ":940:", SOH…).
	swiftTags = regexp.MustCompile(`(?s)^(\{1:[^}]*\}.*?|([^\r\n]{0,64}\r?\n){0,5})?(^|\n|\r)?:20:.*?[\r\n]:25[PA]?:`)
	qifHeader = regexp.MustCompile(`(?i)^!(Type:|Account|Option:)`)
)

// looksBinary reports control bytes other than tab, CR, LF and form feed:
// text formats have none.
func looksBinary(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\f' {
			return true
		}
	}
	return false
}
