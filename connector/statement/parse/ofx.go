// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// OFX reads Open Financial Exchange statement downloads: OFX 1.x (SGML,
// with the "OFXHEADER:100" header, leaf elements without end tags) and OFX
// 2.x (XML, with the <?OFX OFXHEADER="200" …?> instruction), and QFX
// (Quicken's OFX, whose extra INTU.* elements are ignored). It reads bank
// statements (STMTRS in BANKMSGSRSV1) and credit-card statements (CCSTMTRS
// in CREDITCARDMSGSRSV1), any number of them; investment statements are
// not read.
func init() { parsers[OFX] = parseOFX }

var (
	ofxXMLHeader  = regexp.MustCompile(`<\?OFX\s[^>]*?OFXHEADER\s*=\s*["']?(\d+)`)
	ofxXMLVersion = regexp.MustCompile(`<\?OFX\s[^>]*?VERSION\s*=\s*["']?(\d+)`)
)

func parseOFX(data []byte, opt Options) (*Result, error) {
	trimmed := bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf")
	if len(bytes.TrimSpace(trimmed)) == 0 {
		return nil, &Error{Format: OFX, Reason: "empty file"}
	}
	if bytes.HasPrefix(trimmed, []byte("OFXHEADER")) {
		return parseOFXSGML(data, opt)
	}
	if bytes.HasPrefix(trimmed, []byte("<OFX>")) {
		return parseOFXBare(data, opt)
	}
	if bytes.HasPrefix(trimmed, []byte("<")) {
		return parseOFXXML(data, opt)
	}
	return nil, &Error{Format: OFX, Line: 1, Reason: "not an OFX file: no OFXHEADER header and no XML <?OFX …?> declaration"}
}

// parseOFXSGML reads OFX 1.x: a header of NAME:VALUE lines, then SGML.
func parseOFXSGML(data []byte, opt Options) (*Result, error) {
	lt := bytes.IndexByte(data, '<')
	if lt < 0 {
		return nil, &Error{Format: OFX, Reason: "the file ends after the OFX header: no <OFX> body (truncated file?)"}
	}
	header := map[string]string{}
	for _, f := range strings.Fields(string(data[:lt])) {
		k, v, ok := strings.Cut(f, ":")
		if !ok {
			return nil, &Error{Format: OFX, Line: lineAt(string(data[:lt]), strings.Index(string(data[:lt]), f)), Reason: fmt.Sprintf("malformed OFX header line %q (NAME:VALUE expected)", f)}
		}
		header[strings.ToUpper(strings.TrimPrefix(k, "\ufeff"))] = v
	}
	if h := header["OFXHEADER"]; h != "100" {
		return nil, &Error{Format: OFX, Line: 1, Reason: fmt.Sprintf("OFXHEADER:%s: only OFX 1.x headers (OFXHEADER:100) precede an SGML body", h)}
	}
	if d := header["DATA"]; d != "" && !strings.EqualFold(d, "OFXSGML") {
		return nil, &Error{Format: OFX, Line: 1, Reason: fmt.Sprintf("DATA:%s: expected DATA:OFXSGML", d)}
	}
	// CHARSET names the code page of ENCODING:USASCII files; ENCODING:UTF-8
	// (or UNICODE) files are decoded as UTF-8, falling back to Windows-1252
	// when their bytes are not UTF-8 (banks mislabel files; amounts are
	// ASCII either way, only names would differ).
	charset := header["CHARSET"]
	if enc := strings.ToUpper(header["ENCODING"]); enc == "UTF-8" || enc == "UNICODE" {
		charset = ""
	} else if charset == "" || strings.EqualFold(charset, "NONE") {
		charset = enc
	}
	text, err := toUTF8(nil, charset) // checks the name
	if err == nil {
		text = data
		if !isASCII(data) || strings.HasPrefix(strings.ToUpper(charset), "UTF-16") {
			text, err = toUTF8(data, charset)
		}
	}
	if err != nil {
		return nil, &Error{Format: OFX, Line: 1, Reason: fmt.Sprintf("CHARSET:%s ENCODING:%s: %v", header["CHARSET"], header["ENCODING"], err)}
	}
	src := string(text)
	start := strings.IndexByte(src, '<')
	r := newOFXReader(src, &sgmlScanner{src: src, pos: start}, false, opt)
	if err := r.read(); err != nil {
		return nil, err
	}
	return r.result(ofxDialect(header["VERSION"], "sgml", r.qfx))
}

