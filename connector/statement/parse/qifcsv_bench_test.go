// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"fmt"
	"strings"
	"testing"
	"time"
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
			d, 1+i%12, d, 1+i%12, i, i%50, groupedAmount(amt, '.', ','), groupedAmount(bal, '.', ','))
	}
	return []byte(b.String())
}

// groupedAmount writes minor units with a thousands separator and a
// decimal separator: groupedAmount(-123456, '.', ',') = "-1.234,56".
func groupedAmount(minor int64, thousands, decimal byte) string {
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	s := fmt.Sprint(minor / 100)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + string(thousands) + s[i:]
	}
	return fmt.Sprintf("%s%s%c%02d", sign, s, decimal, minor%100)
}

// benchQIF is a 10,000-record bank QIF file with payees, memos,
// categories and check numbers.
func benchQIF(n int) []byte {
	var b strings.Builder
	b.WriteString("!Type:Bank\r\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "D%d/%d'26\r\nT%s\r\nPSUPERMARKET %d\r\nMWeekly shopping %d\r\nN%d\r\nLFood:Groceries\r\nC*\r\n^\r\n",
			1+i%12, 1+i%28, groupedAmount(-int64(i%5000)*137-1, ',', '.'), i, i, 1000+i)
	}
	return []byte(b.String())
}

// reportCPURate adds the MB parsed per second of process CPU time (the
// parse and its garbage collection), beside the wall-time MB/s.
func reportCPURate(b *testing.B, size int, cpu0 time.Duration) {
	if cpu := processCPUTime() - cpu0; cpu > 0 && cpu0 > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
	}
}

func BenchmarkParseCSV10k(b *testing.B) {
	data := benchCSV(10_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu0 := processCPUTime()
	defer func() { reportCPURate(b, len(data), cpu0) }()
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
	cpu0 := processCPUTime()
	defer func() { reportCPURate(b, len(data), cpu0) }()
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
