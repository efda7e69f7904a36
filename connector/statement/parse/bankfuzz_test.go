// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"os"
	"testing"
)

// fuzzParse parses data as format and checks the contract: no panic, any
// failure an *Error of that format, and a result whose accounts have a key
// and whose transactions have a date and the account's currency.
func fuzzParse(t *testing.T, format Format, data []byte) {
	r, err := Parse(data, Options{Format: format})
	if err != nil {
		pe, ok := err.(*Error)
		if !ok {
			t.Fatalf("error %T %v is not an *Error", err, err)
		}
		if pe.Format != format || pe.Reason == "" {
			t.Fatalf("error %+v: wrong format or no reason", pe)
		}
		return
	}
	if len(r.Accounts) == 0 {
		t.Fatal("a result without accounts")
	}
	for _, a := range r.Accounts {
		if a.Key == "" || !validCurrency(a.Currency) {
			t.Fatalf("account %+v: no key or currency", a)
		}
		if a.Balance != nil && a.Balance.Currency != a.Currency {
			t.Fatalf("account %s: balance in %s", a.Key, a.Balance.Currency)
		}
		for _, tx := range a.Transactions {
			if tx.Date.IsZero() || tx.Amount.Currency != a.Currency {
				t.Fatalf("account %s: transaction %+v", a.Key, tx)
			}
		}
	}
}

// addSeeds adds the statement files of testdata/dir and extra inputs.
func addSeeds(f *testing.F, dir string, extra ...string) {
	for _, path := range statementFiles(f, dir) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, e := range extra {
		f.Add([]byte(e))
	}
}

func FuzzOFX(f *testing.F) {
	addSeeds(f, "ofx", "", "OFXHEADER:100\n<OFX></OFX>", ofxSGML(ofxTxnFile("<DTPOSTED>20260101\n<TRNAMT>1,5\n")),
		ofxXMLFile("<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR</CURDEF></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, OFX, data) })
}

func FuzzCamt(f *testing.F) {
	addSeeds(f, "camt", "", "<Document/>", camtDoc(camtEntry(`<Amt Ccy="EUR">1.00</Amt>`)),
		`<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, Camt, data) })
}

func FuzzMT940(f *testing.F) {
	addSeeds(f, "mt940", "", ":20:X\n:25:Y\n", mt940Doc(":61:2601010101RC1,00NTRFA//B\nC\n:86:020?00X?2\n0Y\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, MT940, data) })
}
