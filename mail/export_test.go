// SPDX-License-Identifier: Apache-2.0

package mail

// Test-only helpers shared by the internal and external tests of package mail.

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log/slog"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// TestServerOptions configures StartTestServer.
type TestServerOptions struct {
	STARTTLS    bool // advertise STARTTLS with a self-signed certificate
	ImplicitTLS bool // speak TLS from the first byte (smtps)
	// Username and Password, when set, are required (AUTH PLAIN) before MAIL.
	Username, Password string
	// AllowInsecureAuth lets AUTH happen without TLS.
	AllowInsecureAuth bool
}

// TestDelivery is a message received by a TestServer.
type TestDelivery struct {
	From  string
	Rcpts []string
	Data  []byte
	User  string // authenticated user, if any
	TLS   bool   // whether the connection was TLS at DATA time
}

// TestAuthAttempt is one AUTH PLAIN exchange seen by a TestServer.
type TestAuthAttempt struct {
	Username, Password string
	TLS                bool
}

// TestServer is a go-smtp server on 127.0.0.1 for the tests of this package.
type TestServer struct {
	Addr       string // 127.0.0.1:port
	Deliveries chan TestDelivery

	mu    sync.Mutex
	auths []TestAuthAttempt
}

// Auths returns the AUTH attempts seen so far.
func (s *TestServer) Auths() []TestAuthAttempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]TestAuthAttempt(nil), s.auths...)
}

// StartTestServer starts a TestServer stopped by t.Cleanup.
func StartTestServer(t testing.TB, opts TestServerOptions) *TestServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &TestServer{Addr: l.Addr().String(), Deliveries: make(chan TestDelivery, 16)}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &testSession{ts: ts, opts: opts, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.AllowInsecureAuth = opts.AllowInsecureAuth
	srv.ErrorLog = slog.NewLogLogger(slog.DiscardHandler, slog.LevelError)
	if opts.STARTTLS || opts.ImplicitTLS {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{selfSigned(t)}}
	}
	if opts.ImplicitTLS {
		l = tls.NewListener(l, srv.TLSConfig)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return ts
}

// selfSigned returns a certificate for 127.0.0.1, localhost and
// mail.example.com that no client trusts.
func selfSigned(t testing.TB) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "mail test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:     []string{"localhost", "mail.example.com"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

type testSession struct {
	ts    *TestServer
	opts  TestServerOptions
	conn  *smtp.Conn
	user  string
	from  string
	rcpts []string
}

func (s *testSession) isTLS() bool {
	_, ok := s.conn.TLSConnectionState()
	return ok
}

func (s *testSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *testSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		s.ts.mu.Lock()
		s.ts.auths = append(s.ts.auths, TestAuthAttempt{username, password, s.isTLS()})
		s.ts.mu.Unlock()
		if username != s.opts.Username || password != s.opts.Password {
			return smtp.ErrAuthFailed
		}
		s.user = username
		return nil
	}), nil
}

func (s *testSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.opts.Username != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *testSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.rcpts = append(s.rcpts, to)
	return nil
}

func (s *testSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.ts.Deliveries <- TestDelivery{From: s.from, Rcpts: s.rcpts, Data: b, User: s.user, TLS: s.isTLS()}
	return nil
}

func (s *testSession) Reset()        { s.from, s.rcpts = "", nil }
func (s *testSession) Logout() error { return nil }

// SetDial replaces the dialer of an SMTP Mailer returned by Open.
func SetDial(m any, dial func(ctx context.Context, network, addr string) (net.Conn, error)) {
	m.(*smtpMailer).dial = dial
}

// SetTimeout replaces the DefaultTimeout of an SMTP Mailer returned by Open.
func SetTimeout(m any, d time.Duration) { m.(*smtpMailer).timeout = d }
