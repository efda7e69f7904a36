// SPDX-License-Identifier: Apache-2.0

package mail_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	netmail "net/mail"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/mail"
	"github.com/iswigo/iswigo/mail/mailtest"
)

const (
	code    = "739184"
	subject = "Code de vérification Iswigo — ça marche ?"
	body    = "Bonjour,\n\nVotre code de vérification est " + code + ".\n\n.Une ligne qui commence par un point.\n"
)

func newLogger() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})), &buf
}

// checkLog fails t if log holds a secret.
func checkLog(t *testing.T, log string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(log, s) {
			t.Errorf("log contains %q:\n%s", s, log)
		}
	}
}

func TestSMTPSend(t *testing.T) {
	srv := mailtest.NewServer(t)
	logger, logs := newLogger()
	m, err := mail.Open(srv.URL(), "Iswigo <no-reply@iswigo.example>", "", logger)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(t.Context(), iswigo.Message{To: "Alice@Example.org", Subject: subject, Body: body}); err != nil {
		t.Fatal(err)
	}
	got := srv.Wait(t, "alice@example.org", 5*time.Second)
	if got.To != "Alice@Example.org" || got.From != "no-reply@iswigo.example" || got.Subject != subject || got.Body != body {
		t.Errorf("got %+v", got)
	}
	if cte := got.Header.Get("Content-Transfer-Encoding"); cte != "quoted-printable" {
		t.Errorf("Content-Transfer-Encoding = %q", cte)
	}
	if !strings.HasSuffix(got.MessageID, "@iswigo.example>") {
		t.Errorf("Message-ID = %q", got.MessageID)
	}
	if time.Since(got.Date) > time.Minute {
		t.Errorf("Date = %v", got.Date)
	}
	if !strings.Contains(logs.String(), "mail sent") || !strings.Contains(logs.String(), "example.org") {
		t.Errorf("log lacks the sending record:\n%s", logs)
	}
	checkLog(t, logs.String(), code, "Alice")
}

func TestMailtestWait(t *testing.T) {
	srv := mailtest.NewServer(t)
	m, err := mail.Open(srv.URL(), "", "", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	// Wait blocks until the message arrives.
	done := make(chan struct{})
	defer func() { <-done }()
	go func() {
		defer close(done)
		time.Sleep(50 * time.Millisecond)
		for i, to := range []string{"other@example.com", "bob@example.com", "bob@example.com"} {
			if err := m.Send(context.Background(), iswigo.Message{To: to, Subject: "n" + string(rune('0'+i))}); err != nil {
				t.Error(err)
			}
		}
	}()
	if s := srv.Wait(t, "bob@example.com", 5*time.Second).Subject; s != "n1" {
		t.Errorf("first Wait: subject %q, want n1", s)
	}
	if s := srv.Wait(t, "BOB@example.com", 5*time.Second).Subject; s != "n2" {
		t.Errorf("second Wait: subject %q, want n2", s)
	}
	if s := srv.Wait(t, "other@example.com", 5*time.Second).Subject; s != "n0" {
		t.Errorf("third Wait: subject %q, want n0", s)
	}
}

func TestSMTPStartTLSAuth(t *testing.T) {
	const user, pass = "iswigo", "s3cr3t p@ss:w/rd"
	srv := mail.StartTestServer(t, mail.TestServerOptions{STARTTLS: true, Username: user, Password: pass})
	u := "smtp://iswigo:s3cr3t%20p%40ss%3Aw%2Frd@" + srv.Addr + "?insecure_skip_verify=true"
	logger, logs := newLogger()
	m, err := mail.Open(u, "no-reply@iswigo.example", "", logger)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(t.Context(), iswigo.Message{To: "carol@example.com", Subject: subject, Body: body}); err != nil {
		t.Fatal(err)
	}
	d := receive(t, srv)
	if d.User != user || !d.TLS || d.From != "no-reply@iswigo.example" || len(d.Rcpts) != 1 || d.Rcpts[0] != "carol@example.com" {
		t.Errorf("delivery: user %q, TLS %v, from %q, rcpts %q", d.User, d.TLS, d.From, d.Rcpts)
	}
	if auths := srv.Auths(); len(auths) != 1 || !auths[0].TLS || auths[0].Password != pass {
		t.Errorf("auth attempts: %+v", auths)
	}
	p, err := mail.ParseMessage(bytes.NewReader(d.Data))
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != subject || p.Body != body || p.To != "carol@example.com" {
		t.Errorf("got %+v", p)
	}

	// Wrong password: the error names neither the password nor the body.
	bad, err := mail.Open("smtp://iswigo:wrong-secret@"+srv.Addr+"?insecure_skip_verify=1", "", "", logger)
	if err != nil {
		t.Fatal(err)
	}
	err = bad.Send(t.Context(), iswigo.Message{To: "carol@example.com", Subject: "s", Body: code})
	if err == nil {
		t.Fatal("Send with a wrong password succeeded")
	}
	checkLog(t, err.Error(), "wrong-secret", code)

	// Without insecure_skip_verify, the self-signed certificate is refused.
	strict, err := mail.Open("smtp://iswigo:x@"+srv.Addr, "", "", logger)
	if err != nil {
		t.Fatal(err)
	}
	err = strict.Send(t.Context(), iswigo.Message{To: "carol@example.com", Subject: "s"})
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("Send to a self-signed server = %v, want a certificate error", err)
	}
	checkLog(t, logs.String(), pass, "s3cr3t", "wrong-secret", code)
}

