// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"errors"
	"io"
	"strings"
)

// ofxReader turns the token stream of either OFX syntax into aggregate
// openings, leaf values and aggregate closings for ofxStatements.
//
// SGML structure is recovered without a DTD:
//   - a start tag followed by text is a leaf element (its end tag, when
//     written, is consumed); a known leaf name followed by a tag is an
//     empty leaf; any other start tag opens an aggregate;
//   - an end tag closes every aggregate opened since the matching start
//     tag; an end tag that matches nothing open (a leaf's) is ignored;
//   - aggregates left open are closed by what cannot be inside them: an
//     aggregate never contains itself (a second <STMTTRN> closes the first),
//     and the aggregates the statements are made of close up to their
//     parent (<LEDGERBAL> closes up to STMTRS).
//
// The XML syntax is strict (its tokenizer refuses mismatched tags), so
// none of this applies to OFX 2.x.
type ofxReader struct {
	src     string
	in      ofxSource
	xml     bool
	peeked  ofxTok
	hasPeek bool
	stack   []string
	path    xmlPath // XML only: element paths for errors
	closed  bool    // </OFX> seen
	started bool    // <OFX> seen
	qfx     bool    // an Intuit INTU.* element seen
	// malformed: reading failed on a syntax error of the XML tokenizer
	// (not on a refused DTD or entity).
	malformed bool
	st        ofxStatements
}

func newOFXReader(src string, in ofxSource, isXML bool, opt Options) *ofxReader {
	r := &ofxReader{src: src, in: in, xml: isXML, stack: make([]string, 0, 16)}
	r.st.r, r.st.givenCurrency = r, opt.Currency
	return r
}

func (r *ofxReader) token() (ofxTok, error) {
	if r.hasPeek {
		r.hasPeek = false
		return r.peeked, nil
	}
	return r.in.next()
}

// peekNonBlank returns the next token that is not white-space text,
// leaving it to be read again.
func (r *ofxReader) peekNonBlank() (ofxTok, error) {
	for {
		t, err := r.token()
		if err != nil {
			return t, err
		}
		if t.kind == xmlText && strings.TrimSpace(t.text) == "" {
			continue
		}
		r.peeked, r.hasPeek = t, true
		return t, nil
	}
}

// read reads the whole body.
func (r *ofxReader) read() error {
	for {
		t, err := r.token()
		if isEnd(err) {
			break
		}
		if err != nil {
			return r.syntaxErr(err)
		}
		switch t.kind {
		case xmlText:
			if strings.TrimSpace(t.text) != "" && len(r.stack) == 0 {
				return r.errAt(t.off, "", "text outside the <OFX> element")
			}
		case xmlStart:
			if err := r.start(t); err != nil {
				return err
			}
		case xmlEnd:
			if err := r.end(t); err != nil {
				return err
			}
		}
	}
	switch {
	case !r.started:
		return &Error{Format: OFX, Reason: "no <OFX> element"}
	case !r.closed:
		open := "OFX"
		if len(r.stack) > 0 {
			open = r.stack[len(r.stack)-1]
		}
		return &Error{Format: OFX, Line: lineAt(r.src, len(r.src)), Reason: "the file ends inside <" + open + "> before </OFX> (truncated file?)"}
	}
	return nil
}

func isEnd(err error) bool { return errors.Is(err, io.EOF) }

func (r *ofxReader) start(t ofxTok) error {
	if strings.HasPrefix(t.name, "INTU.") {
		r.qfx = true
	}
	if !r.started {
		if t.name != "OFX" {
			return r.errAt(t.off, "", "the body does not start with <OFX> but <"+t.name+">")
		}
		r.started = true
	} else if t.name == "OFX" {
		return r.errAt(t.off, "", "a second <OFX> element")
	} else if r.closed || len(r.stack) == 0 {
		return r.errAt(t.off, "", "<"+t.name+"> after </OFX>")
	}
	next, err := r.peekNonBlank()
	if err != nil && !isEnd(err) {
		return r.syntaxErr(err)
	}
	leaf := err == nil && next.kind == xmlText
	if ofxLeaves[t.name] {
		leaf = true // perhaps empty
	}
	if leaf {
		value := ""
		if err == nil && next.kind == xmlText {
			r.hasPeek = false
			value = strings.TrimSpace(next.text)
			if after, err := r.peekNonBlank(); err == nil && after.kind == xmlEnd && after.name == t.name {
				r.hasPeek = false
			}
		} else if err == nil && next.kind == xmlEnd && next.name == t.name {
			r.hasPeek = false
		}
		return r.st.leaf(t.name, value, t.off)
	}
	if !r.xml {
		if err := r.closeImplied(t.name, t.off); err != nil {
			return err
		}
	}
	if len(r.stack) >= maxXMLDepth {
		return r.errAt(t.off, "", "aggregates nested deeper than 64 levels")
	}
	r.stack = append(r.stack, t.name)
	if r.xml {
		r.path.push(t.name, ofxRepeated[t.name])
	}
	return r.st.open(t.name, t.off)
}

