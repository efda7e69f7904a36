// SPDX-License-Identifier: Apache-2.0

package sandbox

import (
	"bytes"
	"context"
	"sort"
	"time"

	"github.com/iswigo/iswigo"
)

// putStatements puts a monthly statement of each account for every month
// of the history that is complete: the month began on or after start, and
// its statement, issued on the first day of the next month at 08:00 UTC, is
// not after now. A statement lists the transactions valued in its month.
func putStatements(ctx context.Context, s iswigo.SyncSession, opts Options, bank string, b *bankData, start day, now time.Time) error {
	if err := opts.narrate(ctx, s, 92, "documents", 0); err != nil {
		return err
	}
	mn := start.month()
	if monthStart(mn) < start {
		mn++
	}
	for ; ; mn++ {
		created := monthStart(mn + 1).time().Add(8 * time.Hour)
		if created.After(now) {
			break
		}
		for _, l := range b.ledgers() {
			pdf, err := renderStatement(bank, b.profile, l, mn, created)
			if err != nil {
				return err
			}
			doc := &iswigo.ConnectorDocument{
				Key:       "RLV-" + l.account.Key + "-" + monthKey(mn),
				Name:      "Relevé de compte " + l.account.Name + " " + monthKey(mn),
				Extension: "pdf",
				Mime:      "application/pdf",
				Type:      "document",
				CreatedAt: created,
			}
			if err := s.PutDocument(ctx, doc, bytes.NewReader(pdf)); err != nil {
				return err
			}
		}
	}
	return opts.progress(ctx, s, 95)
}

// renderStatement returns the PDF statement of l for month mn.
func renderStatement(bank string, p *profile, l *ledger, mn int, created time.Time) ([]byte, error) {
	first, next := monthStart(mn), monthStart(mn+1)
	balance := l.opening
	var lines []iswigo.ConnectorTransaction
	for _, tx := range l.txs {
		switch v := dayOf(tx.ValueDate); {
		case v < first:
			balance += tx.Amount.Minor
		case v < next:
			lines = append(lines, tx)
		}
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].ValueDate.Before(lines[j].ValueDate) })

	a := &l.account
	pg := newPage(bank, "Relevé de compte du "+frenchDate(first)+" au "+frenchDate(next-1), created)
	pg.field("Titulaire", p.customer)
	pg.field("Compte", a.Name+" n° "+a.Number)
	if a.IBAN != "" {
		pg.field("IBAN", a.IBAN)
	}
	pg.Ln(4)

	widths := []float64{22, 22, 96, 25, 25}
	const aligns = "LLLRR"
	pg.row(widths, []string{"Date", "Valeur", "Libellé", "Débit", "Crédit"}, aligns, true)
	opening := signedCells(balance)
	pg.row(widths, []string{"", "", "Solde au " + frenchDate(first-1), opening[0], opening[1]}, aligns, false)
	var debit, credit int64
	for _, tx := range lines {
		cells := signedCells(tx.Amount.Minor)
		pg.row(widths, []string{frenchDate(dayOf(tx.OperationDate)), frenchDate(dayOf(tx.ValueDate)), tx.Wording, cells[0], cells[1]}, aligns, false)
		if tx.Amount.Minor < 0 {
			debit -= tx.Amount.Minor
		} else {
			credit += tx.Amount.Minor
		}
		balance += tx.Amount.Minor
	}
	pg.row(widths, []string{"", "", "Total des opérations", formatCents(debit), formatCents(credit)}, aligns, true)
	closing := signedCells(balance)
	pg.row(widths, []string{"", "", "Nouveau solde au " + frenchDate(next-1), closing[0], closing[1]}, aligns, true)
	return pg.bytes()
}

// signedCells returns the debit and credit cells of an amount: a debit is
// written positive in its column, as statements do; a negative balance
// goes to the debit column.
func signedCells(cents int64) [2]string {
	if cents < 0 {
		return [2]string{formatCents(-cents), ""}
	}
	return [2]string{"", formatCents(cents)}
}
