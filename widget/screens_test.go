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
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/iswigo/iswigo"
)

// screensDir holds the committed reference screenshots. Regenerate them
// with ISWIGO_UPDATE_SCREENS=1 (then review the images in the diff).
const screensDir = "testdata/screens"

// maxDiffShare is the share of pixels that may differ from a reference
// (antialiasing); a pixel differs when a channel moves by more than 24.
const maxDiffShare = 0.005

// TestScreenshots photographs every screen reachable without a sync at
// 320×640 and 1280×800, light and dark, in English and French, writes the
// PNGs to $ISWIGO_SCREENSHOTS (else a temporary folder) and compares them
// with the references in testdata/screens: a change of look is a reviewed
// change of those files.
func TestScreenshots(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	fresh, fc := e.user(t, "paul@example.com")
	_ = fresh
	_, termsURI := e.session(t, fc, map[string]any{"action": "create", "type": "bank"})
	mailUser, mc := e.user(t, "rose@example.com")
	mailUser.TermsOfService = iswigo.DateOf(time.Now())
	if err := e.db.UpdateUser(ctx, mailUser); err != nil {
		t.Fatal(err)
	}
	_, emailURI := e.session(t, mc, map[string]any{"action": "create", "type": "bank"})
	_, rc := e.readyUser(t, "yann@example.com")
	_, providersURI := e.session(t, rc, map[string]any{"action": "create", "type": "bank"})
	_, credsURI := e.session(t, rc, map[string]any{"action": "create", "provider": 999})
	sid, endedURI := e.session(t, rc, map[string]any{"action": "create", "type": "bank"})
	if err := rc.DeleteFunnelSession(ctx, sid); err != nil {
		t.Fatal(err)
	}
	screens := []struct{ name, uri, ready string }{
		{"terms", termsURI, "#s-terms h1"},
		{"email", emailURI, "#f-email #email"},
		{"providers", providersURI, `#providers button[data-provider="999"]`},
		{"credentials", credsURI, `#creds-fields input[name="password"]`},
		{"ended", endedURI, "h1"},
	}
	out := os.Getenv("ISWIGO_SCREENSHOTS")
	if out == "" {
		out = t.TempDir()
	}
	update := os.Getenv("ISWIGO_UPDATE_SCREENS") != ""
	bctx := browser(t, 3*time.Minute)
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
					visible(t, bctx, s.ready)
					if dark {
						if bg := eval[string](t, bctx, `getComputedStyle(document.documentElement).backgroundColor`); bg != "rgb(13, 17, 23)" {
							t.Fatalf("%s: dark background %s", name, bg)
						}
					}
					axeCheck(t, bctx, name)
					// No caret, no focus ring: the picture is the same every time.
					eval[bool](t, bctx, `(document.activeElement && document.activeElement.blur && document.activeElement.blur(), true)`)
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
