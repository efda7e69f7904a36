// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// xmlTokens renders the tokens of src: "<a>", "</a>", "text", or the error.
func xmlTokens(src string) string {
	s := newXMLScanner(src)
	var out []string
	for {
		t, err := s.next()
		if errors.Is(err, io.EOF) {
			return strings.Join(out, " ")
		}
		if err != nil {
			return strings.Join(append(out, "ERROR: "+err.Error()), " ")
		}
		switch t.kind {
		case xmlStart:
			a := ""
			for _, at := range t.attrs {
				a += " " + at.name + "=" + at.value
			}
			out = append(out, "<"+t.name+a+">")
		case xmlEnd:
			out = append(out, "</"+t.name+">")
		case xmlText:
			out = append(out, "'"+t.text+"'")
		}
	}
}

func TestXMLScanner(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`<?xml version="1.0"?><!-- c --><a x="1" y='&lt;2&gt;'>t&amp;u<b/><![CDATA[<raw>&]]></a>`, `<a x=1 y=<2>> 't&u' <b> </b> '<raw>&' </a>`},
		{"<p:a xmlns:p=\"urn:x\"><p:b>&#233;&#xE9;&quot;&apos;</p:b></p:a>\n", `<a xmlns:p=urn:x> <b> 'éé"'' </b> </a>`},
		{"<a\n  x = \"1\"\n></a >", `<a x=1> </a>`},
		{"", "ERROR: no root element"},
		{"<a>", "<a> ERROR: the document ends inside <a> (truncated file?)"},
		{"<a></b>", "<a> ERROR: end tag </b> does not match <a>"},
		{"<a/><b/>", "<a> </a> ERROR: second root element <b>"},
		{"x<a/>", "ERROR: text outside the root element"},
		{"<a/>x", "<a> </a> ERROR: text outside the root element"},
		{"<a x=1/>", "ERROR: attribute x of <a>: value not quoted"},
		{"<a x/>", "ERROR: attribute x of <a> has no value"},
		{`<a x="<"/>`, "ERROR: attribute x of <a>: '<' in a value"},
		{`<a x="1"y="2"/>`, "ERROR: start tag <a>: expected white space, '>' or '/>'"},
		{"<a>&amp</a>", "<a> ERROR: '&' not part of a reference (write &amp;)"},
		{"<a>&#0;</a>", "<a> ERROR: entity &#0; refused: only the predefined XML entities and character references are allowed"},
		{"<a>&ent;</a>", "<a> ERROR: entity &ent; refused: only the predefined XML entities and character references are allowed"},
		{"<!DOCTYPE a><a/>", "ERROR: a DTD or markup declaration (<!DOCTYPE) is refused: statement files must not declare a document type or entities"},
		{"<a><!ELEMENT a ANY></a>", "<a> ERROR: a DTD or markup declaration (<!ELEMENT) is refused: statement files must not declare a document type or entities"},
		{"<a><!-- x</a>", "<a> ERROR: unterminated comment"},
		{"<a><![CDATA[x</a>", "<a> ERROR: unterminated CDATA section"},
		{"<a><?pi x</a>", "<a> ERROR: unterminated processing instruction"},
		{"<1a/>", "ERROR: '<' not followed by an element name"},
		{"<a></>", "<a> ERROR: malformed end tag"},
		{"<a></a", "<a> ERROR: end tag </a> is not closed by '>'"},
		{"<a", "ERROR: start tag <a> is not closed (truncated file?)"},
		{"<a/ >", "ERROR: malformed empty-element tag <a/>"},
	} {
		if got := xmlTokens(tc.in); got != tc.want {
			t.Errorf("tokens(%q)\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

func TestXMLLimits(t *testing.T) {
	deep := strings.Repeat("<a>", maxXMLDepth) + strings.Repeat("</a>", maxXMLDepth)
	if got := xmlTokens(deep); strings.Contains(got, "ERROR") {
		t.Errorf("%d levels refused: %s", maxXMLDepth, got[len(got)-80:])
	}
	deeper := strings.Repeat("<a>", maxXMLDepth+1)
	if got := xmlTokens(deeper); !strings.HasSuffix(got, "ERROR: elements nested deeper than 64 levels") {
		t.Errorf("%d levels: %s", maxXMLDepth+1, got[len(got)-80:])
	}
	long := "<" + strings.Repeat("a", maxXMLName+1) + "/>"
	if got := xmlTokens(long); !strings.Contains(got, "not followed by an element name") {
		t.Errorf("long name: %s", got)
	}
	many := "<r>" + strings.Repeat("<a/>", maxXMLElements) + "</r>"
	if got := xmlTokens(many); !strings.HasSuffix(got, "ERROR: more than 2000000 elements") {
		t.Errorf("element count: %s", got[len(got)-60:])
	}
}

func TestDecodeXMLDocument(t *testing.T) {
	for _, tc := range []struct {
		in   []byte
		want string
	}{
		{[]byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xe9</a>"), "<a>é</a>"},
		{[]byte("<?xml version='1.0' encoding='windows-1252'?><a>\x80</a>"), "<a>€</a>"},
		{[]byte("\xef\xbb\xbf<a>é</a>"), "<a>é</a>"},
		{[]byte("\xff\xfe<\x00a\x00/\x00>\x00"), "<a/>"},
		{[]byte("<a>é</a>"), "<a>é</a>"},
	} {
		got, err := decodeXMLDocument(tc.in)
		if err != nil || !strings.HasSuffix(got, tc.want) {
			t.Errorf("decodeXMLDocument(%q) = %q, %v; want …%q", tc.in, got, err, tc.want)
		}
	}
}

func TestMislabelledUTF8FallsBackTo1252(t *testing.T) {
	got, err := decodeXMLDocument([]byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>caf\xe9</a>"))
	if err != nil || !strings.HasSuffix(got, "<a>café</a>") {
		t.Errorf("decodeXMLDocument = %q, %v", got, err)
	}
	data := strings.Replace(ofxSGML(ofxTxnFile("<DTPOSTED>20260101\n<TRNAMT>1\n<NAME>caf\xe9\n")), "ENCODING:USASCII\nCHARSET:1252", "ENCODING:UTF-8\nCHARSET:NONE", 1)
	r, err := Parse([]byte(data), Options{Format: OFX})
	if err != nil || r.Accounts[0].Transactions[0].Wording != "café" {
		t.Errorf("Parse = %+v, %v", r, err)
	}
}

// TestLinearOnPathologicalInput reads inputs that a naive reader would
// take quadratic time on: text split in many pieces, many '&', many
// continuation lines. Each is 1–2 MB: quadratic copying would take minutes.
func TestLinearOnPathologicalInput(t *testing.T) {
	pieces := camtDoc(camtEntry(`<Amt Ccy="EUR">1.00</Amt>`))
	pieces = strings.Replace(pieces, "<Id>1</Id>", "<Id>"+strings.Repeat("x<!---->", 200_000)+"</Id>", 1)
	if _, err := Parse([]byte(pieces), Options{Format: Camt}); err != nil {
		t.Errorf("split text: %v", err)
	}
	amps := ofxSGML(ofxTxnFile("<DTPOSTED>20260101\n<TRNAMT>1\n<NAME>" + strings.Repeat("&", 1_000_000) + ";\n"))
	r, err := Parse([]byte(amps), Options{Format: OFX})
	if err != nil || len(r.Accounts[0].Transactions[0].Wording) != 1_000_001 {
		t.Errorf("ampersands: %v", err)
	}
	lines := mt940Doc(":61:260101C1,00NTRFNONREF\r\n:86:" + strings.Repeat("more text\r\n", 200_000))
	if _, err := Parse([]byte(lines), Options{Format: MT940}); err != nil {
		t.Errorf("continuation lines: %v", err)
	}
}