// parseOFXBare reads an OFX body without any header, as some banks export
// it: with the SGML rules, which also read closed leaves, so it does not
// matter whether the body is SGML or XML. The character set is UTF-8 when
// the bytes are, else Windows-1252.
func parseOFXBare(data []byte, opt Options) (*Result, error) {
	text, err := toUTF8(data, "")
	if err != nil {
		return nil, &Error{Format: OFX, Reason: err.Error()}
	}
	src := string(text)
	r := newOFXReader(src, &sgmlScanner{src: src, pos: strings.IndexByte(src, '<')}, false, opt)
	if err := r.read(); err != nil {
		return nil, err
	}
	return r.result(ofxDialect("", "sgml, no header", r.qfx))
}

// parseOFXXML reads OFX 2.x: an XML document.
func parseOFXXML(data []byte, opt Options) (*Result, error) {
	src, err := decodeXMLDocument(data)
	if err != nil {
		return nil, &Error{Format: OFX, Reason: err.Error()}
	}
	head := src
	if len(head) > 1024 {
		head = head[:1024]
	}
	version := ""
	if m := ofxXMLHeader.FindStringSubmatch(head); m == nil {
		if !strings.Contains(head, "<OFX>") {
			return nil, &Error{Format: OFX, Line: 1, Reason: "an XML document without the <?OFX OFXHEADER=\"200\" …?> declaration or an <OFX> root"}
		}
	} else if m[1] != "200" {
		return nil, &Error{Format: OFX, Line: 1, Reason: fmt.Sprintf("OFXHEADER=%q: expected \"200\" for OFX 2.x XML", m[1])}
	}
	if m := ofxXMLVersion.FindStringSubmatch(head); m != nil {
		version = m[1]
	}
	r := newOFXReader(src, &ofxXMLSource{sc: newXMLScanner(src)}, true, opt)
	err = r.read()
	if body := strings.Index(src, "<OFX>"); err != nil && r.malformed && body >= 0 {
		// Some banks (ANZ, …) declare OFX 2.x XML and write an SGML body,
		// leaves without end tags: read it again with the SGML rules. A
		// refused DTD or entity is never retried.
		r = newOFXReader(src, &sgmlScanner{src: src, pos: body}, false, opt)
		if err := r.read(); err != nil {
			return nil, err
		}
		return r.result(ofxDialect(version, "xml header, sgml body", r.qfx))
	}
	if err != nil {
		return nil, err
	}
	return r.result(ofxDialect(version, "xml", r.qfx))
}

// ofxDialect names what was read: "ofx 1.02 sgml", "qfx 2.20 xml".
func ofxDialect(version, syntax string, qfx bool) string {
	name := "ofx"
	if qfx {
		name = "qfx"
	}
	if len(version) >= 2 && allDigits(version) {
		version = version[:1] + "." + version[1:]
	}
	return joinNonEmpty(" ", name, version, syntax)
}

// ofxTok is a token of either OFX syntax.
type ofxTok struct {
	kind xmlKind
	name string
	text string
	off  int
}

// ofxSource yields the tokens of an OFX body; io.EOF ends it.
type ofxSource interface {
	next() (ofxTok, error)
}

// ofxXMLSource reads OFX 2.x tokens through the strict XML tokenizer.
type ofxXMLSource struct{ sc *xmlScanner }

func (s *ofxXMLSource) next() (ofxTok, error) {
	t, err := s.sc.next()
	if err != nil {
		return ofxTok{}, err
	}
	return ofxTok{kind: t.kind, name: t.name, text: t.text, off: t.off}, nil
}

