// SPDX-License-Identifier: Apache-2.0

package iswigo

import "testing"

func TestContrastRatio(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21},
		{"#ffffff", "#ffffff", 1},
		{"#767676", "#ffffff", 4.54}, // the lightest grey that passes AA on white
	} {
		if got := ContrastRatio(c.a, c.b); got < c.want-0.01 || got > c.want+0.01 {
			t.Errorf("ContrastRatio(%s, %s) = %.3f; want %.2f", c.a, c.b, got, c.want)
		}
	}
}

func TestValidAccentColor(t *testing.T) {
	for c, ok := range map[string]bool{
		"#0969da": true,  // 5.2:1 on white, 3.6:1 on the dark background
		"#0b57d0": false, // 6.4:1 on white but 2.96:1 on the dark background
		"#1a7f37": true,  // green
		"#ffcc00": false, // yellow: white text unreadable
		"#777777": false, // 4.48:1 on white
		"#000080": false, // navy: invisible on the dark background
		"#0969DA": true,
		"0b57d0":  false,
		"#0b57d":  false,
		"#zzzzzz": false,
	} {
		if err := ValidAccentColor(c); (err == nil) != ok {
			t.Errorf("ValidAccentColor(%s) = %v; want ok %v", c, err, ok)
		}
	}
	if err := (AppBranding{LogoURL: "http://x.example/logo.png"}).Validate(); ErrorCode(err) != EINVALID {
		t.Errorf("http logo accepted: %v", err)
	}
	if err := (AppBranding{DisplayName: "Budget", LogoURL: "https://x.example/l.png", TermsURL: "https://x.example/t", PrivacyURL: "https://x.example/p", AccentColor: "#0969da"}).Validate(); err != nil {
		t.Errorf("valid branding refused: %v", err)
	}
}
