// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
)

// appJSON is the operator's view of an application (never its secret).
type appJSON struct {
	Name               string      `json:"name"`
	PSD2               bool        `json:"psd2"`
	LastTermsOfService iswigo.Date `json:"last_terms_of_service"`
	WebhookURL         string      `json:"webhook_url"`
	Origins            []string    `json:"origins"`
	RedirectURIs       []string    `json:"redirect_uris"`
	CreatedAt          string      `json:"created_at"`
	DisplayName        string      `json:"display_name,omitempty"`
	LogoURL            string      `json:"logo_url,omitempty"`
	TermsURL           string      `json:"terms_url,omitempty"`
	PrivacyURL         string      `json:"privacy_url,omitempty"`
	AccentColor        string      `json:"accent_color,omitempty"`
}

func appView(a *iswigo.App) appJSON {
	origins := a.Origins
	if origins == nil {
		origins = []string{}
	}
	redirects := a.RedirectURIs
	if redirects == nil {
		redirects = []string{}
	}
	b := a.Branding
	return appJSON{a.Name, a.PSD2, a.LastTermsOfService, a.WebhookURL, origins, redirects, a.CreatedAt.Format(time.RFC3339),
		b.DisplayName, b.LogoURL, b.TermsURL, b.PrivacyURL, b.AccentColor}
}

// newSecret returns 32 random bytes, base64url without padding (43 characters).
func newSecret() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func printJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

func runApp(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("app: want a subcommand: create, list, show, rotate-secret, set")
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet("app "+sub, stderr)
	var sf storeFlags
	sf.register(fs)
	name := fs.String("name", "", "application name (letters, digits, '-', '_', '.')")
	var psd2 *bool
	var terms, webhook, origins, redirects *string
	var brand map[string]*string // the funnel's branding flags
	switch sub {
	case "create":
		psd2 = fs.Bool("psd2", false, "the application is PSD2-compliant")
		terms = fs.String("terms", "", "date of the current terms of service, YYYY-MM-DD (default today)")
	case "set":
		psd2 = fs.Bool("psd2", false, "the application is PSD2-compliant")
		terms = fs.String("terms", "", "date of the current terms of service, YYYY-MM-DD")
		webhook = fs.String("webhook-url", "", "URL receiving every event (empty to remove)")
		origins = fs.String("origins", "", "web origins allowed to embed the funnel, space- or comma-separated")
		brand = map[string]*string{
			"display-name": fs.String("display-name", "", "name shown in the funnel's header and terms (empty = --name)"),
			"logo-url":     fs.String("logo-url", "", "https URL of the logo shown in the funnel's header"),
			"terms-url":    fs.String("terms-url", "", "https URL of the terms of service the funnel links to"),
			"privacy-url":  fs.String("privacy-url", "", "https URL of the privacy policy the funnel links to"),
			"accent-color": fs.String("accent-color", "", "#rrggbb of the funnel's buttons: white text on it at least 4.5:1, at least 3:1 on the dark theme"),
		}
		redirects = fs.String("redirect-uris", "", "URLs a PSD2 app may name as a connection's redirect_uri (where the bank callback sends the browser back), space- or comma-separated")
	case "list", "show", "rotate-secret":
	default:
		return fmt.Errorf("app: unknown subcommand %q", sub)
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if sub != "list" && *name == "" {
		return fmt.Errorf("app %s: --name is required", sub)
	}
	db, err := openStore(ctx, sf)
	if err != nil {
		return err
	}
	defer db.Close()

	switch sub {
	case "create":
		app := &iswigo.App{Name: *name, Secret: newSecret(), PSD2: *psd2, LastTermsOfService: iswigo.DateOf(time.Now())}
		if *terms != "" {
			if app.LastTermsOfService, err = iswigo.ParseDate(*terms); err != nil {
				return fmt.Errorf("--terms: want YYYY-MM-DD, got %q", *terms)
			}
		}
		if err := db.CreateApp(ctx, app); err != nil {
			return fmt.Errorf("app create: %s", iswigo.ErrorMessage(err))
		}
		return printJSON(stdout, struct {
			Name               string      `json:"name"`
			Secret             string      `json:"secret"`
			PSD2               bool        `json:"psd2"`
			LastTermsOfService iswigo.Date `json:"last_terms_of_service"`
		}{app.Name, app.Secret, app.PSD2, app.LastTermsOfService})
	case "list":
		apps, err := db.FindApps(ctx)
		if err != nil {
			return err
		}
		out := make([]appJSON, len(apps))
		for i, a := range apps {
			out[i] = appView(a)
		}
		return printJSON(stdout, out)
	}

	app, err := db.FindAppByName(ctx, *name)
	if err != nil {
		return fmt.Errorf("app %s: %s", sub, iswigo.ErrorMessage(err))
	}
	switch sub {
	case "show":
		return printJSON(stdout, appView(app))
	case "rotate-secret":
		app.Secret = newSecret()
		if err := db.UpdateApp(ctx, app); err != nil {
			return err
		}
		return printJSON(stdout, map[string]string{"name": app.Name, "secret": app.Secret})
	}
	// set: change only what was given.
	var setErr error
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "psd2":
			app.PSD2 = *psd2
		case "terms":
			d, err := iswigo.ParseDate(*terms)
			if err != nil {
				setErr = fmt.Errorf("--terms: want YYYY-MM-DD, got %q", *terms)
			}
			app.LastTermsOfService = d
		case "webhook-url":
			if *webhook != "" {
				if u, err := url.Parse(*webhook); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
					setErr = fmt.Errorf("--webhook-url: want an http(s) URL, got %q", *webhook)
				}
			}
			app.WebhookURL = *webhook
		case "origins":
			app.Origins = nil
			for _, o := range strings.FieldsFunc(*origins, func(r rune) bool { return r == ',' || r == ' ' }) {
				if u, err := url.Parse(o); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
					setErr = fmt.Errorf("--origins: want origins such as https://app.example.com, got %q", o)
				}
				app.Origins = append(app.Origins, strings.TrimSuffix(o, "/"))
			}
		case "display-name":
			app.Branding.DisplayName = strings.TrimSpace(*brand[f.Name])
		case "logo-url":
			app.Branding.LogoURL = *brand[f.Name]
		case "terms-url":
			app.Branding.TermsURL = *brand[f.Name]
		case "privacy-url":
			app.Branding.PrivacyURL = *brand[f.Name]
		case "accent-color":
			app.Branding.AccentColor = strings.ToLower(*brand[f.Name])
		case "redirect-uris":
			app.RedirectURIs = nil
			for _, o := range strings.FieldsFunc(*redirects, func(r rune) bool { return r == ',' || r == ' ' }) {
				if u, err := url.Parse(o); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" || len(o) > 1024 {
					setErr = fmt.Errorf("--redirect-uris: want absolute http(s) URLs without fragment, got %q", o)
				}
				app.RedirectURIs = append(app.RedirectURIs, o)
			}
		}
	})
	if setErr != nil {
		return setErr
	}
	if err := app.Branding.Validate(); err != nil {
		return fmt.Errorf("app set: %s", iswigo.ErrorMessage(err))
	}
	if err := db.UpdateApp(ctx, app); err != nil {
		return err
	}
	return printJSON(stdout, appView(app))
}
