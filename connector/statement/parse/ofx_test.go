// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"os"
	"strings"
	"testing"
)

// ofxSGML wraps body (the inside of STMTRS) in an OFX 1.02 file whose
// header and envelope take lines 1–16, so body starts on line 17 (the
// STMTTRN of ofxTxnFile is on line 23).
func ofxSGML(body string) string {
	return "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n" +
		"<OFX>\n<BANKMSGSRSV1>\n<STMTTRNRS>\n<TRNUID>1\n<STMTRS>\n<CURDEF>EUR\n" + body +
		"</STMTRS>\n</STMTTRNRS>\n</BANKMSGSRSV1>\n</OFX>\n"
}

const ofxAcct = "<BANKACCTFROM>\n<BANKID>1\n<ACCTID>2\n<ACCTTYPE>CHECKING\n</BANKACCTFROM>\n"

func ofxTxnFile(fields string) string {
	return ofxAcct + "<BANKTRANLIST>\n<STMTTRN>\n" + fields + "</STMTTRN>\n</BANKTRANLIST>\n"
}

func ofxXMLFile(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>` + "\n" + body
}

func TestOFXErrors(t *testing.T) {
	good, err := os.ReadFile("testdata/ofx/sgml-bank-1252.ofx")
	if err != nil {
		t.Fatal(err)
	}
	checkErrors(t, OFX, []errorCase{
		{name: "empty", data: "", reason: "empty file"},
		{name: "blank", data: " \r\n ", reason: "empty file"},
		{name: "garbage", data: "\x00\x01\x02PK\x03\x04garbage", reason: "not an OFX file"},
		{name: "header only", data: "OFXHEADER:100\r\nDATA:OFXSGML\r\n", reason: "no <OFX> body"},
		{name: "truncated", data: string(good[:len(good)/2]), reason: "truncated file?"},
		{name: "truncated in a tag", data: string(good[:strings.Index(string(good), "<LEDGERBAL>")+4]), reason: "ends inside a tag"},
		{name: "wrong header", data: "OFXHEADER:200\n<OFX></OFX>", reason: "OFXHEADER:200"},
		{name: "bad header line", data: "OFXHEADER:100\nDATA OFXSGML\n<OFX></OFX>", line: 2, reason: "malformed OFX header"},
		{name: "unknown charset", data: "OFXHEADER:100\nCHARSET:EBCDIC\n<OFX></OFX>", reason: "unsupported character set"},
		{name: "no statement", data: "OFXHEADER:100\n\n<OFX>\n<SIGNONMSGSRSV1>\n</SIGNONMSGSRSV1>\n</OFX>\n", reason: "no bank (STMTRS) or credit card (CCSTMTRS) statement"},
		{name: "not OFX root", data: "OFXHEADER:100\n\n<HTML>\n</HTML>\n", reason: "does not start with <OFX>"},
		{name: "invalid date", data: ofxSGML(ofxTxnFile("<DTPOSTED>20261301\n<TRNAMT>1.00\n")), line: 24, reason: `invalid date "20261301"`},
		{name: "invalid time", data: ofxSGML(ofxTxnFile("<DTPOSTED>20260101253\n<TRNAMT>1.00\n")), line: 24, reason: "invalid date"},
		{name: "invalid zone", data: ofxSGML(ofxTxnFile("<DTPOSTED>20260101120000[EST]\n<TRNAMT>1.00\n")), line: 24, reason: "invalid date"},
		{name: "no date", data: ofxSGML(ofxTxnFile("<TRNAMT>1.00\n")), line: 23, reason: "without a date (DTPOSTED)"},
		{name: "no amount", data: ofxSGML(ofxTxnFile("<DTPOSTED>20260101\n")), line: 23, reason: "without an amount (TRNAMT)"},
		{name: "bad amount", data: ofxSGML(ofxTxnFile("<DTPOSTED>20260101\n<TRNAMT>12.3.4\n")), line: 25, reason: `amount "12.3.4" is not a decimal number`},
		{name: "too many decimals", data: ofxSGML(ofxTxnFile("<DTPOSTED>20260101\n<TRNAMT>-12.505\n")), line: 25, reason: "more decimals than EUR allows (2): refused, not rounded"},
		{name: "currency contradiction", data: ofxSGML(ofxTxnFile("<DTPOSTED>20260101\n<TRNAMT>-12.50\n<CURRENCY>\n<CURRATE>1.1\n<CURSYM>USD\n</CURRENCY>\n")), line: 28, reason: "amount is in USD (CURRENCY/CURSYM) but the statement's currency is EUR"},
		{name: "bad balance", data: ofxSGML(ofxAcct + "<LEDGERBAL>\n<BALAMT>1,2,3\n<DTASOF>20260101\n</LEDGERBAL>\n"), line: 23, reason: "not a decimal number"},
		{name: "no account", data: ofxSGML("<BANKTRANLIST>\n</BANKTRANLIST>\n"), line: 15, reason: "without an account number (BANKACCTFROM/ACCTID)"},
		{name: "bad currency", data: strings.Replace(ofxSGML(ofxAcct), "<CURDEF>EUR", "<CURDEF>EURO", 1), line: 16, reason: `invalid currency CURDEF "EURO"`},
		{name: "signon error", data: "OFXHEADER:100\n\n<OFX>\n<SIGNONMSGSRSV1>\n<SONRS>\n<STATUS>\n<CODE>15500\n<SEVERITY>ERROR\n<MESSAGE>Signon invalid\n</STATUS>\n</SONRS>\n</SIGNONMSGSRSV1>\n</OFX>\n",
			line: 6, reason: "the bank reported an error in SONRS: code 15500: Signon invalid"},
		{name: "statement error", data: strings.Replace(ofxSGML(ofxAcct), "<TRNUID>1\n", "<TRNUID>1\n<STATUS>\n<CODE>2000\n<SEVERITY>ERROR\n</STATUS>\n", 1), reason: "error in STMTTRNRS: code 2000: (no message)"},
		{name: "two currencies, one account", data: strings.Replace(ofxSGML(ofxAcct), "</STMTTRNRS>", "</STMTTRNRS>\n<STMTTRNRS>\n<STMTRS>\n<CURDEF>USD\n"+ofxAcct+"</STMTRS>\n</STMTTRNRS>", 1),
			reason: "account 1 2 is in EUR in one statement and USD in another"},
		{name: "doctype in sgml", data: "OFXHEADER:100\n\n<!DOCTYPE OFX SYSTEM \"file:///etc/passwd\">\n<OFX></OFX>", line: 3, reason: "markup declaration <!DOCTYPE refused"},
		{name: "xml doctype", data: `<?xml version="1.0"?><!DOCTYPE OFX [<!ENTITY x SYSTEM "file:///etc/passwd">]><?OFX OFXHEADER="200" VERSION="220"?><OFX>&x;</OFX>`, reason: "DTD or markup declaration (<!DOCTYPE) is refused"},
		{name: "xml entity", data: ofxXMLFile("<OFX><SIGNONMSGSRSV1>&xxe;</SIGNONMSGSRSV1></OFX>"), line: 3, reason: "entity &xxe; refused"},
		// Malformed XML is read again with the SGML rules (banks write SGML bodies under XML headers).
		{name: "xml mismatch", data: ofxXMLFile("<OFX><BANKMSGSRSV1></OFX>"), reason: "no bank (STMTRS) or credit card (CCSTMTRS) statement"},
		{name: "xml truncated", data: ofxXMLFile("<OFX><BANKMSGSRSV1><STMTTRNRS>"), reason: "the file ends inside <STMTTRNRS> before </OFX> (truncated file?)"},
		{name: "xml entity in an sgml body", data: ofxXMLFile("<OFX><CODE>0\n<SEVERITY>&xxe;</OFX>"), line: 4, reason: "entity &xxe; refused"},
		{name: "empty currency", data: strings.Replace(ofxSGML(ofxTxnFile("<DTPOSTED>20260101\n<TRNAMT>1\n")), "<CURDEF>EUR", "<CURDEF>", 1), line: 23, reason: "a transaction without a currency: the statement's CURDEF is missing, empty"},
		{name: "investment only", data: "OFXHEADER:100\n\n<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><INVSTMTRS><CURDEF>USD<INVTRANLIST><INVBANKTRAN><STMTTRN><TRNTYPE>DEP<DTPOSTED>20120731<TRNAMT>0.24</STMTTRN></INVBANKTRAN></INVTRANLIST></INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1></OFX>",
			reason: "only investment statements (INVSTMTRS) in the file: they are not imported"},
		{name: "stray transaction", data: "OFXHEADER:100\n\n<OFX><STMTTRN><TRNAMT>1</STMTTRN></OFX>", line: 3, reason: "<STMTTRN> outside a statement"},
		{name: "second OFX", data: "OFXHEADER:100\n\n<OFX>\n<OFX></OFX>", line: 4, reason: "a second <OFX> element"},
		{name: "xml wrong header", data: `<?OFX OFXHEADER="100" VERSION="220"?><OFX></OFX>`, reason: `OFXHEADER="100"`},
		{name: "xml bad amount", data: ofxXMLFile("<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR</CURDEF><BANKACCTFROM><ACCTID>1</ACCTID></BANKACCTFROM><BANKTRANLIST>\n<STMTTRN><DTPOSTED>20260101</DTPOSTED></STMTTRN>\n<STMTTRN><DTPOSTED>20260101</DTPOSTED>\n<TRNAMT>x</TRNAMT></STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"),
			line: 4, element: "OFX/BANKMSGSRSV1/STMTTRNRS[1]/STMTRS/BANKTRANLIST/STMTTRN[1]", reason: "without an amount"},
		{name: "xml bad amount second", data: ofxXMLFile("<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR</CURDEF><BANKACCTFROM><ACCTID>1</ACCTID></BANKACCTFROM><BANKTRANLIST>\n<STMTTRN><DTPOSTED>20260101</DTPOSTED><TRNAMT>1</TRNAMT></STMTTRN>\n<STMTTRN><DTPOSTED>20260101</DTPOSTED>\n<TRNAMT>x</TRNAMT></STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"),
			line: 6, element: "OFX/BANKMSGSRSV1/STMTTRNRS[1]/STMTRS/BANKTRANLIST/STMTTRN[2]/TRNAMT", reason: `amount "x" is not a decimal number`},
	})
}

// TestOFXSGMLRecoversStructure pins the SGML rules: empty known leaves,
// leaves with end tags, aggregates left open and closed by their parent.
func TestOFXSGMLRecoversStructure(t *testing.T) {
	data := ofxSGML(ofxAcct + "<BANKTRANLIST>\n" +
		"<STMTTRN><DTPOSTED>20260101<TRNAMT>1<FITID>a<NAME><MEMO>memo only\n" +
		"<STMTTRN><DTPOSTED>20260102<TRNAMT>2<FITID>b<NAME>n</NAME><MEMO>m</MEMO><INTU.X>\n" +
		"<STMTTRN><DTPOSTED>20260103<TRNAMT>3<FITID>c<TRNTYPE>FEE\n" +
		"<LEDGERBAL><BALAMT>6<DTASOF>20260103\n")
	r, err := Parse([]byte(data), Options{Format: OFX})
	if err != nil {
		t.Fatal(err)
	}
	a := r.Accounts[0]
	if len(a.Transactions) != 3 || a.Balance == nil || a.Balance.Minor != 600 {
		t.Fatalf("account %+v", a)
	}
	for i, want := range []string{"memo only", "n", "FEE"} {
		if got := a.Transactions[i].Wording; got != want {
			t.Errorf("transaction %d wording %q; want %q", i, got, want)
		}
	}
	if a.Transactions[1].Text != "m" {
		t.Errorf("text %q", a.Transactions[1].Text)
	}
}

func TestOFXDate(t *testing.T) {
	for _, v := range []string{"20260131", "202601311200", "20260131120000", "20260131120000.000", "20260131120000.000[-5:EST]", "20260131120000[+5.30:IST]", "20260131[0:GMT]", "20260131120000[-5]"} {
		if d, ok := ofxDate(v); !ok || d.String() != "2026-01-31" {
			t.Errorf("ofxDate(%q) = %v, %v", v, d, ok)
		}
	}
	for _, v := range []string{"", "2026013", "20260230", "2026013112", "20260131.5", "20260131120000.", "20260131[", "20260131[x]", "20260131120000[-5:E-T]"} {
		if d, ok := ofxDate(v); ok {
			t.Errorf("ofxDate(%q) = %v; want refused", v, d)
		}
	}
}

// TestOFXWithoutHeader reads bodies exported without any header, SGML or
// XML alike.
func TestOFXWithoutHeader(t *testing.T) {
	sgml := ofxSGML(ofxTxnFile("<DTPOSTED>20260101\n<TRNAMT>-1.5\n<NAME>x\n"))
	xml := ofxXMLFile("<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR</CURDEF><BANKACCTFROM><ACCTID>1</ACCTID></BANKACCTFROM><BANKTRANLIST><STMTTRN><DTPOSTED>20260101</DTPOSTED><TRNAMT>-1.5</TRNAMT><NAME>x</NAME></STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>")
	for _, body := range []string{sgml[strings.Index(sgml, "<OFX>"):], xml[strings.Index(xml, "<OFX>"):]} {
		r, err := Parse([]byte(body), Options{})
		if err != nil {
			t.Fatalf("%v\n%s", err, body)
		}
		if r.Format != OFX || r.Dialect != "ofx sgml, no header" || r.Transactions() != 1 || r.Accounts[0].Transactions[0].Amount.Minor != -150 {
			t.Errorf("result %+v", r)
		}
	}
}

func TestOFXAccountIDThatIsAnIBAN(t *testing.T) {
	data := strings.Replace(ofxSGML(ofxAcct), "<ACCTID>2", "<ACCTID>FR76 3000 6000 0112 3456 7890 189", 1)
	r, err := Parse([]byte(data), Options{Format: OFX})
	if err != nil {
		t.Fatal(err)
	}
	if a := r.Accounts[0]; a.Key != "FR7630006000011234567890189" || a.IBAN != a.Key || a.BankID != "1" {
		t.Errorf("account %+v", a)
	}
}

// TestOFXEmptyCurrencyGiven reads a statement whose CURDEF is empty in the
// currency the caller names.
func TestOFXEmptyCurrencyGiven(t *testing.T) {
	data := strings.Replace(ofxSGML(ofxTxnFile("<DTPOSTED>20260101\n<TRNAMT>1.5\n")), "<CURDEF>EUR", "<CURDEF></CURDEF>", 1)
	r, err := Parse([]byte(data), Options{Format: OFX, Currency: "AUD"})
	if err != nil {
		t.Fatal(err)
	}
	if a := r.Accounts[0]; a.Currency != "AUD" || a.Transactions[0].Amount.Minor != 150 || a.Transactions[0].Amount.Currency != "AUD" {
		t.Errorf("account %+v", a)
	}
}