func TestSMTPSImplicitTLS(t *testing.T) {
	srv := mail.StartTestServer(t, mail.TestServerOptions{ImplicitTLS: true, Username: "u", Password: "p"})
	m, err := mail.Open("smtps://u:p@"+srv.Addr+"?insecure_skip_verify=true", "", "", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(t.Context(), iswigo.Message{To: "dave@example.com", Subject: subject, Body: body}); err != nil {
		t.Fatal(err)
	}
	if d := receive(t, srv); d.User != "u" || !d.TLS {
		t.Errorf("delivery: user %q, TLS %v", d.User, d.TLS)
	}
}

func TestSMTPCredentialsNeedTLS(t *testing.T) {
	srv := mail.StartTestServer(t, mail.TestServerOptions{Username: "u", Password: "hunter2", AllowInsecureAuth: true})
	msg := iswigo.Message{To: "erin@example.com", Subject: "s", Body: body}

	// A remote host without STARTTLS: the credentials stay here.
	m, err := mail.Open("smtp://u:hunter2@mail.example.com:25", "", "", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	mail.SetDial(m, func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.Addr)
	})
	err = m.Send(t.Context(), msg)
	if err == nil || !strings.Contains(err.Error(), "unencrypted") {
		t.Errorf("Send = %v, want a refusal to authenticate in clear", err)
	} else {
		checkLog(t, err.Error(), "hunter2")
	}
	if a := srv.Auths(); len(a) != 0 {
		t.Errorf("the server saw AUTH: %+v", a)
	}

	// A loopback host: allowed in clear.
	m, err = mail.Open("smtp://u:hunter2@"+srv.Addr, "", "", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(t.Context(), msg); err != nil {
		t.Fatal(err)
	}
	if d := receive(t, srv); d.User != "u" || d.TLS {
		t.Errorf("delivery: user %q, TLS %v", d.User, d.TLS)
	}
}

func TestSMTPDeadline(t *testing.T) {
	// A server that accepts connections and never greets.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	m, err := mail.Open("smtp://"+l.Addr().String(), "", "", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	msg := iswigo.Message{To: "frank@example.com", Subject: "s"}

	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = m.Send(ctx, msg)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Errorf("Send = %v after %v, want DeadlineExceeded after 200ms", err, time.Since(start))
	}

	// Cancelling the context interrupts the exchange.
	ctx, cancel = context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	if err := m.Send(ctx, msg); !errors.Is(err, context.Canceled) {
		t.Errorf("Send = %v, want Canceled", err)
	}

	// Without a deadline in ctx, DefaultTimeout applies.
	mail.SetTimeout(m, 200*time.Millisecond)
	if err := m.Send(context.Background(), msg); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Send = %v, want DeadlineExceeded", err)
	}
}

