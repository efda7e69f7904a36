// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iswigo/iswigo"
)

// mappingNeeded is the mapping testdata/csv/mapping-needed.csv needs.
var mappingNeeded = Options{CSV: CSVMapping{DateCol: "Jour", AmountCol: "somme", WordingCols: []string{"Operation", "4"}, DateFormat: "DD/MM/YYYY"}}

func TestCSVGolden(t *testing.T) {
	for _, tc := range []struct {
		file string
		opt  Options
	}{
		{"csv/boursorama-like-fr.csv", Options{}},
		{"csv/deutsche-sparkasse-like.csv", Options{}},
		{"csv/us-chase-like.csv", Options{Currency: "USD"}},
		{"csv/utf16-bom.csv", Options{}},
		{"csv/debit-credit-columns.csv", Options{}},
		{"csv/mapping-needed.csv", mappingNeeded},
	} {
		t.Run(tc.file, func(t *testing.T) { goldenQIFCSV(t, tc.file, tc.opt) })
	}
}

// TestCSVFacts pins, beside the golden files, what each dialect must get
// right.
func TestCSVFacts(t *testing.T) {
	eur := func(minor int64) iswigo.Money { return iswigo.Money{Minor: minor, Currency: "EUR"} }

	res := goldenQIFCSV(t, "csv/boursorama-like-fr.csv", Options{})
	a := res.Accounts[0]
	if res.Dialect != "csv ; decimal comma" || a.Currency != "EUR" || len(a.Transactions) != 4 {
		t.Fatalf("fr: %s %+v", res.Dialect, a)
	}
	if a.Balance == nil || *a.Balance != eur(123456) || a.BalanceDate != iswigo.NewDate(2026, 1, 31) {
		t.Errorf("fr balance (newest first): %v %v", a.Balance, a.BalanceDate)
	}
	if tx := a.Transactions[1]; tx.Wording != "CARTE 29/01 CAFÉ DU COIN" || tx.ValueDate != iswigo.NewDate(2026, 1, 29) || tx.Amount != eur(-350) {
		t.Errorf("fr row (Windows-1252, value date): %+v", tx)
	}
	if tx := a.Transactions[2]; tx.Wording != `VIR SEPA REÇU "SALAIRE" JANVIER` || tx.Amount != eur(250000) {
		t.Errorf("fr row (doubled quotes, space thousands): %+v", tx)
	}

	res = goldenQIFCSV(t, "csv/deutsche-sparkasse-like.csv", Options{})
	a = res.Accounts[0]
	if len(a.Transactions) != 4 || a.Balance == nil || *a.Balance != eur(152340) || a.BalanceDate != iswigo.NewDate(2026, 1, 31) {
		t.Fatalf("de: preamble and summary lines are skipped, their closing balance kept: %+v", a)
	}
	if tx := a.Transactions[0]; tx.Date != iswigo.NewDate(2026, 1, 2) || tx.Amount != eur(-8400) || tx.Wording != "Stadtwerke München GmbH" || tx.Text != "LASTSCHRIFT Abschlag Strom Januar" {
		t.Errorf("de row (S mark): %+v", tx)
	}
	if tx := a.Transactions[1]; tx.Amount != eur(320000) || tx.Text != "GUTSCHRIFT Gehalt Januar Personalnr. 4711" {
		t.Errorf("de row (H mark, newline in quotes): %+v", tx)
	}
	if tx := a.Transactions[2]; tx.Wording != "KARTENZAHLUNG REWE Markt Berlin" || tx.ValueDate != iswigo.NewDate(2026, 1, 19) {
		t.Errorf("de row without payee: %+v", tx)
	}

	res = goldenQIFCSV(t, "csv/us-chase-like.csv", Options{Currency: "USD"})
	a = res.Accounts[0]
	usd := func(minor int64) iswigo.Money { return iswigo.Money{Minor: minor, Currency: "USD"} }
	if a.Balance == nil || *a.Balance != usd(421050) || a.Transactions[3].Amount != usd(-125000) || a.Transactions[2].CheckNumber != "1042" {
		t.Errorf("us: %+v", a)
	}
	if a.Transactions[0].Date != iswigo.NewDate(2026, 1, 30) {
		t.Errorf("us date: %v", a.Transactions[0].Date)
	}

	res = goldenQIFCSV(t, "csv/utf16-bom.csv", Options{})
	a = res.Accounts[0]
	if a.Currency != "GBP" || a.Transactions[0].ProviderID != "tx_0001" || a.Transactions[0].Wording != "Pret A Manger — London" || a.Transactions[1].Date != iswigo.NewDate(2026, 1, 4) {
		t.Errorf("utf-16: %+v", a)
	}

	res = goldenQIFCSV(t, "csv/debit-credit-columns.csv", Options{})
	a = res.Accounts[0]
	gbp := func(minor int64) iswigo.Money { return iswigo.Money{Minor: minor, Currency: "GBP"} }
	if a.Currency != "GBP" || a.Transactions[0].Amount != gbp(-1250) || a.Transactions[1].Amount != gbp(200000) || a.Transactions[2].Amount != gbp(-420) {
		t.Errorf("debit/credit: %+v", a.Transactions)
	}
	if a.Balance == nil || *a.Balance != gbp(298330) || a.BalanceDate != iswigo.NewDate(2026, 1, 9) {
		t.Errorf("debit/credit balance (oldest first): %v", a.Balance)
	}

	res = goldenQIFCSV(t, "csv/mapping-needed.csv", mappingNeeded)
	if tx := res.Accounts[0].Transactions[1]; tx.Wording != "Remboursement Marie déjeuner" || tx.Amount != eur(2500) {
		t.Errorf("mapping: %+v", tx)
	}
}

