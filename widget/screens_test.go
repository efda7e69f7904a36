// SPDX-License-Identifier: Apache-2.0

package widget_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/internal/servertest"
	"github.com/iswigo/iswigo/job"
)

// screensDir holds the committed reference screenshots. Regenerate them
// with ISWIGO_UPDATE_SCREENS=1 (then review the images in the diff).
const screensDir = "testdata/screens"

// maxDiffShare is the share of pixels that may differ from a reference
// (antialiasing); a pixel differs when a channel moves by more than 24.
const maxDiffShare = 0.005

// TestScreenshots photographs every screen of the funnel at 320×640 and
// 1280×800, light and dark, in English and French (one Chromium tab for
// all), runs axe-core on each, writes the PNGs to $ISWIGO_SCREENSHOTS
// (else a temporary folder) and compares them with the references in
// testdata/screens: a change of look is a reviewed change of those files.
// Each state is reached without timing: the connections are put in their
// state by horizonBank's syncs, which stop there, before the pages open,
// and each page is photographed once a selector shows the state.
func TestScreenshots(t *testing.T) {
	e := newEnvWith(t, func(o *servertest.Options) {
		o.Connectors = append(o.Connectors, horizonBank{})
		o.Statements = true
		// The syncs that stop at a state hold a worker each; no retry
		// moves a failed one (errno 4) back to "pending".
		o.Job = func(c *job.Config) { c.Workers, c.SyncRetries = 8, -1 }
	})
	ctx := context.Background()
	_, fc := e.user(t, "paul@example.com")
	_, termsURI := e.session(t, fc, map[string]any{"action": "create", "type": "bank"})
	mailUser, mc := e.user(t, "rose@example.com")
	mailUser.TermsOfService = iswigo.DateOf(time.Now())
	if err := e.db.UpdateUser(ctx, mailUser); err != nil {
		t.Fatal(err)
	}
	_, emailURI := e.session(t, mc, map[string]any{"action": "create", "type": "bank"})
	ru, rc := e.readyUser(t, "yann@example.com")
	_, providersURI := e.session(t, rc, map[string]any{"action": "create", "type": "bank"})
	_, credsURI := e.session(t, rc, map[string]any{"action": "create", "provider": 999})
	sid, endedURI := e.session(t, rc, map[string]any{"action": "create", "type": "bank"})
	if err := rc.DeleteFunnelSession(ctx, sid); err != nil {
		t.Fatal(err)
	}
	// One connection in each state a page follows, reached before any page
	// opens; the session that follows them begins before them (a create
	// session reaches the connections created since it began).
	_, createURI := e.session(t, rc, map[string]any{"action": "create", "type": "bank"})
	conn := func(provider int, login, password, status string) string {
		c := &iswigo.Connection{AppID: e.app.ID, UserID: ru.ID, ProviderID: provider,
			Credentials: map[string]string{"login": login, "password": password}}
		if err := e.db.CreateConnection(ctx, c); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(waitTimeout)
		for {
			got, err := e.db.FindConnectionByID(ctx, e.app.ID, ru.ID, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status == status && (status != iswigo.StatusInProgress || got.ProgressKey == "accounts_found") {
				return c.ID
			}
			if time.Now().After(deadline) {
				t.Fatalf("connection %s of %d: %s (step %q, errno %d); want %s", login, provider, got.Status, got.Step, got.Errno, status)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	progressID := conn(horizonID, "progress-42", "secret1", iswigo.StatusInProgress)
	smsID := conn(999, "smsyann01", "123456", iswigo.StatusWaitingUser)
	decoupledID := conn(horizonID, "decoupled-42", "secret1", iswigo.StatusWaitingUser)
	redirectID := conn(horizonID, "redirect-42", "secret1", iswigo.StatusWaitingUser)
	okID := conn(horizonID, "result-42", "secret1", iswigo.StatusFinished)
	downID := conn(horizonID, "down-42", "secret1", iswigo.StatusError)
	resume := func(id string) string { return createURI + "&connection_id=" + id }
	_, horizonURI := e.session(t, rc, map[string]any{"action": "create", "provider": horizonID})
	_, statementsURI := e.session(t, rc, map[string]any{"action": "create", "provider": 900})
	_, simplefinURI := e.session(t, rc, map[string]any{"action": "simplefin"})
	_, editURI := e.session(t, rc, map[string]any{"action": "edit", "connections": []string{okID}})
	_, statusURI := e.session(t, rc, map[string]any{"action": "status", "connections": []string{okID, downID}})
	screens := []struct {
		name, uri, ready string
		// drive, when set, takes the opened page to the state.
		drive func(t *testing.T, ctx context.Context)
	}{
		{"terms", termsURI, "#s-terms h1", nil},
		{"email", emailURI, "#f-email #email", nil},
		{"providers", providersURI, `#providers button[data-provider="999"]`, nil},
		{"credentials", credsURI, `#creds-fields input[name="password"]`, nil},
		{"progress", resume(progressID), "#sync-list li p", nil},
		{"step", resume(smsID), "#s-step #step-fields input", nil},
		{"decoupled", resume(decoupledID), "#s-decoupled #decoupled-message", nil},
		{"redirect", resume(redirectID), `#s-redirect #redirect-link[href^="https://auth.horizon.example/"]`, nil},
		{"result", resume(okID), "#s-result [data-documents]", nil},
		{"error", resume(downID), `#s-result [data-errno="4"] ~ button[data-action="retry"], #s-result li button[data-action="retry"]`, nil},
		{"wrongpassword", horizonURI, `#creds-fields input[aria-invalid="true"]`, func(t *testing.T, ctx context.Context) {
			jsType(t, ctx, `#creds-fields input[name="login"]`, "marie.dupont")
			jsType(t, ctx, `#creds-fields input[name="password"]`, "not-the-one")
			jsClick(t, ctx, "#creds-submit")
		}},
		{"statements", statementsURI, "#s-statements #stmt-files", nil},
		{"simplefin", simplefinURI, "#s-simplefin #sf-create", nil},
		{"edit", editURI, `#s-credentials #creds-fields input[name="password"]`, nil},
		{"status", statusURI, `#s-result [data-documents]`, nil},
		{"ended", endedURI, "h1", nil},
	}
	// Texts that say the state is the one wanted, in English.
	wants := map[string][2]string{
		"progress":      {"#sync-list", "3 accounts found"},
		"step":          {"#step-fields label", "SMS code"},
		"decoupled":     {"#decoupled-message", "Horizon app"},
		"result":        {"#result-list", "2 documents found"},
		"error":         {"#result-list", "unavailable right now"},
		"wrongpassword": {"#creds-fields", "Your bank refused this login"},
		"status":        {"#result-h", "Your connections"},
	}
	// The last step of the indicator on a result: its class and label.
	lastStep := map[string]string{"result": " Done", "error": "ko Not connected"}
	out := os.Getenv("ISWIGO_SCREENSHOTS")
	if out == "" {
		out = t.TempDir()
	}
	update := os.Getenv("ISWIGO_UPDATE_SCREENS") != ""
	bctx := browser(t, 4*time.Minute)
	for _, size := range [][2]int64{{320, 640}, {1280, 800}} {
		for _, dark := range []bool{false, true} {
			scheme := "light"
			if dark {
				scheme = "dark"
			}
			do(t, bctx, "emulate", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
					Width: size[0], Height: size[1], DeviceScaleFactor: 1, Mobile: size[0] < 600}); err != nil {
					return err
				}
				_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
					Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}, {Name: "prefers-reduced-motion", Value: "reduce"}}})
				return err
			}))
			for _, lang := range []string{"en", "fr"} {
				for _, s := range screens {
					name := fmt.Sprintf("%s-%s-%dx%d-%s", s.name, lang, size[0], size[1], scheme)
					do(t, bctx, "open "+name, chromedp.Navigate(s.uri+"&lang="+lang))
					if s.drive != nil {
						s.drive(t, bctx)
					}
					visible(t, bctx, s.ready)
					if w, ok := wants[s.name]; ok && lang == "en" {
						wantText(t, bctx, w[0], w[1])
					}
					if w, ok := lastStep[s.name]; ok && lang == "en" {
						if got := eval[string](t, bctx, `(function(li){return li.className + ' ' + li.textContent})(document.querySelector('#steps li[aria-current=step]'))`); got != w {
							t.Fatalf("%s: the current step is %q; want %q", name, got, w)
						}
					}
					if dark {
						if bg := eval[string](t, bctx, `getComputedStyle(document.documentElement).backgroundColor`); bg != "rgb(13, 17, 23)" {
							t.Fatalf("%s: dark background %s", name, bg)
						}
					}
					axeCheck(t, bctx, name)
					// No caret, no focus ring, no animation: the picture is
					// the same every time.
					eval[bool](t, bctx, `(document.activeElement && document.activeElement.blur && document.activeElement.blur(), true)`)
					if n := eval[int](t, bctx, `document.getAnimations().filter(function (a) { return a.playState === 'running'; }).length`); n != 0 {
						t.Fatalf("%s: %d animations run under prefers-reduced-motion", name, n)
					}
					pic, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					if err := os.WriteFile(filepath.Join(out, name+".png"), pic, 0o644); err != nil {
						t.Fatal(err)
					}
					ref := filepath.Join(screensDir, name+".png")
					if update {
						if err := os.MkdirAll(screensDir, 0o755); err != nil {
							t.Fatal(err)
						}
						if err := os.WriteFile(ref, pic, 0o644); err != nil {
							t.Fatal(err)
						}
						continue
					}
					want, err := os.ReadFile(ref)
					if err != nil {
						t.Fatalf("%s: no reference (ISWIGO_UPDATE_SCREENS=1 writes them): %v", name, err)
					}
					if share, err := pixelDiff(want, pic); err != nil || share > maxDiffShare {
						t.Errorf("%s differs from %s: %.2f%% of pixels, %v; see %s", name, ref, 100*share, err, filepath.Join(out, name+".png"))
					}
				}
			}
		}
	}
}