func TestHeaderInjection(t *testing.T) {
	srv := mailtest.NewServer(t)
	dir := t.TempDir()
	smtpMailer, err := mail.Open(srv.URL(), "", "", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	outbox, err := mail.Open("", "", dir, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []iswigo.Mailer{smtpMailer, outbox} {
		for _, msg := range []iswigo.Message{
			{To: "victim@example.com\r\nBcc: evil@example.com", Subject: "s", Body: body},
			{To: "victim@example.com", Subject: "s\nBcc: evil@example.com", Body: body},
		} {
			err := m.Send(t.Context(), msg)
			if iswigo.ErrorCode(err) != iswigo.EINVALID {
				t.Errorf("%T.Send(%q, %q) = %v, want EINVALID", m, msg.To, msg.Subject, err)
			}
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("outbox holds %d files", len(entries))
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ url, from, dir string }{
		{"http://mail.example.com", "", ""},
		{"smtp+tls://mail.example.com", "", ""},
		{"mail.example.com:25", "", ""},
		{"smtp://", "", ""},
		{"smtp:mail.example.com", "", ""},
		{"smtp://mail.example.com/path", "", ""},
		{"smtp://mail.example.com:0", "", ""},
		{"smtp://mail.example.com:99999", "", ""},
		{"smtp://mail.example.com?insecure_skip_verify=maybe", "", ""},
		{"smtp://mail.example.com?tls=off", "", ""},
		{"smtp://u:p%zz@mail.example.com", "", ""},
		{"smtp://mail.example.com", "not an address", ""},
		{"smtp://mail.example.com", "a@example.com, b@example.com", ""},
		{"", "", ""},
		{"", "bad from", dir},
	} {
		if m, err := mail.Open(tc.url, tc.from, tc.dir, nil); err == nil {
			t.Errorf("Open(%q, %q, %q) = %T, want an error", tc.url, tc.from, tc.dir, m)
		} else if strings.Contains(err.Error(), "p%zz") {
			t.Errorf("Open error reveals the password: %v", err)
		}
	}
	for _, u := range []string{
		"smtp://mail.example.com", "smtp://u:p@mail.example.com:2525/", "smtps://mail.example.com",
		"smtp://[::1]:25?insecure_skip_verify=false", "smtp://u@localhost",
	} {
		if _, err := mail.Open(u, "Iswigo <a@b.example>", "", nil); err != nil {
			t.Errorf("Open(%q) = %v", u, err)
		}
	}
}

func TestOutbox(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	logger, logs := newLogger()
	m, err := mail.Open("", "", dir, logger)
	if err != nil {
		t.Fatal(err)
	}
	ob, ok := m.(*mail.Outbox)
	if !ok {
		t.Fatalf("Open returned a %T, want *mail.Outbox", m)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o700 {
		t.Errorf("outbox directory mode %v, want 0700", fi.Mode().Perm())
	}
	if msgs, err := ob.Messages(); err != nil || len(msgs) != 0 {
		t.Fatalf("empty outbox: Messages() = %v, %v", msgs, err)
	}

	for i := range 3 {
		msg := iswigo.Message{To: "grace@example.com", Subject: subject, Body: body + string(rune('0'+i))}
		if err := m.Send(t.Context(), msg); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 {
		t.Fatalf("outbox holds %d files, want 3", len(entries))
	}
	nameRE := regexp.MustCompile(`^\d{8}T\d{6}\.\d{9}Z-[A-Z2-7]{26}\.eml$`)
	for _, e := range entries {
		if !nameRE.MatchString(e.Name()) {
			t.Errorf("file name %q", e.Name())
		}
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", e.Name(), fi.Mode().Perm())
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		raw, err := netmail.ReadMessage(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		if got := raw.Header.Get("To"); got != "<grace@example.com>" {
			t.Errorf("%s: To = %q", e.Name(), got)
		}
		if !strings.Contains(logs.String(), e.Name()) {
			t.Errorf("log does not name %s:\n%s", e.Name(), logs)
		}
	}
	if !strings.Contains(logs.String(), `msg="mail written to outbox"`) {
		t.Errorf("log:\n%s", logs)
	}
	checkLog(t, logs.String(), code, "grace")

	msgs, err := ob.Messages()
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 3 {
		t.Fatalf("Messages() returned %d messages, want 3", len(msgs))
	}
	for i, p := range msgs {
		want := body + string(rune('0'+i))
		if p.To != "grace@example.com" || p.Subject != subject || p.Body != want || p.From != mail.DefaultFrom {
			t.Errorf("message %d: %+v", i, p)
		}
	}

	// Files that are not messages are ignored.
	if err := os.WriteFile(filepath.Join(dir, ".outbox-1.tmp"), []byte("partial"), 0o600); err != nil {
		t.Fatal(err)
	}
	if msgs, err := ob.Messages(); err != nil || len(msgs) != 3 {
		t.Errorf("Messages() = %d messages, %v", len(msgs), err)
	}
}

func TestOutboxZeroValue(t *testing.T) {
	ob := &mail.Outbox{Dir: filepath.Join(t.TempDir(), "a", "b")}
	if msgs, err := ob.Messages(); err != nil || msgs != nil {
		t.Fatalf("missing dir: Messages() = %v, %v", msgs, err)
	}
	if err := ob.Send(t.Context(), iswigo.Message{To: "heidi@example.com", Subject: "hi", Body: code}); err != nil {
		t.Fatal(err)
	}
	msgs, err := ob.Messages()
	if err != nil || len(msgs) != 1 || msgs[0].Body != code {
		t.Fatalf("Messages() = %+v, %v", msgs, err)
	}
	if err := (&mail.Outbox{}).Send(t.Context(), iswigo.Message{To: "heidi@example.com"}); err == nil {
		t.Error("Send with an empty Dir succeeded")
	}
}

func receive(t *testing.T, srv *mail.TestServer) mail.TestDelivery {
	t.Helper()
	select {
	case d := <-srv.Deliveries:
		return d
	case <-time.After(5 * time.Second):
		t.Fatal("no message delivered")
		return mail.TestDelivery{}
	}
}