// sgmlScanner tokenizes the SGML body of OFX 1.x: <NAME>, </NAME> and the
// text between tags. It decodes &amp; &lt; &gt; &nbsp; and character
// references, and keeps any other '&' as written (banks write "AT&T").
// A markup declaration (<!DOCTYPE…) is refused as in XML.
type sgmlScanner struct {
	src string
	pos int
}

func (s *sgmlScanner) next() (ofxTok, error) {
	src := s.src
	for {
		if s.pos >= len(src) {
			return ofxTok{}, io.EOF
		}
		start := s.pos
		if src[start] != '<' {
			end := strings.IndexByte(src[start:], '<')
			if end < 0 {
				end = len(src) - start
			}
			s.pos = start + end
			return ofxTok{kind: xmlText, text: sgmlText(src[start:s.pos]), off: start}, nil
		}
		if strings.HasPrefix(src[start:], "<!--") {
			end := strings.Index(src[start+4:], "-->")
			if end < 0 {
				return ofxTok{}, &xmlSyntaxError{off: start, reason: "unterminated comment"}
			}
			s.pos = start + 4 + end + 3
			continue
		}
		if strings.HasPrefix(src[start:], "<!") || strings.HasPrefix(src[start:], "<?") {
			return ofxTok{}, &xmlSyntaxError{off: start, reason: fmt.Sprintf("markup declaration %s refused in an OFX 1.x body", declName(src[start:]))}
		}
		gt := strings.IndexByte(src[start:], '>')
		if gt < 0 {
			return ofxTok{}, &xmlSyntaxError{off: start, reason: "the file ends inside a tag (truncated file?)"}
		}
		s.pos = start + gt + 1
		kind, name := xmlStart, src[start+1:start+gt]
		if strings.HasPrefix(name, "/") {
			kind, name = xmlEnd, name[1:]
		}
		if !validSGMLName(name) {
			return ofxTok{}, &xmlSyntaxError{off: start, reason: fmt.Sprintf("malformed tag %q", src[start:start+gt+1])}
		}
		return ofxTok{kind: kind, name: upperASCII(name), off: start}, nil
	}
}

func validSGMLName(n string) bool {
	if n == "" || len(n) > maxXMLName {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// upperASCII upper-cases ASCII letters without allocating when there are
// none to change.
func upperASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'a' && s[i] <= 'z' {
			return strings.ToUpper(s)
		}
	}
	return s
}

// sgmlText decodes the references OFX 1.x writers use.
func sgmlText(raw string) string {
	if strings.IndexByte(raw, '&') < 0 {
		return raw
	}
	var b strings.Builder
	for {
		amp := strings.IndexByte(raw, '&')
		if amp < 0 {
			b.WriteString(raw)
			return b.String()
		}
		b.WriteString(raw[:amp])
		raw = raw[amp:]
		semi := strings.IndexByte(raw[:min(len(raw), 11)], ';') // a bounded look: no rescans
		if semi > 1 {
			ref := raw[1:semi]
			rep := ""
			switch ref {
			case "amp":
				rep = "&"
			case "lt":
				rep = "<"
			case "gt":
				rep = ">"
			case "nbsp":
				rep = " "
			case "quot":
				rep = "\""
			case "apos":
				rep = "'"
			default:
				if r, ok := charRef(ref); ok {
					rep = string(r)
				}
			}
			if rep != "" {
				b.WriteString(rep)
				raw = raw[semi+1:]
				continue
			}
		}
		b.WriteByte('&')
		raw = raw[1:]
	}
}

// isASCII reports bytes below 0x80 only: text that every character set the
// formats declare (1252, Latin-1, UTF-8, US-ASCII) decodes to itself.
func isASCII(b []byte) bool {
	for len(b) >= 8 {
		if (uint64(b[0])|uint64(b[1])|uint64(b[2])|uint64(b[3])|uint64(b[4])|uint64(b[5])|uint64(b[6])|uint64(b[7]))&0x80 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
