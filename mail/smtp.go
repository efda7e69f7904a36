// SPDX-License-Identifier: Apache-2.0

package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/smtp"
	"slices"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
)

// smtpMailer sends each message over its own SMTP connection.
type smtpMailer struct {
	addr               string // host:port
	host               string // for TLS verification and the loopback check
	implicitTLS        bool   // smtps
	insecureSkipVerify bool
	auth               bool
	username, password string
	redacted           string // the URL without password, for errors
	from               string
	timeout            time.Duration
	logger             *slog.Logger

	// dial, when set, replaces the network dialer (tests).
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Send delivers m, validating it first. It bounds the whole SMTP exchange
// by ctx's deadline, or by DefaultTimeout when ctx has none.
func (s *smtpMailer) Send(ctx context.Context, m iswigo.Message) error {
	rcpt, data, err := compose(s.from, m, time.Now())
	if err != nil {
		return err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.timeout)
		defer cancel()
	}
	toDomain := domain(rcpt)
	if err := s.send(ctx, rcpt, data); err != nil {
		// The connection's deadline may expire a moment before ctx's timer.
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = fmt.Errorf("%w (%w)", ctxErr, err)
		} else if deadline, _ := ctx.Deadline(); !time.Now().Before(deadline) {
			err = fmt.Errorf("%w (%w)", context.DeadlineExceeded, err)
		}
		return fmt.Errorf("mail: sending to a recipient at %s via %s: %w", toDomain, s.redacted, err)
	}
	s.logger.InfoContext(ctx, "mail sent", "to_domain", toDomain, "smtp_server", s.addr)
	return nil
}

func (s *smtpMailer) tlsConfig() *tls.Config {
	return &tls.Config{
		ServerName:         s.host,
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: s.insecureSkipVerify, // for tests only, see Open
	}
}

func (s *smtpMailer) connect(ctx context.Context) (net.Conn, error) {
	dialCtx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	dial := s.dial
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	conn, err := dial(dialCtx, "tcp", s.addr)
	if err != nil || !s.implicitTLS {
		return conn, err
	}
	tconn := tls.Client(conn, s.tlsConfig())
	if err := tconn.HandshakeContext(dialCtx); err != nil {
		conn.Close()
		return nil, err
	}
	return tconn, nil
}

func (s *smtpMailer) send(ctx context.Context, rcpt string, data []byte) error {
	conn, err := s.connect(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	// Cancelling ctx interrupts any pending read or write.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		return err
	}
	defer c.Close()
	if !s.implicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(s.tlsConfig()); err != nil {
				return fmt.Errorf("STARTTLS: %w", err)
			}
		}
	}
	if s.auth {
		if _, isTLS := c.TLSConnectionState(); !isTLS && !iswigo.LoopbackHost(s.host) {
			return fmt.Errorf("refusing to send credentials over an unencrypted connection to %s: "+
				"the server does not offer STARTTLS (use smtps://, or a loopback host)", s.host)
		}
		ok, mechs := c.Extension("AUTH")
		if !ok || !slices.Contains(strings.Fields(strings.ToUpper(mechs)), "PLAIN") {
			return errors.New("the server does not offer AUTH PLAIN")
		}
		if err := c.Auth(plainAuth{s.username, s.password}); err != nil {
			return fmt.Errorf("AUTH PLAIN: %w", err)
		}
	}
	fromAddr, err := parseFrom(s.from)
	if err != nil {
		return err
	}
	if err := c.Mail(fromAddr.Address); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	if err := c.Rcpt(rcpt); err != nil {
		return fmt.Errorf("RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	// The message is accepted: a failing QUIT does not matter.
	c.Quit()
	return nil
}

// plainAuth is the SASL PLAIN mechanism (RFC 4616). Unlike
// [smtp.PlainAuth] it leaves the decision to send credentials to the caller.
type plainAuth struct{ username, password string }

func (a plainAuth) Start(*smtp.ServerInfo) (string, []byte, error) {
	return "PLAIN", []byte("\x00" + a.username + "\x00" + a.password), nil
}

func (a plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("unexpected server challenge")
	}
	return nil, nil
}
