// SPDX-License-Identifier: Apache-2.0

package sandbox

import (
	"bytes"
	"context"
	"strconv"
	"time"

	"github.com/iswigo/iswigo"
)

// energyConnector is Sandbox Energy (996): an electricity supplier with a
// contract and monthly invoices.
type energyConnector struct {
	opts Options
}

// Provider returns a new copy of the provider each time.
func (c *energyConnector) Provider() iswigo.Provider {
	return iswigo.Provider{
		ID:      ProviderIDEnergy,
		Name:    "Sandbox Energy",
		Types:   []string{iswigo.ProviderTypeDocument},
		Status:  "available",
		Country: "FR",
		Inputs: map[string]iswigo.InputSet{
			"default": {Inputs: []iswigo.Input{
				{Name: "login", Type: "text", Varname: "login", MinLength: 6, MaxLength: 64, Label: "Adresse e-mail", Labels: map[string]string{"en": "E-mail address", "fr": "Adresse e-mail"}},
				{Name: "password", Type: "password", Varname: "password", MinLength: 6, MaxLength: 32, Label: "Mot de passe", Labels: map[string]string{"en": "Password", "fr": "Mot de passe"}},
			}},
		},
		Properties: iswigo.ProviderProperties{Docs: []string{"invoice", "document"}},
	}
}

// Prices of Sandbox Energy, in hundredths of a cent per kWh.
const (
	kwhPrice = 2516 // 0.2516 € per kWh
	kwhTax   = 223  // 0.0223 € per kWh of excise and contributions
)

// energyCustomer is what a login fixes at Sandbox Energy.
type energyCustomer struct {
	login        string
	seed         uint64
	reference    string // customer and contract reference
	meter        string // delivery point, 14 digits
	subscription int64  // cents a month, before tax
	baseKWh      int64  // consumption of an average month
	invoiceDay   int    // day of the month invoices are issued
	signed       day    // the contract's date
}

func newEnergyCustomer(login string) *energyCustomer {
	seed := seedOf(login)
	r := stream(seed, topicEnergy, 0)
	return &energyCustomer{
		login:        login,
		seed:         seed,
		reference:    "SE" + r.digits(10),
		meter:        "1" + r.digits(13),
		subscription: r.between(1200, 1900),
		baseKWh:      r.between(160, 320),
		invoiceDay:   1 + r.intn(28),
		signed:       civilDay(2019, time.January, 1) + day(r.intn(5*365)),
	}
}

// invoice is one monthly invoice; amounts in cents.
type invoice struct {
	month                                 int // month number of the issue date
	date                                  day
	kwh                                   int64
	subscription, consumption, taxes, vat int64
	total                                 int64
}

// Share of an average month's consumption, in percent, January first.
var seasonal = [12]int64{150, 140, 120, 100, 85, 75, 70, 70, 80, 100, 125, 145}

// invoiceOf returns the invoice issued in month mn, for the consumption of
// the month before.
func (e *energyCustomer) invoiceOf(mn int) invoice {
	r := stream(e.seed, topicInvoice, mn)
	used := (mn - 1) % 12
	inv := invoice{month: mn, date: civilDay(mn/12, time.Month(mn%12+1), e.invoiceDay)}
	inv.kwh = e.baseKWh * (seasonal[used] + r.between(-15, 15)) / 100
	inv.subscription = e.subscription
	inv.consumption = (inv.kwh*kwhPrice + 50) / 100
	inv.taxes = (inv.kwh*kwhTax + 50) / 100
	ht := inv.subscription + inv.consumption + inv.taxes
	inv.vat = (ht*20 + 50) / 100
	inv.total = ht + inv.vat
	return inv
}

// Sync checks the password ("123456"), then puts the contract and the
// twelve invoices issued before the day of the sync.
func (c *energyConnector) Sync(ctx context.Context, s iswigo.SyncSession) error {
	creds := s.Credentials()
	if creds["password"] != goodPassword {
		return iswigo.Fail(iswigo.ErrnoWrongCredentials, "sandbox: wrong e-mail address or password")
	}
	if err := c.opts.narrate(ctx, s, 10, "connecting", 0); err != nil {
		return err
	}
	e := newEnergyCustomer(creds["login"])
	today := dayOf(iswigo.DateOf(s.Now()))
	if e.signed < today {
		if err := e.putContract(ctx, s); err != nil {
			return err
		}
	}
	if err := c.opts.narrate(ctx, s, 50, "documents", 0); err != nil {
		return err
	}
	last := today.month()
	if e.invoiceOf(last).date >= today {
		last--
	}
	for mn := last - 11; mn <= last; mn++ {
		if err := e.putInvoice(ctx, s, e.invoiceOf(mn)); err != nil {
			return err
		}
	}
	return c.opts.progress(ctx, s, 90)
}