func TestCSVMappingNeeded(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "csv", "mapping-needed.csv"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse(data, Options{})
	var pe *Error
	if !errors.As(err, &pe) || pe.Format != CSV || pe.Line != 1 ||
		!strings.Contains(pe.Reason, `"Jour", "Opération", "Somme", "Remarque"`) || !strings.Contains(pe.Reason, "date_col") {
		t.Fatalf("no mapping: %v", err)
	}
	// By number, the header is skipped as a preamble line.
	res, err := Parse(data, Options{DateOrder: "dmy", CSV: CSVMapping{DateCol: "1", AmountCol: "3", WordingCols: []string{"2"}}})
	if err != nil || len(res.Accounts[0].Transactions) != 2 || res.Accounts[0].Transactions[0].Wording != "Boulangerie Paul" {
		t.Fatalf("mapping by number: %v %+v", err, res)
	}
	_, err = Parse(data, Options{CSV: CSVMapping{DateCol: "Jour", AmountCol: "Montant"}})
	if !errors.As(err, &pe) || !strings.Contains(pe.Reason, `"Montant"`) {
		t.Errorf("mapping naming an absent column: %v", err)
	}
}

func TestCSVHeaderless(t *testing.T) {
	in := "02/01/2026,Coffee,-3.50\n13/01/2026,Book,-12.00\n"
	res, err := Parse([]byte(in), Options{Format: CSV, CSV: CSVMapping{DateCol: "1", AmountCol: "3", WordingCols: []string{"2"}}})
	if err != nil {
		t.Fatal(err)
	}
	if txs := res.Accounts[0].Transactions; len(txs) != 2 || txs[0].Date != iswigo.NewDate(2026, 1, 2) || txs[1].Amount.Minor != -1200 {
		t.Errorf("headerless: %+v", txs)
	}
}

