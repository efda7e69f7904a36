// SPDX-License-Identifier: Apache-2.0

package mail

import (
	"bytes"
	"errors"
	netmail "net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
)

func TestComposeFormat(t *testing.T) {
	now := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	subject := "Votre code de vérification — ünïcödé " + strings.Repeat("très long sujet ", 8)
	body := "Bonjour,\n\nVotre code : 123456\n" + strings.Repeat("é=à ", 40) + "\n.\n.leading dot\nFrom here\ntrailing space \ntab\t\n"
	rcpt, data, err := compose("Iswigo <no-reply@Example.com>", iswigo.Message{To: "Alice <alice@example.org>", Subject: subject, Body: body}, now)
	if err != nil {
		t.Fatal(err)
	}
	if rcpt != "alice@example.org" {
		t.Errorf("rcpt = %q", rcpt)
	}
	if !bytes.HasSuffix(data, []byte("\r\n")) {
		t.Errorf("message does not end with CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n") {
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i, line)
		}
		if len(line) > maxHeaderLine {
			t.Errorf("line %d is %d bytes long: %q", i, len(line), line)
		}
		for _, c := range []byte(line) {
			if c >= 0x80 {
				t.Fatalf("line %d is not 7-bit: %q", i, line)
			}
		}
	}

	msg, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{
		"From":                      `"Iswigo" <no-reply@Example.com>`,
		"To":                        `"Alice" <alice@example.org>`,
		"Date":                      "Fri, 02 Jan 2026 15:04:05 +0000",
		"MIME-Version":              "1.0",
		"Content-Type":              "text/plain; charset=utf-8",
		"Content-Transfer-Encoding": "quoted-printable",
	} {
		if got := msg.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if id := msg.Header.Get("Message-ID"); !regexp.MustCompile(`^<[A-Z2-7]{26}@example\.com>$`).MatchString(id) {
		t.Errorf("Message-ID = %q", id)
	}
	if raw := msg.Header.Get("Subject"); !strings.HasPrefix(raw, "=?utf-8?q?") {
		t.Errorf("raw Subject = %q, want Q-encoded words", raw)
	}

	p, err := ParseMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != subject || p.Body != body || p.To != "alice@example.org" || p.From != "no-reply@Example.com" || !p.Date.Equal(now) {
		t.Errorf("round trip:\n got %+v\nwant subject %q body %q", p, subject, body)
	}
}

func TestComposeRoundTrip(t *testing.T) {
	for _, tc := range []struct{ subject, body, want string }{
		{"", "", ""},
		{"plain ascii", "no final newline", "no final newline"},
		{"x", "trailing space ", "trailing space "},
		{"x", "ends with equals=", "ends with equals="},
		{"x", "crlf\r\nand lone cr\rend\r\n", "crlf\nand lone cr\nend\n"},
		{"x", strings.Repeat("a", 200), strings.Repeat("a", 200)},
		{"x", strings.Repeat("€", 100) + "\n\n\n", strings.Repeat("€", 100) + "\n\n\n"},
		{"tab\tand  double  spaces", "\n", "\n"},
		{strings.Repeat("word ", 40), "invalid utf-8: \xff", "invalid utf-8: \uFFFD"},
	} {
		_, data, err := compose("", iswigo.Message{To: "bob@example.net", Subject: tc.subject, Body: tc.body}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		p, err := ParseMessage(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if p.Body != tc.want {
			t.Errorf("body %q: got %q, want %q", tc.body, p.Body, tc.want)
		}
		// Unfolding collapses the whitespace at a fold.
		if p.Subject != tc.subject && len(tc.subject) <= 60 {
			t.Errorf("subject %q: got %q", tc.subject, p.Subject)
		}
		if p.From != DefaultFrom {
			t.Errorf("From = %q, want %q", p.From, DefaultFrom)
		}
	}
}

func TestComposeRejects(t *testing.T) {
	for _, m := range []iswigo.Message{
		{To: "victim@example.com\r\nBcc: evil@example.com", Subject: "s"},
		{To: "victim@example.com\nBcc: evil@example.com", Subject: "s"},
		{To: "victim@example.com", Subject: "s\r\nBcc: evil@example.com"},
		{To: "victim@example.com", Subject: "s\rX-Evil: 1"},
		{To: "not an address", Subject: "s"},
		{To: "a@example.com, b@example.com", Subject: "s"},
		{To: "", Subject: "s"},
	} {
		_, _, err := compose("", m, time.Now())
		var e *iswigo.Error
		if !errors.As(err, &e) || e.Code != iswigo.EINVALID {
			t.Errorf("compose(%q, %q) = %v, want an EINVALID *iswigo.Error", m.To, m.Subject, err)
		}
	}
	if _, _, err := compose("bad\r\nfrom@example.com", iswigo.Message{To: "a@example.com"}, time.Now()); err == nil {
		t.Error("compose accepted a from address with a line break")
	}
}

func TestOutboxNames(t *testing.T) {
	var last time.Time
	for range 1000 {
		now := outboxNow()
		if !now.After(last) {
			t.Fatalf("outboxNow went from %v to %v", last, now)
		}
		last = now
	}
	name := time.Date(2026, 1, 2, 15, 4, 5, 6, time.UTC).Format(outboxTimeFormat)
	if name != "20260102T150405.000000006Z" {
		t.Errorf("name = %q", name)
	}
}
