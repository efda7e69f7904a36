// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"fmt"
	"strings"
	"time"
)

// genTx is one generated transaction: a day of 2025, an amount in cents
// (negative = money out) and a label.
type genTx struct {
	day    time.Time
	cents  int64
	label  string
	serial int
}

// genTransactions returns n deterministic transactions spread over 2025,
// in date order: mostly card payments and direct debits, a salary a month.
func genTransactions(n int) []genTx {
	labels := []string{"CARTE CARREFOUR MARKET", "PRLV SEPA EDF", "CARTE BOULANGERIE PAUL", "VIR SEPA LOYER",
		"CARTE SNCF", "PRLV FREE MOBILE", "CARTE PHARMACIE DU CENTRE", "RETRAIT DAB"}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]genTx, n)
	seed := uint64(42)
	for i := range out {
		seed = seed*6364136223846793005 + 1442695040888963407
		day := start.AddDate(0, 0, i*365/n)
		cents := -int64(100 + seed>>33%20000)
		label := labels[seed>>40%uint64(len(labels))]
		if i%300 == 0 {
			cents, label = 250000, "VIR SEPA SALAIRE ACME"
		}
		out[i] = genTx{day: day, cents: cents, label: fmt.Sprintf("%s %d", label, i%97), serial: i}
	}
	return out
}

func sumCents(txs []genTx) int64 {
	var s int64
	for _, t := range txs {
		s += t.cents
	}
	return s
}

// decimal writes cents as "-12.34" (sep ".") or "-12,34".
func decimal(cents int64, sep string) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d%s%02d", sign, cents/100, sep, cents%100)
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// genOFX writes an OFX 1.02 SGML bank statement (OFX 1.0.3 §11.4).
func genOFX(txs []genTx) []byte {
	var b strings.Builder
	b.WriteString("OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\nCHARSET:1252\r\n" +
		"COMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n<OFX>\r\n<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>" +
		"<DTSERVER>20260101120000<LANGUAGE>FRA</SONRS></SIGNONMSGSRSV1>\r\n<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>\r\n" +
		"<STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>30004<BRANCHID>00001<ACCTID>00012345678<ACCTTYPE>CHECKING</BANKACCTFROM>\r\n" +
		"<BANKTRANLIST><DTSTART>20250101<DTEND>20251231\r\n")
	for _, t := range txs {
		typ := "DEBIT"
		if t.cents > 0 {
			typ = "CREDIT"
		}
		fmt.Fprintf(&b, "<STMTTRN><TRNTYPE>%s<DTPOSTED>%s<TRNAMT>%s<FITID>F%08d<NAME>%s</STMTTRN>\r\n",
			typ, t.day.Format("20060102"), decimal(t.cents, "."), t.serial, t.label)
	}
	fmt.Fprintf(&b, "</BANKTRANLIST><LEDGERBAL><BALAMT>%s<DTASOF>20251231</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\r\n",
		decimal(sumCents(txs), "."))
	return []byte(b.String())
}

// genCamt writes a camt.053.001.02 statement (ISO 20022).
func genCamt(txs []genTx) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">` +
		`<BkToCstmrStmt><GrpHdr><MsgId>BENCH1</MsgId><CreDtTm>2026-01-01T12:00:00</CreDtTm></GrpHdr>` +
		`<Stmt><Id>STMT2025</Id><CreDtTm>2026-01-01T12:00:00</CreDtTm><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>` + "\n")
	bal := sumCents(txs)
	ind := "CRDT"
	if bal < 0 {
		ind = "DBIT"
	}
	fmt.Fprintf(&b, `<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">%s</Amt><CdtDbtInd>%s</CdtDbtInd><Dt><Dt>2025-12-31</Dt></Dt></Bal>`+"\n",
		decimal(abs(bal), "."), ind)
	for _, t := range txs {
		ind := "DBIT"
		if t.cents > 0 {
			ind = "CRDT"
		}
		d := t.day.Format("2006-01-02")
		fmt.Fprintf(&b, `<Ntry><Amt Ccy="EUR">%s</Amt><CdtDbtInd>%s</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>%s</Dt></BookgDt>`+
			`<ValDt><Dt>%s</Dt></ValDt><AcctSvcrRef>R%08d</AcctSvcrRef><BkTxCd/><NtryDtls><TxDtls><RmtInf><Ustrd>%s</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`+"\n",
			decimal(abs(t.cents), "."), ind, d, d, t.serial, t.label)
	}
	b.WriteString("</Stmt></BkToCstmrStmt></Document>\n")
	return []byte(b.String())
}

// genMT940 writes one MT940 statement (SWIFT Category 9).
func genMT940(txs []genTx) []byte {
	var b strings.Builder
	mark := func(c int64) string {
		if c < 0 {
			return "D"
		}
		return "C"
	}
	bal := sumCents(txs)
	b.WriteString(":20:BENCH2025\r\n:25:FR7630006000011234567890189\r\n:28C:1/1\r\n:60F:C241231EUR0,00\r\n")
	for _, t := range txs {
		fmt.Fprintf(&b, ":61:%s%s%s%sNTRFNONREF//B%08d\r\n:86:%s\r\n", t.day.Format("060102"), t.day.Format("0102"),
			mark(t.cents), decimal(abs(t.cents), ","), t.serial, t.label)
	}
	fmt.Fprintf(&b, ":62F:%s251231EUR%s\r\n-\r\n", mark(bal), decimal(abs(bal), ","))
	return []byte(b.String())
}

// genQIF writes a QIF bank account (day/month/year dates).
func genQIF(txs []genTx) []byte {
	var b strings.Builder
	b.WriteString("!Type:Bank\n")
	for _, t := range txs {
		fmt.Fprintf(&b, "D%s\nT%s\nP%s\n^\n", t.day.Format("02/01/2006"), decimal(t.cents, "."), t.label)
	}
	return []byte(b.String())
}

// genCSV writes a French bank's CSV export (;, decimal comma).
func genCSV(txs []genTx) []byte {
	var b strings.Builder
	b.WriteString("Date;Libellé;Montant\n")
	for _, t := range txs {
		fmt.Fprintf(&b, "%s;%s;%s\n", t.day.Format("02/01/2006"), t.label, decimal(t.cents, ","))
	}
	return []byte(b.String())
}
