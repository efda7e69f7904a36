// SPDX-License-Identifier: Apache-2.0

package sqldb_test

import (
	"context"
	"testing"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// TestAppBrandingAndUsage: an application's branding is stored, read
// back and changed; ProviderUsage counts its connections by provider, not
// another application's.
func TestAppBrandingAndUsage(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		app := newApp(t, db, "branded")
		b := iswigo.AppBranding{DisplayName: "Budget Été", LogoURL: "https://b.example/l.png", TermsURL: "https://b.example/t",
			PrivacyURL: "https://b.example/p", AccentColor: "#0969da"}
		app.Branding = b
		if err := db.UpdateApp(ctx, app); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindAppByID(ctx, app.ID)
		if err != nil || got.Branding != b {
			t.Fatalf("branding read back: %+v, %v; want %+v", got.Branding, err, b)
		}
		other := newApp(t, db, "other")
		if got, _ := db.FindAppByID(ctx, other.ID); got.Branding != (iswigo.AppBranding{}) {
			t.Fatalf("another app has branding %+v", got.Branding)
		}
		for i, a := range []*iswigo.App{app, app, app, other} {
			u := &iswigo.User{AppID: a.ID, Email: string(rune('a'+i)) + "@example.com", PasswordHash: "x"}
			if err := db.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			provider := 999
			if i > 0 {
				provider = 998
			}
			if err := db.CreateConnection(ctx, &iswigo.Connection{AppID: a.ID, UserID: u.ID, ProviderID: provider,
				Credentials: map[string]string{"login": "x"}}); err != nil {
				t.Fatal(err)
			}
		}
		usage, err := db.ProviderUsage(ctx, app.ID)
		if err != nil || len(usage) != 2 || usage[998] != 2 || usage[999] != 1 {
			t.Fatalf("usage %v, %v; want 998: 2, 999: 1", usage, err)
		}
	})
}