func TestCSVDialects(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		opt      Options
		date     iswigo.Date
		amount   int64
		currency string
	}{
		{"dd.mm.yyyy soll haben columns", "Buchungsdatum;Buchungstext;Soll;Haben\n03.01.2026;Miete;-750,00;\n", Options{}, iswigo.NewDate(2026, 1, 3), -75000, "EUR"},
		{"sign column", "Datum;Text;Betrag;Soll/Haben\n03.01.2026;Miete;750,00;S\n", Options{}, iswigo.NewDate(2026, 1, 3), -75000, "EUR"},
		{"debit credit words", "Date,Description,Amount,Debit/Credit\n2026-01-03,Rent,750.00,Debit\n", Options{}, iswigo.NewDate(2026, 1, 3), -75000, "EUR"},
		{"parentheses negative", "Date,Description,Amount\n2026-01-03,Rent,(750.00)\n", Options{}, iswigo.NewDate(2026, 1, 3), -75000, "EUR"},
		{"eur prefix", "Date,Description,Amount\n2026-01-03,Rent,EUR -750.00\n", Options{}, iswigo.NewDate(2026, 1, 3), -75000, "EUR"},
		{"euro suffix", "Date;Libellé;Montant\n03/01/2026;Loyer;-750,00 €\n", Options{DateOrder: "dmy"}, iswigo.NewDate(2026, 1, 3), -75000, "EUR"},
		{"trailing minus", "Buchungstag;Text;Betrag\n03.01.2026;Miete;750,00-\n", Options{}, iswigo.NewDate(2026, 1, 3), -75000, "EUR"},
		{"swiss apostrophe", "Date;Description;Amount (CHF)\n03.01.2026;Rent;-1'750.00\n", Options{}, iswigo.NewDate(2026, 1, 3), -175000, "CHF"},
		{"header currency", "Buchungstag;Verwendungszweck;Betrag (EUR)\n03.01.2026;Miete;-1.750,00\n", Options{}, iswigo.NewDate(2026, 1, 3), -175000, "EUR"},
		{"dd/mm/yy", "Date;Libellé;Montant\n03/01/26;Loyer;-750,00\n", Options{DateOrder: "dmy"}, iswigo.NewDate(2026, 1, 3), -75000, "EUR"},
		{"date_format", "Date;Libellé;Montant\n01/03/2026;Loyer;-750,00\n", Options{CSV: CSVMapping{DateFormat: "MM/DD/YYYY"}}, iswigo.NewDate(2026, 1, 3), -75000, "EUR"},
		{"named month fr", "Date;Libellé;Montant\n3 janv. 2026;Loyer;-750,00\n", Options{}, iswigo.NewDate(2026, 1, 3), -75000, "EUR"},
		{"named month en", "Date,Description,Amount\n\"Jan 3, 2026\",Rent,-750.00\n", Options{}, iswigo.NewDate(2026, 1, 3), -75000, "EUR"},
		{"forced delimiter and decimal", "Date|Description|Amount\n2026-01-03|Rent|-750\n", Options{CSV: CSVMapping{Delimiter: "|", Decimal: ","}}, iswigo.NewDate(2026, 1, 3), -75000, "EUR"},
		{"tab", "Date\tDescription\tAmount\n2026-01-03\tRent\t-750.5\n", Options{}, iswigo.NewDate(2026, 1, 3), -75050, "EUR"},
		{"JPY no decimals", "Date,Description,Amount,Currency\n2026-01-03,Ramen,\"-1,200\",JPY\n", Options{}, iswigo.NewDate(2026, 1, 3), -1200, "JPY"},
		{"nbsp thousands", "Date;Libellé;Montant\n03/01/2026;Loyer;-1\u00a0750,00\n", Options{DateOrder: "dmy"}, iswigo.NewDate(2026, 1, 3), -175000, "EUR"},
		{"dos end of file", "Date,Description,Amount\r\n2026-01-03,Rent,-750.00\r\n\x1a", Options{}, iswigo.NewDate(2026, 1, 3), -75000, "EUR"},
		{"bare cr lines", "Date,Description,Amount\r2026-01-03,Rent,-750.00\r", Options{}, iswigo.NewDate(2026, 1, 3), -75000, "EUR"},
		{"utf-16 be", "\xfe\xff\x00D\x00a\x00t\x00e\x00,\x00A\x00m\x00o\x00u\x00n\x00t\x00\n\x002\x000\x002\x006\x00-\x000\x001\x00-\x000\x003\x00,\x00-\x007\x005\x000\x00\n", Options{}, iswigo.NewDate(2026, 1, 3), -75000, "EUR"},
		{"latin-1 header", "Date;Libell\xe9;D\xe9bit;Cr\xe9dit\n13/01/2026;Loyer;750,00;\n", Options{}, iswigo.NewDate(2026, 1, 13), -75000, "EUR"},
		{"bank of america", "Description,,Summary Amt.\nBeginning balance as of 01/01/2026,,\"1,000.00\"\nEnding balance as of 01/31/2026,,\"1,250.00\"\n\nDate,Description,Amount,Running Bal.\n01/01/2026,Beginning balance as of 01/01/2026,,\"1,000.00\"\n01/15/2026,\"PAYROLL\",\"250.00\",\"1,250.00\"\n", Options{Currency: "USD"}, iswigo.NewDate(2026, 1, 15), 25000, "USD"},
		{"dkb", "\"Girokonto\";\"DE12 1203 0000 0000 0000 00\"\n\"\"\n\"Kontostand vom 31.01.2026:\";\"1.000,00 €\"\n\"\"\n\"Buchungsdatum\";\"Wertstellung\";\"Status\";\"Zahlungspflichtige*r\";\"Zahlungsempfänger*in\";\"Verwendungszweck\";\"Umsatztyp\";\"IBAN\";\"Betrag (€)\"\n\"30.01.26\";\"30.01.26\";\"Gebucht\";\"Max Mustermann\";\"REWE\";\"Einkauf\";\"Ausgang\";\"DE00\";\"-12,34\"\n", Options{}, iswigo.NewDate(2026, 1, 30), -1234, "EUR"},
		{"credit agricole", "Date;Libellé;Débit euros;Crédit euros;\n13/01/2026;PRLV;12,34;;\n", Options{}, iswigo.NewDate(2026, 1, 13), -1234, "EUR"},
		{"ing de", "Buchung;Valuta;Auftraggeber/Empfänger;Buchungstext;Verwendungszweck;Saldo;Währung;Betrag;Währung\n30.01.2026;30.01.2026;REWE;Lastschrift;Einkauf;1.000,00;EUR;-12,34;EUR\n", Options{}, iswigo.NewDate(2026, 1, 30), -1234, "EUR"},
		{"excel sep line and protected cells", "sep=,\nDate,Description,Amount\n=\"2026-01-03\",=\"Rent\",=\"-750.00\"\n", Options{}, iswigo.NewDate(2026, 1, 3), -75000, "EUR"},
		{"boursorama own header", "dateOp;dateVal;label;category;categoryParent;supplierFound;amount;comment;accountNum;accountLabel;accountbalance\n2026-01-30;2026-01-30;\"CARTE 29/01/26 MONOPRIX\";\"Alimentation\";\"Vie quotidienne\";\"monoprix\";-23,10;;00040000000;\"BoursoBank\";1234,56\n", Options{}, iswigo.NewDate(2026, 1, 30), -2310, "EUR"},
		{"accented header upper", "DATE OPÉRATION;LIBELLÉ;MONTANT\n03/01/2026;Loyer;-750,00\n", Options{DateOrder: "dmy"}, iswigo.NewDate(2026, 1, 3), -75000, "EUR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := tc.opt
			opt.Format = CSV
			res, err := Parse([]byte(tc.in), opt)
			if err != nil {
				t.Fatal(err)
			}
			a := res.Accounts[0]
			if len(a.Transactions) != 1 {
				t.Fatalf("transactions: %+v", a.Transactions)
			}
			tx := a.Transactions[0]
			if tx.Date != tc.date || tx.Amount != (iswigo.Money{Minor: tc.amount, Currency: tc.currency}) || a.Currency != tc.currency {
				t.Errorf("got %v %v in %s; want %v %d %s", tx.Date, tx.Amount, a.Currency, tc.date, tc.amount, tc.currency)
			}
		})
	}
}