func (e *energyCustomer) putContract(ctx context.Context, s iswigo.SyncSession) error {
	created := e.signed.time().Add(8 * time.Hour)
	pg := newPage("Sandbox Energy", "Contrat d'électricité", created)
	pg.field("Client", e.login)
	pg.field("Référence client", e.reference)
	pg.field("Point de livraison", e.meter)
	pg.field("Date de souscription", frenchDate(e.signed))
	pg.field("Offre", "Électricité Sandbox Base 6 kVA")
	pg.field("Abonnement", formatCents(e.subscription)+" € HT par mois")
	pg.field("Prix du kWh", "0,2516 € HT")
	pg.Ln(4)
	pg.SetFont("Helvetica", "", 10)
	pg.MultiCell(0, 5, pg.tr("Les présentes conditions particulières complètent les conditions générales de vente. "+
		"Les factures sont émises chaque mois et prélevées à leur date d'émission."), "", "L", false)
	pdf, err := pg.bytes()
	if err != nil {
		return err
	}
	doc := &iswigo.ConnectorDocument{
		Key:       "CONTRAT-" + e.reference,
		Name:      "Contrat d'électricité",
		Extension: "pdf",
		Mime:      "application/pdf",
		Type:      "document",
		CreatedAt: created,
	}
	return s.PutDocument(ctx, doc, bytes.NewReader(pdf))
}

func (e *energyCustomer) putInvoice(ctx context.Context, s iswigo.SyncSession, inv invoice) error {
	created := inv.date.time().Add(8 * time.Hour)
	number := e.reference + "-" + strconv.Itoa(inv.month/12) + twoDigits(inv.month%12+1)
	from, to := monthStart(inv.month-1), monthStart(inv.month)-1
	pg := newPage("Sandbox Energy", "Facture n° "+number+" du "+frenchDate(inv.date), created)
	pg.field("Client", e.login)
	pg.field("Référence client", e.reference)
	pg.field("Point de livraison", e.meter)
	pg.field("Période", "du "+frenchDate(from)+" au "+frenchDate(to))
	pg.Ln(4)
	widths := []float64{110, 35, 35}
	const aligns = "LRR"
	pg.row(widths, []string{"Désignation", "Quantité", "Montant HT (€)"}, aligns, true)
	pg.row(widths, []string{"Abonnement Base 6 kVA", "1 mois", formatCents(inv.subscription)}, aligns, false)
	pg.row(widths, []string{"Consommation à 0,2516 €/kWh", strconv.FormatInt(inv.kwh, 10) + " kWh", formatCents(inv.consumption)}, aligns, false)
	pg.row(widths, []string{"Accise et contributions", strconv.FormatInt(inv.kwh, 10) + " kWh", formatCents(inv.taxes)}, aligns, false)
	pg.row(widths, []string{"Total HT", "", formatCents(inv.subscription + inv.consumption + inv.taxes)}, aligns, false)
	pg.row(widths, []string{"TVA 20 %", "", formatCents(inv.vat)}, aligns, false)
	pg.Ln(4)
	pg.SetFont("Helvetica", "B", 12)
	pg.cell(0, 8, "Total TTC : "+formatCents(inv.total)+" €", "R")
	pg.SetFont("Helvetica", "", 10)
	pg.cell(0, 6, "Montant prélevé le "+frenchDate(inv.date)+" sur votre compte bancaire.", "R")
	pdf, err := pg.bytes()
	if err != nil {
		return err
	}
	amount := eur(inv.total)
	doc := &iswigo.ConnectorDocument{
		Key:         "FAC-" + number,
		Name:        "Facture du " + inv.date.date().String(),
		Extension:   "pdf",
		Mime:        "application/pdf",
		Type:        "invoice",
		Amount:      &amount,
		PaymentDate: inv.date.date(),
		CreatedAt:   created,
	}
	return s.PutDocument(ctx, doc, bytes.NewReader(pdf))
}
