// SPDX-License-Identifier: Apache-2.0

package sandbox

import (
	"bytes"
	"strconv"
	"time"

	"github.com/go-pdf/fpdf"
)

// page is an A4 PDF being written. Its bytes depend only on what is drawn:
// the document dates are fixed and the catalogs sorted.
type page struct {
	*fpdf.Fpdf
	tr func(string) string // UTF-8 to the core fonts' cp1252
}

// newPage starts a PDF of one A4 page with a header naming issuer and a
// footer saying the data is fictitious. at is the document's date.
func newPage(issuer, title string, at time.Time) *page {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCreationDate(at.UTC())
	f.SetModificationDate(at.UTC())
	f.SetCatalogSort(true)
	f.SetTitle(title, true)
	f.SetAuthor(issuer, true)
	f.SetCreator("Iswigo sandbox", true)
	f.SetAutoPageBreak(true, 20)
	f.AliasNbPages("")
	// Each page has its own translator: fpdf's shares a buffer between
	// calls, so it must not be shared between concurrent syncs.
	p := &page{Fpdf: f, tr: f.UnicodeTranslatorFromDescriptor("")}
	f.SetFooterFunc(func() {
		f.SetY(-15)
		f.SetFont("Helvetica", "I", 8)
		f.SetTextColor(110, 110, 110)
		p.cell(0, 5, "Données fictives produites par le bac à sable Iswigo. Page "+strconv.Itoa(f.PageNo())+"/{nb}", "C")
	})
	f.AddPage()
	f.SetFont("Helvetica", "B", 18)
	f.SetTextColor(20, 60, 120)
	p.cell(0, 10, issuer, "L")
	f.SetFont("Helvetica", "B", 13)
	f.SetTextColor(0, 0, 0)
	p.cell(0, 8, title, "L")
	f.Ln(3)
	return p
}

// cell writes one line of text, w mm wide (0 = to the margin).
func (p *page) cell(w, h float64, text, align string) {
	p.CellFormat(w, h, p.tr(text), "", 1, align, false, 0, "")
}

// field writes "label: value" on a line.
func (p *page) field(label, value string) {
	p.SetFont("Helvetica", "B", 10)
	p.CellFormat(45, 6, p.tr(label), "", 0, "L", false, 0, "")
	p.SetFont("Helvetica", "", 10)
	p.cell(0, 6, value, "L")
}

// row writes a table row: cell i is widths[i] mm wide, aligned by the
// letter aligns[i] (L, C or R).
func (p *page) row(widths []float64, cells []string, aligns string, header bool) {
	style, fill := "", false
	if header {
		style, fill = "B", true
		p.SetFillColor(225, 232, 242)
	}
	p.SetFont("Helvetica", style, 9)
	for i, c := range cells {
		p.CellFormat(widths[i], 6, p.tr(c), "B", 0, string(aligns[i]), fill, 0, "")
	}
	p.Ln(-1)
}

// bytes returns the finished PDF.
func (p *page) bytes() ([]byte, error) {
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// formatCents writes cents the French way: "-1 234,56".
func formatCents(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	units := strconv.FormatInt(cents/100, 10)
	b := make([]byte, 0, len(units)+4)
	for i := range len(units) {
		if i > 0 && (len(units)-i)%3 == 0 {
			b = append(b, ' ')
		}
		b = append(b, units[i])
	}
	return sign + string(b) + "," + twoDigits(int(cents%100))
}

// frenchDate writes d as "DD/MM/YYYY".
func frenchDate(d day) string {
	y, m, dd := d.civil()
	return twoDigits(dd) + "/" + twoDigits(int(m)) + "/" + strconv.Itoa(y)
}
