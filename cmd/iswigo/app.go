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
	return appJSON{a.Name, a.PSD2, a.LastTermsOfService, a.WebhookURL, origins, redirects, a.CreatedAt.Format(time.RFC3339)}
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
	switch sub {
	case "create":
		psd2 = fs.Bool("psd2", false, "the application is PSD2-compliant")
		terms = fs.String("terms", "", "date of the current terms of service, YYYY-MM-DD (default today)")
	case "set":
		psd2 = fs.Bool("psd2", false, "the application is PSD2-compliant")
		terms = fs.String("terms", "", "date of the current terms of service, YYYY-MM-DD")
		webhook = fs.String("webhook-url", "", "URL receiving every event (empty to remove)")
		origins = fs.String("origins", "", "web origins allowed to embed the funnel, space- or comma-separated")
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
	if err := db.UpdateApp(ctx, app); err != nil {
		return err
	}
	return printJSON(stdout, appView(app))
}
