// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"strings"
	"testing"
)

// TestDetectBankFormats covers the dialects of OFX, camt and MT940 that
// detection must recognise beyond the testdata files (which the golden
// test detects too).
func TestDetectBankFormats(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Format
	}{
		{"\xef\xbb\xbf\r\nOFXHEADER:100\r\nDATA:OFXSGML\r\n", OFX},
		{"<?OFX OFXHEADER=\"200\" VERSION=\"211\"?><OFX>", OFX},
		{"<?xml version=\"1.0\"?>\n<!-- bank export -->\n<?OFX OFXHEADER=\"200\"?>\n<OFX>", OFX},
		{"<OFX>\n<SIGNONMSGSRSV1>", OFX},
		{"<?xml version=\"1.0\"?><ns2:Document xmlns:ns2=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">", Camt},
		{"<?xml version=\"1.0\"?><!-- c --><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.052.001.13\">", Camt},
		{"<BkToCstmrStmt><Stmt>", Camt},
		{":20:MT942-0001\r\n:21:NONREF\r\n:25:DE89370400440532013000EUR\r\n", MT940},
		{"\r\n\r\n:20:STARTUMSE\n:25:10020030/1234567\n", MT940},
		{"0000 01INGBNL2AXXXX00001\r\n0000 01INGBNL2AXXXX00001\r\n940 00\r\n:20:MPBZ\r\n:25:0001234567\r\n", MT940},
		{":940:\r\n:20:940A110615\r\n:25:1291.99.348EUR\r\n", MT940},
		{"\x01\r\n:20:ST170119CYC/1\r\n:25:PL29114010810000267002001002\r\n", MT940},
		{"{1:F01ABNANL2AXXXX0000000000}{2:O9400000260101ABNANL2AXXXX00000000002601010000N}{3:}{4:\n:20:ABN0101\n:25:NL91ABNA0417164300\n", MT940},
	} {
		got, err := Detect([]byte(tc.in))
		if err != nil || got != tc.want {
			t.Errorf("Detect(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := Detect([]byte(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">`)); err == nil || !strings.Contains(err.Error(), "camt.054 debit/credit notification is not a statement") {
		t.Errorf("camt.054: %v", err)
	}
	for _, in := range []string{
		"<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.08\"><BkToCstmrDbtCdtNtfctn>",
		"<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\">",
	} {
		if f, err := Detect([]byte(in)); err == nil {
			t.Errorf("Detect(%q) = %q; want an error", in, f)
		}
	}
}
