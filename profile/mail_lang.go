// SPDX-License-Identifier: Apache-2.0

package profile

import (
	"context"
	"fmt"
	"strings"

	"github.com/iswigo/iswigo"
)

// codeMails are the validation e-mail by language: subject and body, with
// %[1]s the code and %[2]s the application's name.
var codeMails = map[string][2]string{
	"en": {"Your %[2]s validation code: %[1]s",
		"Hello,\n\nYour validation code for %[2]s is %[1]s.\nIt is valid for one hour.\n\n" +
			"If you did not ask for it, ignore this message.\n"},
	"fr": {"Votre code de validation %[2]s : %[1]s",
		"Bonjour,\n\nVotre code de validation pour %[2]s est %[1]s.\nIl est valable une heure.\n\n" +
			"Si vous ne l'avez pas demandé, ignorez ce message.\n"},
}

// SendCodeIn e-mails u's pending code in lang ("en" or "fr"; others get
// English), naming the application appName.
func (s *Service) SendCodeIn(ctx context.Context, u *iswigo.User, appName, lang string) error {
	m, ok := codeMails[lang]
	if !ok {
		m = codeMails["en"]
	}
	appName = strings.Map(func(r rune) rune { // one line, whatever the name holds
		if r < ' ' {
			return ' '
		}
		return r
	}, appName)
	msg := iswigo.Message{To: u.EmailValidation, Subject: fmt.Sprintf(m[0], u.ValidationCode, appName),
		Body: fmt.Sprintf(m[1], u.ValidationCode, appName)}
	if err := s.Mailer.Send(ctx, msg); err != nil {
		return fmt.Errorf("send validation code: %w", err)
	}
	return nil
}

// RequestValidationIn is RequestValidation with the e-mail in lang,
// naming the application by its display name (else its name).
func (s *Service) RequestValidationIn(ctx context.Context, u *iswigo.User, app *iswigo.App, email, lang string) error {
	send, err := s.StartValidation(ctx, u, app, email)
	if err != nil {
		return err
	}
	if err := s.Users.UpdateUser(ctx, u); err != nil {
		return err
	}
	if !send {
		return nil
	}
	name := app.Branding.DisplayName
	if name == "" {
		name = app.Name
	}
	return s.SendCodeIn(ctx, u, name, lang)
}