func TestCSVErrors(t *testing.T) {
	for _, tc := range []parseErrorCase{
		{"empty", "", Options{}, 0, "empty file"},
		{"blank", "\r\n\r\n  ", Options{}, 0, "empty file"},
		{"binary", "Date,Amount\n\x00\x01\x02\x03PK\x03\x04", Options{}, 0, "binary"},
		{"no delimiter", "hello\nworld\n", Options{}, 1, "no delimiter"},
		{"bad delimiter option", "a;b\n", Options{CSV: CSVMapping{Delimiter: ":"}}, 1, "delimiter"},
		{"truncated quote", "Date;Libellé;Montant\n03/01/2026;\"Loyer\n", Options{}, 2, "quoted field not closed"},
		{"no header", "Tag;Text;Summe\n03.01.2026;Miete;-1\n", Options{}, 1, `no header row recognised (line 1: "Tag", "Text", "Summe")`},
		{"no amount column", "Date;Libellé;Valeur\n03/01/2026;Loyer;-1\n", Options{CSV: CSVMapping{DateCol: "Date"}}, 1, "no amount column"},
		{"debit without credit", "Date;Libellé;X\n03/01/2026;Loyer;-1\n", Options{CSV: CSVMapping{DateCol: "Date", DebitCol: "X"}}, 1, "debit_col and credit_col go together"},
		{"column number out of range", "Date;Libellé;X\n03/01/2026;Loyer;-1\n", Options{CSV: CSVMapping{DateCol: "1", AmountCol: "9"}}, 1, "no column 9"},
		{"invalid date", "Date;Libellé;Montant\n13/01/2026;A;-1\n31/02/2026;B;-2\n", Options{}, 3, `column 1 "Date": date "31/02/2026": no day 31 in February 2026`},
		{"not a date", "Date;Libellé;Montant\n13/01/2026;A;-1\n2026/99;B;-2\n13/01/2026;C;-1\n", Options{}, 3, `"2026/99" is not a date`},
		{"truncated last row", "Date;Libellé;Montant\n13/01/2026;A;-1\n13/0", Options{}, 3, "row has 1 fields, the header 3 (row cut short?)"},
		{"ambiguous dates", "Date;Libellé;Montant\n03/01/2026;A;-1\n04/01/2026;B;-1\n", Options{}, 2, "?date_order=dmy|mdy"},
		{"line after a quoted line break", "Date;Libellé;Montant\r\n13/01/2026;\"a\r\nb\rc\";-1\r\n14/01/2026;B;x\r\n", Options{}, 5, `amount "x"`},
		{"bad amount", "Date;Libellé;Montant\n13/01/2026;A;douze\n", Options{}, 2, `column 3 "Montant": amount "douze": not a number`},
		{"misgrouped amount", "Date;Libellé;Montant\n13/01/2026;A;-1,50\n14/01/2026;B;-1.234.5\n", Options{}, 3, "misplaced thousands separator"},
		{"too many decimals", "Date,Description,Amount\n2026-01-13,A,-1.50\n2026-01-14,B,-1.505\n", Options{}, 3, `"1.505" has 3 decimals, more than EUR allows (2)`},
		{"empty amount", "Date,Description,Amount\n2026-01-13,A,\n", Options{}, 2, "no amount"},
		{"neither debit nor credit", "Date,Description,Debit,Credit\n2026-01-13,A,,\n", Options{}, 2, `neither column 3 "Debit" nor column 4 "Credit" has an amount`},
		{"ragged extra field", "Date,Description,Amount\n2026-01-13,A,-1.50,oops\n", Options{}, 2, "row has 4 fields, the header 3"},
		{"ragged short row", "Date,Description,Amount,Balance\n2026-01-13,A,-1.50,10\n2026-01-14,B,-1.50\n", Options{}, 3, "row has 3 fields, the header 4"},
		{"mixed currencies", "Date,Description,Amount,Currency\n2026-01-13,A,-1.50,EUR\n2026-01-14,B,-2.50,USD\n", Options{}, 3, "mixed currencies in one file: EUR (line 2, column 4 \"Currency\") and USD (line 3"},
		{"mixed currency marks", "Date;Libellé;Montant\n13/01/2026;A;-1,50 €\n14/01/2026;B;-2,50 USD\n", Options{}, 3, "mixed currencies"},
		{"currency contradicts option", "Date,Description,Amount,Currency\n2026-01-13,A,-1.50,USD\n", Options{Currency: "EUR"}, 2, "the file is in USD (line 2, column 4 \"Currency\") but currency=EUR was given"},
		{"header currency contradicts option", "Buchungstag;Text;Betrag (EUR)\n13.01.2026;A;-1,50\n", Options{Currency: "CHF"}, 0, "the file is in EUR (the header of column 3 \"Betrag (EUR)\") but currency=CHF"},
		{"bad currency cell", "Date,Description,Amount,Currency\n2026-01-13,A,-1.50,euros\n", Options{}, 2, `"euros" is not an ISO 4217 currency code`},
		{"bad sign mark", "Datum;Text;Betrag;Soll/Haben\n03.01.2026;Miete;750,00;X\n", Options{}, 2, `"X" is no debit/credit mark`},
		{"bad date_format", "Date;Libellé;Montant\n13/01/2026;A;-1\n", Options{CSV: CSVMapping{DateFormat: "JJ/MM/AAAA"}}, 0, "date_format"},
		{"bad decimal option", "Date;Libellé;Montant\n13/01/2026;A;-1\n", Options{CSV: CSVMapping{Decimal: "x"}}, 0, "decimal separator"},
		{"mixed decimal", "Date;Libellé;Montant\n13/01/2026;A;-1,50\n14/01/2026;B;-1.50\n", Options{}, 3, "amounts mix a decimal comma (line 2"},
		{"two signs", "Date,Description,Amount\n2026-01-13,A,-(1.50)\n", Options{}, 2, "more than one sign"},
		{"year out of range", "Date,Description,Amount\n1066-10-14,Hastings,-1.50\n", Options{}, 2, "year 1066 out of range"},
		{"huge amount", "Date,Description,Amount\n2026-01-13,A,9999999999999999999\n", Options{}, 2, "out of range"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantParseError(t, CSV, tc.in, tc.opt, tc.line, tc.reason) })
	}
}

