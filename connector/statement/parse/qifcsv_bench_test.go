package parse

import (
	"fmt"
	"strings"
	"testing"
)

// benchCSV is a 10,000-row French-style CSV: semicolons, quotes, decimal
// comma with thousands, DD/MM/YYYY dates, a balance column.
func benchCSV(n int) []byte {
	var b strings.Builder
	b.WriteString("Date opération;Date de valeur;Libellé;Catégorie;Montant;Solde\r\n")
	bal := int64(1_000_000)
	for i := 0; i < n; i++ {
		amt := int64(-(i%997)*137 - 5)
		if i%10 == 0 {
			amt = 250_000
		}
		bal += amt
		d := 1 + i%28
		fmt.Fprintf(&b, "%02d/%02d/2026;%02d/%02d/2026;\"CARTE %d MAGASIN \"\"N°%d\"\" PARIS\";Courses;%s;%s\r\n",
			d, 1+i%12, d, 1+i%12, i, i%50, frenchAmount(amt), frenchAmount(bal))
	}
	return []byte(b.String())
}

func frenchAmount(minor int64) string {
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	s := fmt.Sprint(minor / 100)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return fmt.Sprintf("%s%s,%02d", sign, s, minor%100)
}

// benchQIF is a 10,000-record bank QIF file with payees, memos,
// categories and check numbers.
func benchQIF(n int) []byte {
	var b strings.Builder
	b.WriteString("!Type:Bank\r\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "D%d/%d'26\r\nT-%d,%03d.%02d\r\nPSUPERMARKET %d\r\nMWeekly shopping %d\r\nN%d\r\nLFood:Groceries\r\nC*\r\n^\r\n",
			1+i%12, 1+i%28, i%5, i%1000, i%100, i, i, 1000+i)
	}
	return []byte(b.String())
}

func BenchmarkParseCSV10k(b *testing.B) {
	data := benchCSV(10_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Parse(data, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if res.Format != CSV || res.Transactions() != 10_000 {
			b.Fatalf("%s: %d transactions", res.Format, res.Transactions())
		}
	}
}

func BenchmarkParseQIF10k(b *testing.B) {
	data := benchQIF(10_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Parse(data, Options{DateOrder: "mdy"})
		if err != nil {
			b.Fatal(err)
		}
		if res.Format != QIF || res.Transactions() != 10_000 {
			b.Fatalf("%s: %d transactions", res.Format, res.Transactions())
		}
	}
}
