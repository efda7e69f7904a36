// SPDX-License-Identifier: Apache-2.0

package sandbox

import (
	"context"

	"github.com/iswigo/iswigo"
)

// secureKeyConnector is Sandbox SecureKey Bank (998): it asks a one-time
// "securekey" code on every sync, so a background sync always ends with
// errno 10. Its data is Sandbox Bank's for the same login.
type secureKeyConnector struct {
	opts Options
}

// Provider returns a new copy of the provider each time.
func (c *secureKeyConnector) Provider() iswigo.Provider {
	return iswigo.Provider{
		ID:      ProviderIDSecureKeyBank,
		Name:    "Sandbox SecureKey Bank",
		Types:   []string{iswigo.ProviderTypeBank},
		Status:  "available",
		Country: "FR",
		Inputs: map[string]iswigo.InputSet{
			"default": {Inputs: []iswigo.Input{
				{Name: "login", Type: "text", Varname: "login", MinLength: 11, MaxLength: 11, Mask: "numbers", Label: "Numéro de compte (ou identifiant)", Labels: map[string]string{"en": "Account number (or login)", "fr": "Numéro de compte (ou identifiant)"}},
				{Name: "memorable", Type: "password", Varname: "parameter3", MinLength: 6, MaxLength: 50, Label: "Réponse à question mémorable", Labels: map[string]string{"en": "Answer to your memorable question", "fr": "Réponse à question mémorable"}},
				{Name: "password", Type: "password", Varname: "password", Label: "Code confidentiel (ou mot de passe)", Labels: map[string]string{"en": "PIN (or password)", "fr": "Code confidentiel (ou mot de passe)"}},
			}},
			"securekey": {
				Title: "Générez un code à usage unique \"SecureKey\" pour votre banque <strong>%b%</strong> <em>(identifiant <strong>%i%</strong>)</em> et entrez le",
				Titles: map[string]string{
					"en": "Generate a \"SecureKey\" one-time code for your bank <strong>%b%</strong> <em>(login <strong>%i%</strong>)</em> and enter it",
				},
				Inputs: []iswigo.Input{
					{Name: "securekey", Type: "text", Varname: "securekey", MinLength: 6, MaxLength: 6, Mask: "numbers", Label: "Code à usage unique \"SecureKey\"", Labels: map[string]string{"en": "\"SecureKey\" one-time code", "fr": "Code à usage unique \"SecureKey\""}},
				},
			},
		},
		Properties: iswigo.ProviderProperties{DeferredCreditCard: true, IBAN: true},
	}
}

// Sync checks the password ("123456"), asks the "securekey" step (answer
// "123456"), then puts Sandbox Bank's data for the login.
func (c *secureKeyConnector) Sync(ctx context.Context, s iswigo.SyncSession) error {
	creds := s.Credentials()
	if creds["password"] != goodPassword {
		return iswigo.Fail(iswigo.ErrnoWrongCredentials, "sandbox: wrong account number or password")
	}
	if err := c.opts.narrate(ctx, s, 10, "connecting", 0); err != nil {
		return err
	}
	if err := c.opts.askCode(ctx, s, "securekey", "123456"); err != nil {
		return err
	}
	start, today, err := history(ctx, s)
	if err != nil {
		return err
	}
	return putBank(ctx, s, c.opts, generateBank(creds["login"], start, today))
}
