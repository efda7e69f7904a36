// SPDX-License-Identifier: Apache-2.0

// Package mailtest provides an in-process SMTP server for tests of code that
// sends e-mail through [mail.Open].
package mailtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/iswigo/iswigo/mail"
)

// Server is an SMTP server listening on 127.0.0.1 that accepts every message,
// without authentication or TLS, and keeps it for [Server.Wait].
type Server struct {
	srv *smtp.Server
	url string

	mu       sync.Mutex
	closed   bool
	received []delivery    // not yet returned by Wait
	arrived  chan struct{} // closed, and replaced, when a message arrives
}

type delivery struct {
	rcpt string
	msg  mail.ParsedMessage
}

// NewServer starts a Server on a free port of 127.0.0.1 and stops it when t
// and its subtests have completed. It fails t if the server cannot start.
func NewServer(t testing.TB) *Server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	s := &Server{
		url:     "smtp://" + l.Addr().String(),
		arrived: make(chan struct{}),
	}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{server: s}, nil
	}))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout = time.Minute
	s.srv.WriteTimeout = time.Minute
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.ErrorLog = testLogger{s, t}
	go s.srv.Serve(l)
	t.Cleanup(func() {
		s.mu.Lock()
		s.closed = true // no t.Logf after this point
		s.mu.Unlock()
		s.srv.Close()
	})
	return s
}

// URL returns the smtp:// URL of s, without credentials, for [mail.Open].
func (s *Server) URL() string { return s.url }

// Wait returns the oldest message sent to the address to (compared without
// regard to case) that Wait has not returned yet, waiting up to timeout for
// one to arrive. It fails t with t.Fatalf on timeout, so it must be called
// from the goroutine running the test. A message with several recipients is
// returned once for each of them.
func (s *Server) Wait(t testing.TB, to string, timeout time.Duration) mail.ParsedMessage {
	t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		for i, d := range s.received {
			if strings.EqualFold(d.rcpt, to) {
				s.received = append(s.received[:i], s.received[i+1:]...)
				s.mu.Unlock()
				return d.msg
			}
		}
		arrived := s.arrived
		s.mu.Unlock()
		select {
		case <-arrived:
		case <-timer.C:
			t.Fatalf("mailtest: no message to %s within %v", to, timeout)
			return mail.ParsedMessage{}
		}
	}
}

// Pending returns the number of deliveries that Wait has not returned yet.
// Mail is sent synchronously by the mailer, so once the request that sends
// it has been answered, Pending counts it.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.received)
}

func (s *Server) deliver(rcpts []string, msg mail.ParsedMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range rcpts {
		s.received = append(s.received, delivery{r, msg})
	}
	close(s.arrived)
	s.arrived = make(chan struct{})
}

// session is one SMTP transaction.
type session struct {
	server *Server
	rcpts  []string
}

func (x *session) Reset()        { x.rcpts = nil }
func (x *session) Logout() error { return nil }

func (x *session) Mail(string, *smtp.MailOptions) error { return nil }

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.rcpts = append(x.rcpts, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	if len(x.rcpts) == 0 {
		return errors.New("no recipients")
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := mail.ParseMessage(bytes.NewReader(b))
	if err != nil {
		return &smtp.SMTPError{
			Code:         554,
			EnhancedCode: smtp.EnhancedCode{5, 6, 0},
			Message:      fmt.Sprintf("mailtest: unparseable message: %v", err),
		}
	}
	x.server.deliver(x.rcpts, msg)
	return nil
}

// testLogger forwards the server's errors to the test log until cleanup.
type testLogger struct {
	s *Server
	t testing.TB
}

func (l testLogger) Printf(format string, v ...any) {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	if !l.s.closed {
		l.t.Logf("mailtest: smtp server: "+format, v...)
	}
}

func (l testLogger) Println(v ...any) {
	l.Printf("%s", strings.TrimSuffix(fmt.Sprintln(v...), "\n"))
}
