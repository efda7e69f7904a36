// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"errors"
	"strings"
	"testing"
)

func TestErrorNamesFormatAndPlace(t *testing.T) {
	for _, tc := range []struct {
		err  *Error
		want string
	}{
		{&Error{Format: MT940, Line: 12, Reason: "bad :61: line"}, "mt940: line 12: bad :61: line"},
		{&Error{Format: Camt, Element: "Document/BkToCstmrStmt/Stmt/Ntry[3]/Amt", Reason: "no amount"}, "camt: element Document/BkToCstmrStmt/Stmt/Ntry[3]/Amt: no amount"},
		{&Error{Format: CSV, Reason: "empty file"}, "csv: empty file"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q; want %q", got, tc.want)
		}
	}
}

func TestParseRefusesOversizeAndUnknownFormat(t *testing.T) {
	var pe *Error
	if _, err := Parse(make([]byte, MaxSize+1), Options{Format: CSV}); !errors.As(err, &pe) || !strings.Contains(pe.Reason, "larger") {
		t.Errorf("oversize: %v", err)
	}
	if _, err := Parse([]byte("x"), Options{Format: "pdf"}); !errors.As(err, &pe) || !strings.Contains(pe.Reason, "unknown format") {
		t.Errorf("unknown format: %v", err)
	}
}

func TestToUTF8(t *testing.T) {
	for _, tc := range []struct {
		in      []byte
		charset string
		want    string
	}{
		{[]byte("caf\xe9"), "1252", "café"},
		{[]byte("caf\xe9"), "", "café"}, // not UTF-8: Windows-1252
		{[]byte("\xef\xbb\xbfcafé"), "", "café"},
		{[]byte("\xff\xfec\x00a\x00f\x00\xe9\x00"), "", "café"},
		{[]byte("\x80"), "windows-1252", "€"},
		{[]byte("caf\xe9"), "ISO-8859-1", "café"},
	} {
		got, err := toUTF8(tc.in, tc.charset)
		if err != nil || string(got) != tc.want {
			t.Errorf("toUTF8(%q, %q) = %q, %v; want %q", tc.in, tc.charset, got, err, tc.want)
		}
	}
	if _, err := toUTF8([]byte("x"), "EBCDIC"); err == nil {
		t.Error("unknown charset accepted")
	}
}

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Format
	}{
		{"OFXHEADER:100\r\nDATA:OFXSGML\r\n", OFX},
		{"<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"220\"?>\n<OFX>", OFX},
		{"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">", Camt},
		{"<Document><BkToCstmrAcctRpt>", Camt},
		{":20:STARTUMS\r\n:25:10020030/1234567\r\n:28C:1\r\n", MT940},
		{"{1:F01BANKDEFFXXXX0000000000}{2:I940}{4:\r\n:20:REF\r\n:25:DE89370400440532013000\r\n", MT940},
		{"!Type:Bank\nD01/02/2026\n", QIF},
		{"\xef\xbb\xbfDate;Libellé;Montant\n", CSV},
		{"Date,Description,Amount\n2026-01-02,Coffee,-3.50\n", CSV},
	} {
		got, err := Detect([]byte(tc.in))
		if err != nil || got != tc.want {
			t.Errorf("Detect(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"", "  \n", "\x00\x01\x02PK\x03\x04", "<html><body>"} {
		if f, err := Detect([]byte(in)); err == nil {
			t.Errorf("Detect(%q) = %q; want an error", in, f)
		}
	}
}