func TestCSVBalanceLines(t *testing.T) {
	const rows = "Buchungstag;Verwendungszweck;Betrag\n30.01.2026;Miete;-750,00\n"
	for _, tc := range []struct {
		name, in string
		want     int64 // minor units; 0 = no balance
	}{
		{"preamble with date in label", "Kontostand vom 31.01.2026:;1.523,40 EUR\n\n" + rows, 152340},
		{"summary with sign mark", rows + "Kontostand;31.01.2026;1.523,40;S\n", -152340},
		{"summary in french", "Date;Libellé;Montant\n30/01/2026;Loyer;-750,00\nSolde au 31/01/2026;;2 000,00\n", 200000},
		{"opening balance", "Alter Kontostand vom 01.01.2026:;1.000,00 EUR\n" + rows, 0},
		{"older than the rows", "Kontostand vom 29.01.2026:;1.000,00 EUR\n" + rows, 0},
		{"undated", rows + "Saldo;;-12,00\n", 0},
		{"other currency", "Kontostand vom 31.01.2026:;1.000,00 USD\n" + rows, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Parse([]byte(tc.in), Options{Format: CSV})
			if err != nil {
				t.Fatal(err)
			}
			a := res.Accounts[0]
			switch {
			case tc.want == 0 && a.Balance != nil:
				t.Errorf("balance %v; want none", a.Balance)
			case tc.want != 0 && (a.Balance == nil || a.Balance.Minor != tc.want || a.BalanceDate != iswigo.NewDate(2026, 1, 31)):
				t.Errorf("balance %v on %v; want %d on 2026-01-31", a.Balance, a.BalanceDate, tc.want)
			}
		})
	}
}