// closeImplied closes what an SGML aggregate named name cannot be inside.
func (r *ofxReader) closeImplied(name string, off int) error {
	if i := r.find(name); i >= 0 {
		return r.popTo(i, off)
	}
	parents := ofxParents[name]
	if parents == "" {
		return nil
	}
	for i := len(r.stack) - 1; i >= 0; i-- {
		if strings.Contains(parents, " "+r.stack[i]+" ") {
			return r.popTo(i+1, off)
		}
	}
	return nil
}

// find returns the index of the innermost open aggregate named name, or -1.
func (r *ofxReader) find(name string) int {
	for i := len(r.stack) - 1; i >= 0; i-- {
		if r.stack[i] == name {
			return i
		}
	}
	return -1
}

// popTo closes the open aggregates from the innermost down to index i.
func (r *ofxReader) popTo(i, off int) error {
	for len(r.stack) > i {
		name := r.stack[len(r.stack)-1]
		if err := r.st.close(name, off); err != nil {
			return err
		}
		r.stack = r.stack[:len(r.stack)-1]
		if r.xml {
			r.path.pop()
		}
		if name == "OFX" {
			r.closed = true
		}
	}
	return nil
}

func (r *ofxReader) end(t ofxTok) error {
	i := r.find(t.name)
	if i < 0 {
		return nil // the end tag of a leaf, or of nothing
	}
	return r.popTo(i, t.off)
}

// parent is the innermost open aggregate that statements know, skipping
// unknown ones (such as a QFX INTU.* element read as an aggregate).
func (r *ofxReader) parent() string {
	for i := len(r.stack) - 1; i >= 0; i-- {
		if ofxParents[r.stack[i]] != "" || r.stack[i] == "OFX" {
			return r.stack[i]
		}
	}
	return ""
}

// errAt is an error at byte offset off; leaf names the leaf element for the
// XML path ("" = the current aggregate).
func (r *ofxReader) errAt(off int, leaf, reason string) error {
	e := &Error{Format: OFX, Line: lineAt(r.src, off), Reason: reason}
	if r.xml {
		e.Element = r.path.String()
		if leaf != "" {
			e.Element += "/" + leaf
		}
	}
	return e
}

func (r *ofxReader) syntaxErr(err error) error {
	var se *xmlSyntaxError
	if errors.As(err, &se) {
		r.malformed = r.xml && !se.refused
		return r.errAt(se.off, "", se.reason)
	}
	return &Error{Format: OFX, Reason: err.Error()}
}

// ofxParents lists, for the aggregates statements are made of, the
// aggregates that may hold them (space-separated and -framed).
var ofxParents = map[string]string{
	"SIGNONMSGSRSV1":     " OFX ",
	"BANKMSGSRSV1":       " OFX ",
	"CREDITCARDMSGSRSV1": " OFX ",
	"SONRS":              " SIGNONMSGSRSV1 ",
	"STATUS":             " SONRS STMTTRNRS CCSTMTTRNRS ",
	"FI":                 " SONRS ",
	"STMTTRNRS":          " BANKMSGSRSV1 ",
	"CCSTMTTRNRS":        " CREDITCARDMSGSRSV1 ",
	"STMTRS":             " STMTTRNRS ",
	"CCSTMTRS":           " CCSTMTTRNRS ",
	"BANKACCTFROM":       " STMTRS ",
	"CCACCTFROM":         " CCSTMTRS ",
	"BANKTRANLIST":       " STMTRS CCSTMTRS ",
	"LEDGERBAL":          " STMTRS CCSTMTRS ",
	"AVAILBAL":           " STMTRS CCSTMTRS ",
	"BALLIST":            " STMTRS CCSTMTRS ",
	"STMTTRN":            " BANKTRANLIST ",
	"PAYEE":              " STMTTRN ",
	"BANKACCTTO":         " STMTTRN ",
	"CCACCTTO":           " STMTTRN ",
	"CURRENCY":           " STMTTRN ",
	"ORIGCURRENCY":       " STMTTRN ",
}

// ofxRepeated are the aggregates indexed in XML error paths.
var ofxRepeated = map[string]bool{"STMTTRNRS": true, "CCSTMTTRNRS": true, "STMTTRN": true}

// ofxLeaves are leaf elements that may be written empty in SGML.
var ofxLeaves = map[string]bool{
	"NAME": true, "MEMO": true, "CHECKNUM": true, "REFNUM": true, "FITID": true, "SIC": true,
	"PAYEEID": true, "MESSAGE": true, "TRNAMT": true, "DTPOSTED": true, "DTUSER": true,
	"DTAVAIL": true, "TRNTYPE": true, "BANKID": true, "BRANCHID": true, "ACCTID": true,
	"ACCTTYPE": true, "ACCTKEY": true, "CURDEF": true, "BALAMT": true, "DTASOF": true,
	"DTSTART": true, "DTEND": true, "CODE": true, "SEVERITY": true, "TRNUID": true,
	"CURSYM": true, "CURRATE": true, "DTSERVER": true, "LANGUAGE": true, "ORG": true, "FID": true,
	"INTU.BID": true, "INTU.USERID": true, "MKTGINFO": true, "CORRECTFITID": true, "CORRECTACTION": true,
	"SRVRTID": true, "EXTDNAME": true, "INV401KSOURCE": true,
}
