// SPDX-License-Identifier: Apache-2.0

package widget

import (
	"fmt"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/iswigo/iswigo"
)

func TestLanguage(t *testing.T) {
	for _, tc := range []struct{ target, accept, want string }{
		{"/widget/", "", "en"},
		{"/widget/?lang=fr", "", "fr"},
		{"/widget/?lang=fr-CA", "en", "fr"},
		{"/widget/?lang=de", "fr", "fr"},
		{"/widget/?lang=en", "fr", "en"},
		{"/widget/", "fr-FR,fr;q=0.9,en;q=0.8", "fr"},
		{"/widget/", "de-DE, en;q=0.5, fr;q=0.7", "fr"},
		{"/widget/", "de, en;q=0.9, fr;q=0.3", "en"},
		{"/widget/", "fr;q=0, en;q=0.1", "en"},
		{"/widget/", "FR", "fr"},
		{"/widget/", "fr;q=oops", "en"},
	} {
		r := httptest.NewRequest("GET", tc.target, nil)
		r.Header.Set("Accept-Language", tc.accept)
		if got := language(r); got != tc.want {
			t.Errorf("language(%s, Accept-Language %q) = %s; want %s", tc.target, tc.accept, got, tc.want)
		}
	}
}

// TestMessages checks that both languages have the same texts and that
// every text the page and its script ask for exists.
func TestMessages(t *testing.T) {
	for key := range messages["en"] {
		if messages["fr"][key] == "" {
			t.Errorf("no French text for %q", key)
		}
	}
	for key := range messages["fr"] {
		if messages["en"][key] == "" {
			t.Errorf("no English text for %q", key)
		}
	}
	for e := iswigo.ErrnoBug; e <= iswigo.ErrnoSCARequired; e++ {
		if messages["en"][fmt.Sprintf("errno_%d", e)] == "" {
			t.Errorf("no message for errno %d", e)
		}
	}
	used := map[string]bool{}
	for file, pattern := range map[string]string{
		"assets/flow.js":   `\bt\('([a-z_0-9]+)'`,
		"assets/page.html": `\.T "([a-z_0-9]+)"`,
	} {
		b, err := assetFS.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile(pattern).FindAllStringSubmatch(string(b), -1) {
			if !strings.HasSuffix(m[1], "_") { // a prefix, such as errno_
				used[m[1]] = true
			}
		}
	}
	if len(used) < 40 {
		t.Fatalf("found only %d texts in use: the patterns are stale", len(used))
	}
	for key := range used {
		if messages["en"][key] == "" {
			t.Errorf("the page uses the text %q, which does not exist", key)
		}
	}
}

func TestTitleSegments(t *testing.T) {
	got := titleSegments("Entrez le code pour <strong>%b%</strong> <em>(identifiant <strong>%i%</strong>)</em> &amp; <script>x</script><br>fin",
		"Bank <b>", "abc###xyz")
	want := []titleSegment{
		{Text: "Entrez le code pour "},
		{Text: "Bank <b>", Strong: true},
		{Text: " "},
		{Text: "(identifiant ", Em: true},
		{Text: "abc###xyz", Strong: true, Em: true},
		{Text: ")", Em: true},
		{Text: " & x fin"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("titleSegments:\n got %+v\nwant %+v", got, want)
	}
	if got := titleSegments("", "B", "i"); got != nil {
		t.Fatalf("empty title: %+v", got)
	}
}

func TestFrameAncestors(t *testing.T) {
	for _, tc := range []struct {
		origins []string
		want    string
	}{
		{nil, "'none'"},
		{[]string{"https://Shop.Example.com", "http://localhost:8080/"}, "https://shop.example.com http://localhost:8080"},
		{[]string{"https://a.example; script-src *", "javascript:alert(1)", "https://*.example.com", "https://u@b.example",
			"https://c.example/path", "ftp://d.example", "https://e.example?x=1"}, "'none'"},
	} {
		if got := frameAncestors(tc.origins); got != tc.want {
			t.Errorf("frameAncestors(%q) = %q; want %q", tc.origins, got, tc.want)
		}
	}
}

func TestInvalidField(t *testing.T) {
	for msg, want := range map[string]string{
		"Invalid login: at least 6 characters": "login",
		"Invalid parameter3: required":         "parameter3",
		"Invalid body: trailing data":          "body",
		"Invalid validation token":             "",
		"Step not available":                   "",
		"Invalid funnel session":               "",
	} {
		if got := invalidField(msg); got != want {
			t.Errorf("invalidField(%q) = %q; want %q", msg, got, want)
		}
	}
}