func TestCSVHeaderOnlyIsAnEmptyStatement(t *testing.T) {
	res, err := Parse([]byte("Date;Libellé;Montant\r\n"), Options{Format: CSV})
	if err != nil || len(res.Accounts) != 1 || len(res.Accounts[0].Transactions) != 0 {
		t.Fatalf("header only: %v %+v", err, res)
	}
}

func TestCSVReferenceBecomesProviderIDOnlyWhenUnique(t *testing.T) {
	in := "Date,Description,Amount,Reference\n2026-01-13,A,-1.50,INV-7\n2026-01-14,B,-2.50,INV-7\n"
	res, err := Parse([]byte(in), Options{Format: CSV})
	if err != nil {
		t.Fatal(err)
	}
	if tx := res.Accounts[0].Transactions[1]; tx.ProviderID != "" || tx.Text != "INV-7" {
		t.Errorf("repeated reference: %+v", tx)
	}
}

func FuzzCSV(f *testing.F) {
	addSeedFiles(f, "csv/*.csv")
	f.Add([]byte("Date;Libellé;Débit;Crédit;Solde\n01/02/26;\"a\"\"b\";1.234,50;;(12,00)\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(data, Options{Format: CSV})
		checkQIFCSVOutcome(t, CSV, res, err)
		res, err = Parse(data, Options{Format: CSV, DateOrder: "mdy", CSV: CSVMapping{DateCol: "1", AmountCol: "2", WordingCols: []string{"3"}}})
		checkQIFCSVOutcome(t, CSV, res, err)
	})
}

// Every header name must be written folded, or no header could match it.
func TestCSVHeaderNamesAreFolded(t *testing.T) {
	for name := range csvHeaderNames {
		if folded, cur := foldHeader(name); folded != name || cur != "" {
			t.Errorf("header name %q folds to %q (currency %q)", name, folded, cur)
		}
	}
}
