// SPDX-License-Identifier: Apache-2.0

package sandbox

import (
	"context"
	"strings"

	"github.com/iswigo/iswigo"
)

// The password every sandbox provider accepts.
const goodPassword = "123456"

// bankConnector is Sandbox Bank (999) and, with statements, Sandbox Bank &
// Documents (997).
type bankConnector struct {
	opts       Options
	provider   func() iswigo.Provider
	statements bool // put a monthly statement of each account
}

func bankProvider() iswigo.Provider {
	return iswigo.Provider{
		ID:         ProviderIDBank,
		Name:       "Sandbox Bank",
		Types:      []string{iswigo.ProviderTypeBank},
		Status:     "available",
		Country:    "FR",
		Inputs:     bankInputs(),
		Properties: iswigo.ProviderProperties{DeferredCreditCard: true, IBAN: true},
	}
}

func bankDocumentsProvider() iswigo.Provider {
	return iswigo.Provider{
		ID:      ProviderIDBankDocuments,
		Name:    "Sandbox Bank & Documents",
		Types:   []string{iswigo.ProviderTypeBank, iswigo.ProviderTypeDocument},
		Status:  "available",
		Country: "FR",
		Inputs:  bankInputs(),
		Properties: iswigo.ProviderProperties{
			DeferredCreditCard: true, IBAN: true, Docs: []string{"document"},
		},
	}
}

func bankInputs() map[string]iswigo.InputSet {
	return map[string]iswigo.InputSet{
		"default": {Inputs: []iswigo.Input{
			{Name: "login", Type: "text", Varname: "login", MinLength: 6, MaxLength: 32, Label: "Identifiant", Labels: map[string]string{"en": "Login", "fr": "Identifiant"}},
			{Name: "password", Type: "password", Varname: "password", MinLength: 6, MaxLength: 32, Label: "Mot de passe", Labels: map[string]string{"en": "Password", "fr": "Mot de passe"}},
		}},
		"sms": {
			Title: "Entrez le code reçu par SMS pour votre banque <strong>%b%</strong> <em>(identifiant <strong>%i%</strong>)</em>",
			Titles: map[string]string{
				"en": "Enter the code your bank <strong>%b%</strong> sent you by SMS <em>(login <strong>%i%</strong>)</em>",
				"fr": "Entrez le code reçu par SMS pour votre banque <strong>%b%</strong> <em>(identifiant <strong>%i%</strong>)</em>",
			},
			Inputs: []iswigo.Input{
				{Name: "sms", Type: "text", Varname: "sms", MinLength: 4, MaxLength: 4, Mask: "numbers", Label: "Code SMS", Labels: map[string]string{"en": "SMS code", "fr": "Code SMS"}},
			},
		},
	}
}

// sandboxTermsMessage is what Sandbox Bank tells the person of an
// "action…" login (the status's message on errno 3).
const sandboxTermsMessage = "Sandbox Bank has new terms of service: accept them on its website, then synchronize again."

// Provider returns a new copy of the provider each time.
func (c *bankConnector) Provider() iswigo.Provider { return c.provider() }

// Sync checks the magic credentials (docs/sandbox.md), asks the "sms" step
// for logins starting with "sms", then puts the accounts, their history and,
// for 997, their monthly statements.
func (c *bankConnector) Sync(ctx context.Context, s iswigo.SyncSession) error {
	creds := s.Credentials()
	login := creds["login"]
	if creds["password"] != goodPassword {
		return iswigo.Fail(iswigo.ErrnoWrongCredentials, "sandbox: wrong login or password")
	}
	switch {
	case strings.HasPrefix(login, "down"):
		return iswigo.Fail(iswigo.ErrnoUnavailable, "sandbox: website unavailable")
	case strings.HasPrefix(login, "action"):
		return iswigo.FailWithMessage(iswigo.ErrnoActionNeeded, sandboxTermsMessage, "", "sandbox: new terms of service to accept on the website")
	case strings.HasPrefix(login, "locked"):
		return iswigo.Fail(iswigo.ErrnoLocked, "sandbox: account locked")
	}
	if err := c.opts.narrate(ctx, s, 10, "connecting", 0); err != nil {
		return err
	}
	if strings.HasPrefix(login, "sms") {
		if err := c.opts.askCode(ctx, s, "sms", "1234"); err != nil {
			return err
		}
	}
	start, today, err := history(ctx, s)
	if err != nil {
		return err
	}
	data := generateBank(login, start, today)
	if err := putBank(ctx, s, c.opts, data); err != nil {
		return err
	}
	if c.statements {
		return putStatements(ctx, s, c.opts, c.provider().Name, data, start, s.Now())
	}
	return nil
}

// askCode reports progress 30, then asks the input set step, whose one
// input has the varname step, and checks that the answer is want. The
// session's errors (errno 5 and 10) are returned unchanged.
func (o Options) askCode(ctx context.Context, s iswigo.SyncSession, step, want string) error {
	if err := o.progress(ctx, s, 30); err != nil {
		return err
	}
	answer, err := s.Ask(ctx, step)
	if err != nil {
		return err
	}
	if answer[step] != want {
		return iswigo.Fail(iswigo.ErrnoWrongStepAnswer, "sandbox: wrong %s code", step)
	}
	return nil
}

// putBank puts the accounts, then their transactions, one call per account
// (so that identical operations of a day are counted in one batch).
func putBank(ctx context.Context, s iswigo.SyncSession, opts Options, b *bankData) error {
	for _, l := range b.ledgers() {
		if err := s.PutAccount(ctx, &l.account); err != nil {
			return err
		}
	}
	if err := opts.narrate(ctx, s, 50, "accounts_found", len(b.ledgers())); err != nil {
		return err
	}
	for i, l := range b.ledgers() {
		if len(l.txs) > 0 {
			if err := s.PutTransactions(ctx, l.account.Key, l.txs); err != nil {
				return err
			}
		}
		if i == 0 {
			if err := opts.narrate(ctx, s, 70, "transactions", 0); err != nil {
				return err
			}
		}
	}
	return opts.progress(ctx, s, 90)
}
