// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"os"
	"strings"
	"testing"
)

// camtDoc is a camt.053.001.08 document whose statement holds entries; the
// first entry starts on line 6.
func camtDoc(entries string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
<GrpHdr><MsgId>1</MsgId></GrpHdr>
<Stmt><Id>1</Id>
<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
` + entries + `</Stmt></BkToCstmrStmt></Document>
`
}

// camtEntry is one booked entry with the given amount element.
func camtEntry(amt string) string {
	return `<Ntry>` + amt + `<CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-01-02</Dt></BookgDt></Ntry>` + "\n"
}

func TestCamtErrors(t *testing.T) {
	good, err := os.ReadFile("testdata/camt/camt053-v02.xml")
	if err != nil {
		t.Fatal(err)
	}
	ok := camtEntry(`<Amt Ccy="EUR">1.00</Amt>`)
	const stmt = "Document/BkToCstmrStmt/Stmt[1]"
	checkErrors(t, Camt, []errorCase{
		{name: "empty", data: "", reason: "empty file"},
		{name: "garbage", data: "\x00\x01\x02\xff\xfe garbage", reason: "text outside the root element"},
		{name: "text", data: "Date;Amount\n2026-01-01;1,00\n", reason: "text outside the root element"},
		{name: "truncated", data: string(good[:len(good)*2/3]), reason: "(truncated file?)"},
		{name: "doctype", data: `<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Document>&xxe;</Document>`, line: 1, reason: "a DTD or markup declaration (<!DOCTYPE) is refused"},
		{name: "entity declaration", data: `<Document><!ENTITY a "b"></Document>`, reason: "(<!ENTITY) is refused"},
		{name: "undeclared entity", data: camtDoc(camtEntry(`<Amt Ccy="EUR">&xxe;</Amt>`)), line: 6, reason: "entity &xxe; refused"},
		{name: "deep nesting", data: "<Document><BkToCstmrStmt><Stmt>" + strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100) + "</Stmt></BkToCstmrStmt></Document>", reason: "nested deeper than 64 levels"},
		{name: "too many attributes", data: "<Document" + attrs(40) + "/>", reason: "more than 32 attributes"},
		{name: "repeated attribute", data: `<Document a="1" a="2"/>`, reason: "attribute a repeated"},
		{name: "mismatched tags", data: camtDoc("<Ntry></Stmt>"), line: 6, reason: "end tag </Stmt> does not match <Ntry>"},
		{name: "second root", data: "<Document><BkToCstmrStmt></BkToCstmrStmt></Document><Document/>", reason: "second root element"},
		{name: "not camt", data: `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn/></Document>`, element: "Document", reason: "<CstmrCdtTrfInitn> is not a camt.053 statement"},
		{name: "camt.054", data: `<Document><BkToCstmrDbtCdtNtfctn/></Document>`, reason: "camt.054"},
		{name: "namespace mismatch", data: `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.08"><BkToCstmrStmt><Stmt><Acct><Id><IBAN>X</IBAN></Id><Ccy>EUR</Ccy></Acct></Stmt></BkToCstmrStmt></Document>`, reason: "namespace camt.052.001.08 does not match <BkToCstmrStmt>"},
		{name: "no statement", data: `<Document><BkToCstmrStmt><GrpHdr/></BkToCstmrStmt></Document>`, reason: "no statement (Stmt) or report (Rpt)"},
		{name: "no account", data: `<Document><BkToCstmrStmt><Stmt><Id>1</Id></Stmt></BkToCstmrStmt></Document>`, element: stmt, reason: "statement without an account"},
		{name: "account without id", data: `<Document><BkToCstmrStmt><Stmt><Acct><Ccy>EUR</Ccy></Acct></Stmt></BkToCstmrStmt></Document>`, element: stmt + "/Acct", reason: "without an identifier"},
		{name: "invalid date", data: camtDoc(ok + `<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-02-30</Dt></BookgDt></Ntry>`),
			line: 7, element: stmt + "/Ntry[2]/BookgDt/Dt", reason: `invalid date "2026-02-30"`},
		{name: "invalid date-time", data: camtDoc(`<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><DtTm>2026-02-03</DtTm></BookgDt></Ntry>`),
			element: stmt + "/Ntry[1]/BookgDt/DtTm", reason: `invalid date "2026-02-03"`},
		{name: "no booking date", data: camtDoc(`<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry>`), element: stmt + "/Ntry[1]", reason: "no date (BookgDt, or ValDt)"},
		{name: "opening balance currency", data: strings.Replace(camtDoc(""), "</Acct>", `</Acct><Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="USD">1</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-01-01</Dt></Dt></Bal>`, 1), element: stmt + "/Bal[1]/Amt", reason: "amount in USD, but the account's currency is EUR"},
		{name: "bad amount", data: camtDoc(ok + ok + camtEntry(`<Amt Ccy="EUR">12x</Amt>`)), line: 8, element: stmt + "/Ntry[3]/Amt", reason: `amount "12x" is not a decimal number`},
		{name: "decimal comma", data: camtDoc(camtEntry(`<Amt Ccy="EUR">12,50</Amt>`)), reason: "unsigned with a decimal point"},
		{name: "signed amount", data: camtDoc(camtEntry(`<Amt Ccy="EUR">-12.50</Amt>`)), reason: "unsigned with a decimal point"},
		{name: "too many decimals", data: camtDoc(camtEntry(`<Amt Ccy="EUR">12.505</Amt>`)), reason: "more decimals than EUR allows (2)"},
		{name: "currency contradiction", data: camtDoc(ok + camtEntry(`<Amt Ccy="USD">1.00</Amt>`)), line: 7, element: stmt + "/Ntry[2]/Amt", reason: "amount in USD, but the account's currency is EUR (from Acct/Ccy)"},
		{name: "no currency", data: camtDoc(camtEntry(`<Amt>1.00</Amt>`)), reason: "without a currency (Ccy attribute)"},
		{name: "no amount", data: camtDoc(camtEntry(``)), element: stmt + "/Ntry[1]", reason: "no amount (Amt)"},
		{name: "bad indicator", data: camtDoc(strings.Replace(ok, "DBIT", "DEBIT", 1)), element: stmt + "/Ntry[1]/CdtDbtInd", reason: `"DEBIT" is neither CRDT nor DBIT`},
		{name: "no status", data: camtDoc(strings.Replace(ok, "<Sts><Cd>BOOK</Cd></Sts>", "", 1)), reason: "without a status (Sts)"},
		{name: "bad balance", data: strings.Replace(camtDoc(""), "</Acct>", `</Acct><Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1</Amt><CdtDbtInd>CRDT</CdtDbtInd></Bal>`, 1), element: stmt + "/Bal[1]", reason: "no date (Dt)"},
		{name: "two currencies, one account", data: strings.Replace(camtDoc(""), "</Stmt>", `</Stmt><Stmt><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>USD</Ccy></Acct></Stmt>`, 1),
			element: "Document/BkToCstmrStmt/Stmt[2]", reason: "is in EUR in one statement and USD in another"},
		{name: "camt.052 path", data: strings.NewReplacer("BkToCstmrStmt", "BkToCstmrAcctRpt", "<Stmt>", "<Rpt>", "</Stmt>", "</Rpt>", "camt.053", "camt.052").Replace(camtDoc(ok + camtEntry(`<Amt Ccy="EUR">1.001</Amt>`))),
			line: 7, element: "Document/BkToCstmrAcctRpt/Rpt[1]/Ntry[2]/Amt", reason: "more decimals than EUR allows"},
		{name: "unknown charset", data: `<?xml version="1.0" encoding="EBCDIC-XX"?><Document/>`, reason: "unsupported character set"},
	})
}

