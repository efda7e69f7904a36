// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"bytes"
	"fmt"
	"testing"
)

// The target: parsing alone reads ≥ 50 MB/s for OFX and camt. Each
// benchmark parses a generated 10,000-transaction file and reports MB/s
// (wall clock), and cpu-MB/s: bytes per second of CPU time the process
// spent (GC included), which stays meaningful on a machine shared with
// other work, where wall-clock MB/s mostly measures the contention.

const benchTransactions = 10_000

func benchOFXSGML() []byte {
	var b bytes.Buffer
	b.WriteString("OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\nCHARSET:1252\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n")
	b.WriteString("<OFX>\r\n<SIGNONMSGSRSV1>\r\n<SONRS>\r\n<STATUS>\r\n<CODE>0\r\n<SEVERITY>INFO\r\n</STATUS>\r\n<DTSERVER>20260131\r\n<LANGUAGE>ENG\r\n</SONRS>\r\n</SIGNONMSGSRSV1>\r\n")
	b.WriteString("<BANKMSGSRSV1>\r\n<STMTTRNRS>\r\n<TRNUID>1\r\n<STATUS>\r\n<CODE>0\r\n<SEVERITY>INFO\r\n</STATUS>\r\n<STMTRS>\r\n<CURDEF>USD\r\n")
	b.WriteString("<BANKACCTFROM>\r\n<BANKID>121099999\r\n<ACCTID>999988\r\n<ACCTTYPE>CHECKING\r\n</BANKACCTFROM>\r\n<BANKTRANLIST>\r\n<DTSTART>20260101\r\n<DTEND>20260131\r\n")
	for i := 0; i < benchTransactions; i++ {
		fmt.Fprintf(&b, "<STMTTRN>\r\n<TRNTYPE>DEBIT\r\n<DTPOSTED>202601%02d120000.000[-5:EST]\r\n<DTUSER>202601%02d\r\n<TRNAMT>-%d.%02d\r\n<FITID>2026%08d\r\n<NAME>Merchant number %d\r\n<MEMO>Card payment reference %d at a shop\r\n</STMTTRN>\r\n",
			i%28+1, i%28+1, i%500, i%100, i, i%977, i)
	}
	b.WriteString("</BANKTRANLIST>\r\n<LEDGERBAL>\r\n<BALAMT>1000.00\r\n<DTASOF>20260131\r\n</LEDGERBAL>\r\n</STMTRS>\r\n</STMTTRNRS>\r\n</BANKMSGSRSV1>\r\n</OFX>\r\n")
	return b.Bytes()
}

func benchOFXXML() []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>` + "\n")
	b.WriteString("<OFX><CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1</TRNUID><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS><CCSTMTRS><CURDEF>EUR</CURDEF><CCACCTFROM><ACCTID>4111111111111111</ACCTID></CCACCTFROM><BANKTRANLIST><DTSTART>20260101</DTSTART><DTEND>20260131</DTEND>\n")
	for i := 0; i < benchTransactions; i++ {
		fmt.Fprintf(&b, "  <STMTTRN>\n    <TRNTYPE>DEBIT</TRNTYPE>\n    <DTPOSTED>202601%02d</DTPOSTED>\n    <TRNAMT>-%d.%02d</TRNAMT>\n    <FITID>CC%08d</FITID>\n    <NAME>Merchant &amp; number %d</NAME>\n    <MEMO>Card payment reference %d</MEMO>\n  </STMTTRN>\n",
			i%28+1, i%500, i%100, i, i%977, i)
	}
	b.WriteString("</BANKTRANLIST><LEDGERBAL><BALAMT>-1000.00</BALAMT><DTASOF>20260131</DTASOF></LEDGERBAL></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>\n")
	return b.Bytes()
}

func benchCamt() []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2026-02-01T06:00:00+01:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>BENCH-1</Id>
      <CreDtTm>2026-02-01T06:00:00+01:00</CreDtTm>
      <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-01-31</Dt></Dt></Bal>
`)
	for i := 0; i < benchTransactions; i++ {
		fmt.Fprintf(&b, `      <Ntry>
        <NtryRef>%d</NtryRef>
        <Amt Ccy="EUR">%d.%02d</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-01-%02d</Dt></BookgDt>
        <ValDt><Dt>2026-01-%02d</Dt></ValDt>
        <AcctSvcrRef>REF%08d</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>E2E%d</EndToEndId></Refs>
            <RltdPties>
              <Cdtr><Pty><Nm>Creditor number %d GmbH</Nm></Pty></Cdtr>
              <CdtrAcct><Id><IBAN>DE02120300000000202051</IBAN></Id></CdtrAcct>
            </RltdPties>
            <RmtInf><Ustrd>Invoice %d, thank you</Ustrd></RmtInf>
          </TxDtls>
        </NtryDtls>
        <AddtlNtryInf>SEPA Credit Transfer</AddtlNtryInf>
      </Ntry>
`, i, i%500, i%100, i%28+1, i%28+1, i, i, i%977, i)
	}
	b.WriteString("    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n")
	return b.Bytes()
}

func benchMT940() []byte {
	var b bytes.Buffer
	b.WriteString(":20:STARTUMSE\r\n:25:10020030/1234567\r\n:28C:00001/001\r\n:60F:C251230EUR2187,95\r\n")
	for i := 0; i < benchTransactions; i++ {
		fmt.Fprintf(&b, ":61:2601%02d01%02dDR%d,%02dNTRFNONREF//B%08d\r\n:86:166?00GUTSCHRIFT?109248?20EREF+E2E%d?21SVWZ+Rechnung %d vom 01.01.?22Vielen Dank?30HELADEF1822?31DE02500105170137075030?32Firma %d GmbH\r\n",
			i%28+1, i%28+1, i%500, i%100, i, i, i, i%977)
	}
	b.WriteString(":62F:C260131EUR1000,00\r\n-\r\n")
	return b.Bytes()
}

func benchParse(b *testing.B, format Format, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu0 := processCPUSeconds()
	for b.Loop() {
		r, err := Parse(data, Options{Format: format})
		if err != nil {
			b.Fatal(err)
		}
		if n := r.Transactions(); n != benchTransactions {
			b.Fatalf("%d transactions", n)
		}
	}
	if cpu := processCPUSeconds() - cpu0; cpu > 0 {
		b.ReportMetric(float64(len(data))*float64(b.N)/cpu/1e6, "cpu-MB/s")
	}
}

func BenchmarkParseOFXSGML(b *testing.B) { benchParse(b, OFX, benchOFXSGML()) }
func BenchmarkParseOFXXML(b *testing.B)  { benchParse(b, OFX, benchOFXXML()) }
func BenchmarkParseCamt(b *testing.B)    { benchParse(b, Camt, benchCamt()) }
func BenchmarkParseMT940(b *testing.B)   { benchParse(b, MT940, benchMT940()) }
