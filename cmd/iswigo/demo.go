// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/auth"
	"github.com/iswigo/iswigo/sqldb"
)

// Demo names: the application and user that --demo creates.
const (
	demoAppName   = "demo"
	demoUserEmail = "demo@example.com"
)

// setUpDemo creates, on first start only, a PSD2 demo application and a
// demo user, and prints their credentials and a ready-to-paste curl command
// with its signature computed. Later starts say where to find them.
func setUpDemo(ctx context.Context, db *sqldb.DB, w io.Writer, publicURL string) error {
	if _, err := db.FindAppByName(ctx, demoAppName); err == nil {
		fmt.Fprintf(w, "Demo application %q already exists; its secret was printed at its first start.\n"+
			"Get a new one with: iswigo app rotate-secret --name %s\n", demoAppName, demoAppName)
		return nil
	} else if iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
		return err
	}
	app := &iswigo.App{Name: demoAppName, Secret: newSecret(), PSD2: true, LastTermsOfService: iswigo.DateOf(time.Now())}
	if err := db.CreateApp(ctx, app); err != nil {
		return err
	}
	password := newSecret()[:20]
	hash, err := auth.HashPassword(password, auth.DefaultPasswordParams)
	if err != nil {
		return err
	}
	if err := db.CreateUser(ctx, &iswigo.User{AppID: app.ID, Email: demoUserEmail, PasswordHash: hash}); err != nil {
		return err
	}
	body := fmt.Sprintf(`{"email":%q,"password":%q}`, demoUserEmail, password)
	sig := auth.Signature(app.Secret, "POST", "/v1/authenticate", []byte(body))
	fmt.Fprintf(w, `
Demo application created (shown once: keep it).
  app (X-Iswigo-App):  %s
  secret:              %s
  PSD2:                yes
  user:                %s
  password:            %s

Get an access token:
  curl -s -X POST '%s/v1/authenticate' \
    -H 'X-Iswigo-App: %s' \
    -H 'X-Iswigo-Signature: %s' \
    -H 'Content-Type: application/json' \
    --data-raw '%s'

`, app.Name, app.Secret, demoUserEmail, password, publicURL, app.Name, sig, body)
	return nil
}
