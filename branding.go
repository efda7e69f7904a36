// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"math"
	"net/url"
	"strconv"
	"strings"
)

// AppBranding is how the funnel presents an application to its users.
// Every field is optional.
type AppBranding struct {
	// DisplayName is the name people know the application by (up to 64
	// characters); "" = the application's Name.
	DisplayName string
	// LogoURL, TermsURL and PrivacyURL are https URLs: the logo shown in
	// the funnel's header, the terms of service and the privacy policy
	// the terms screen links to.
	LogoURL, TermsURL, PrivacyURL string
	// AccentColor is a color "#rrggbb" for the funnel's primary buttons
	// and links; "" = the funnel's own. See ValidAccentColor.
	AccentColor string
}

// DarkBackground is the page color of the funnel's dark theme.
const DarkBackground = "#0d1117"

// MinTextContrast is WCAG 2's minimum contrast ratio for text (AA);
// MinUIContrast the one for the boundaries of controls (1.4.11).
const (
	MinTextContrast = 4.5
	MinUIContrast   = 3.0
)

// Validate returns EINVALID naming the first field that is wrong.
func (b AppBranding) Validate() error {
	if n := len([]rune(b.DisplayName)); n > 64 || strings.ContainsAny(b.DisplayName, "\r\n\t<>") {
		return Errorf(EINVALID, "Invalid display_name: at most 64 characters on one line, without < or >")
	}
	for _, f := range []struct{ name, v string }{{"logo_url", b.LogoURL}, {"terms_url", b.TermsURL}, {"privacy_url", b.PrivacyURL}} {
		if f.v == "" {
			continue
		}
		u, err := url.Parse(f.v)
		if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || len(f.v) > 1024 || strings.ContainsAny(f.v, " \"'<>\\") {
			return Errorf(EINVALID, "Invalid %s: want an https URL, got %q", f.name, f.v)
		}
	}
	if b.AccentColor != "" {
		if err := ValidAccentColor(b.AccentColor); err != nil {
			return err
		}
	}
	return nil
}

// ValidAccentColor checks that c ("#rrggbb") can carry white text
// (contrast at least MinTextContrast: primary buttons, and links on the
// white page) and that its controls stand out on the dark theme's
// background (at least MinUIContrast). 4.5:1 against both white and a
// dark background is impossible for any color unless the background is
// nearly black: the ratios multiply to at most 21.
func ValidAccentColor(c string) error {
	l, ok := luminance(c)
	if !ok {
		return Errorf(EINVALID, "Invalid accent_color: want #rrggbb, got %q", c)
	}
	dark, _ := luminance(DarkBackground)
	if r := contrast(l, 1); r < MinTextContrast {
		return Errorf(EINVALID, "Invalid accent_color: %s against white is %.2f:1, below %.1f:1 (too light)", c, r, MinTextContrast)
	}
	if r := contrast(l, dark); r < MinUIContrast {
		return Errorf(EINVALID, "Invalid accent_color: %s against the dark background %s is %.2f:1, below %.1f:1 (too dark)", c, DarkBackground, r, MinUIContrast)
	}
	return nil
}

// ContrastRatio returns the WCAG 2 contrast ratio of two "#rrggbb" colors
// (1 to 21), or 0 if one is malformed.
func ContrastRatio(a, b string) float64 {
	la, ok1 := luminance(a)
	lb, ok2 := luminance(b)
	if !ok1 || !ok2 {
		return 0
	}
	return contrast(la, lb)
}

func contrast(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	return (a + 0.05) / (b + 0.05)
}

// luminance returns the WCAG 2 relative luminance of "#rrggbb".
func luminance(c string) (float64, bool) {
	if len(c) != 7 || c[0] != '#' {
		return 0, false
	}
	v, err := strconv.ParseUint(c[1:], 16, 32)
	if err != nil {
		return 0, false
	}
	ch := func(x uint64) float64 {
		s := float64(x) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(v>>16&0xff) + 0.7152*ch(v>>8&0xff) + 0.0722*ch(v&0xff), true
}