func attrs(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(" a")
		b.WriteString(strings.Repeat("x", i))
		b.WriteString(`="1"`)
	}
	return b.String()
}

// TestCamtSkipsUnbookedAndReadsDateTimes checks PDNG/INFO entries are not
// transactions and a DtTm gives its date as written.
func TestCamtSkipsUnbookedAndReadsDateTimes(t *testing.T) {
	doc := camtDoc(`<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>PDNG</Sts><BookgDt><Dt>bad</Dt></BookgDt></Ntry>
<Ntry><Amt Ccy="EUR">2.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><DtTm>2026-01-31T23:30:00-05:00</DtTm></BookgDt><AddtlNtryInf>late &amp; west</AddtlNtryInf></Ntry>
`)
	r, err := Parse([]byte(doc), Options{})
	if err != nil {
		t.Fatal(err)
	}
	txs := r.Accounts[0].Transactions
	if len(txs) != 1 || txs[0].Date.String() != "2026-01-31" || txs[0].Amount.Minor != 200 || txs[0].Wording != "late & west" {
		t.Fatalf("transactions %+v", txs)
	}
}

// TestCamtLenientForms reads what the schema allows and banks write: the
// .01 message names, an entry dated by ValDt alone, a currency given only
// by an opening balance.
func TestCamtLenientForms(t *testing.T) {
	v01 := `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.01"><BkToCstmrAcctRptV01><Rpt><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="RON">5442.09000</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><DtTm>2025-07-23T00:00:00.000000000</DtTm></Dt></Bal>
<Ntry><Amt Ccy="RON">1.5</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><ValDt><Dt>2025-07-23</Dt></ValDt></Ntry></Rpt></BkToCstmrAcctRptV01></Document>`
	r, err := Parse([]byte(v01), Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := r.Accounts[0]
	if r.Dialect != "camt.052.001.01" || a.Currency != "RON" || a.Balance != nil || len(a.Transactions) != 1 ||
		a.Transactions[0].Date.String() != "2025-07-23" || a.Transactions[0].Amount.Minor != -150 {
		t.Errorf("result %s %+v", r.Dialect, a)
	}
}