// horizonID is the provider of horizonBank.
const horizonID = 1700

// horizonBank is a bank of the screenshot test whose syncs stop in the
// state its login names, so that each screen of the funnel can be shown
// as long as needed: "progress…" narrates 3 accounts found, then waits;
// "decoupled…" and "redirect…" wait on their step; "down…" fails with
// errno 4; any other login with the password "secret1" finds three
// accounts and two documents; another password is refused (errno 2).
type horizonBank struct{}

func (horizonBank) Provider() iswigo.Provider {
	return iswigo.Provider{ID: horizonID, Name: "Banque Horizon", Country: "FR", Types: []string{"bank", "document"},
		Inputs: map[string]iswigo.InputSet{"default": {Inputs: []iswigo.Input{
			{Name: "login", Type: "text", Varname: "login", MinLength: 4, MaxLength: 32, Label: "Identifiant", Labels: map[string]string{"en": "Customer number", "fr": "Numéro client"}},
			{Name: "password", Type: "password", Varname: "password", MinLength: 6, MaxLength: 32, Label: "Mot de passe", Labels: map[string]string{"en": "Password", "fr": "Mot de passe"}},
		}}}}
}

func (horizonBank) Sync(ctx context.Context, s iswigo.SyncSession) error {
	login := s.Credentials()["login"]
	if s.Credentials()["password"] != "secret1" {
		return iswigo.Fail(iswigo.ErrnoWrongCredentials, "wrong password")
	}
	switch {
	case strings.HasPrefix(login, "progress"):
		if err := s.(iswigo.ProgressMessageSession).ProgressMessage(ctx, 40, "accounts_found", 3); err != nil {
			return err
		}
		<-ctx.Done()
		return ctx.Err()
	case strings.HasPrefix(login, "decoupled"):
		return s.(iswigo.DecoupledSession).Decoupled(ctx, "Open the Horizon app on your phone and approve the connection.", time.Hour,
			func(context.Context) (bool, error) { return false, nil })
	case strings.HasPrefix(login, "redirect"):
		_, err := s.(iswigo.RedirectSession).Redirect(ctx, func(ctx context.Context, callbackURL, state string) (string, error) {
			return "https://auth.horizon.example/authorize?client_id=iswigo", nil
		})
		return err
	case strings.HasPrefix(login, "down"):
		return iswigo.Fail(iswigo.ErrnoUnavailable, "the bank's website is down")
	}
	for _, a := range []struct{ key, typ, name, balance string }{
		{"1", iswigo.AccountTypeChecking, "Compte courant", "11435.78"},
		{"2", iswigo.AccountTypeSavings, "Livret A", "2540.10"},
		{"3", iswigo.AccountTypeLoan, "Prêt immobilier", "-94806.00"},
	} {
		m, err := iswigo.ParseAmount(a.balance, "EUR")
		if err != nil {
			return err
		}
		if err := s.PutAccount(ctx, &iswigo.ConnectorAccount{Key: a.key, Type: a.typ, Name: a.name, Balance: &m, Currency: "EUR"}); err != nil {
			return err
		}
	}
	for _, d := range []string{"2026-10", "2026-11"} {
		if err := s.PutDocument(ctx, &iswigo.ConnectorDocument{Key: d, Name: "Relevé " + d, Extension: "pdf", Mime: "application/pdf",
			Type: "document", CreatedAt: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}, strings.NewReader("%PDF-1.4\n%%EOF\n")); err != nil {
			return err
		}
	}
	return nil
}

// pixelDiff returns the share of pixels of two PNGs that differ by more
// than 24 on a channel; an error when their sizes differ.
func pixelDiff(a, b []byte) (float64, error) {
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		return 1, err
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return 1, err
	}
	if ia.Bounds() != ib.Bounds() {
		return 1, fmt.Errorf("size %v, want %v", ib.Bounds().Size(), ia.Bounds().Size())
	}
	r := ia.Bounds()
	diff := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if differs(ia, ib, x, y) {
				diff++
			}
		}
	}
	return float64(diff) / float64(r.Dx()*r.Dy()), nil
}

func differs(a, b image.Image, x, y int) bool {
	r1, g1, b1, _ := a.At(x, y).RGBA()
	r2, g2, b2, _ := b.At(x, y).RGBA()
	d := func(p, q uint32) bool { return p>>8 > q>>8+24 || q>>8 > p>>8+24 }
	return d(r1, r2) || d(g1, g2) || d(b1, b2)
}
