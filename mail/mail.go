// SPDX-License-Identifier: Apache-2.0

// Package mail implements [iswigo.Mailer]: an SMTP client for production and
// a file outbox for the embedded default and for tests.
//
// Both write the same RFC 5322 message: a single text/plain part in UTF-8,
// quoted-printable encoded, with CRLF line endings; invalid UTF-8 in the
// subject or body becomes U+FFFD. Both refuse, with an [iswigo.EINVALID]
// *iswigo.Error, a message whose To is not a single address as understood by
// [net/mail.ParseAddress] or whose To or Subject contains CR or LF (header
// injection). Neither logs the message body (it carries validation codes)
// nor the SMTP password; logs name the recipient's domain at most.
package mail

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/iswigo/iswigo"
)

// DefaultFrom is the sender address used when none is configured.
const DefaultFrom = "iswigo@localhost"

// DefaultTimeout bounds one SMTP Send when its context has no deadline.
const DefaultTimeout = 15 * time.Second

// dialTimeout bounds the TCP (and, for smtps, TLS) connection set-up.
const dialTimeout = 10 * time.Second

// Open returns the Mailer configured by smtpURL.
//
// An empty smtpURL selects an [*Outbox] writing to outboxDir, which Open
// creates (mode 0700) if needed; outboxDir must then be non-empty.
//
// Otherwise Open returns an SMTP Mailer. Its Send opens one connection per
// message and bounds the whole exchange by the deadline of its context, or
// by [DefaultTimeout] when the context has none; smtpURL has the form
//
//	smtp://[user:password@]host[:port][?insecure_skip_verify=true]
//	smtps://[user:password@]host[:port][?insecure_skip_verify=true]
//
// The smtp scheme connects to port 587 by default and upgrades the
// connection with STARTTLS whenever the server offers it; smtps uses implicit
// TLS on port 465 by default. User and password must be URL-escaped. When
// credentials are given, Send authenticates with AUTH PLAIN, but only over
// TLS or to a loopback host (localhost, 127.0.0.0/8, ::1); in any other case
// Send fails without sending them. The insecure_skip_verify parameter
// disables the verification of the server certificate: it exists for tests
// against self-signed servers and must not be used in production. Any other
// scheme, parameter, path or fragment is an error.
//
// from is the From address of every message, in the syntax of
// [net/mail.ParseAddress] (for instance "Iswigo <no-reply@example.com>");
// empty means [DefaultFrom]. A nil logger means [slog.Default].
//
// Errors returned by Open never contain the password.
func Open(smtpURL, from, outboxDir string, logger *slog.Logger) (iswigo.Mailer, error) {
	if from == "" {
		from = DefaultFrom
	}
	if _, err := parseFrom(from); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.Default()
	}
	if smtpURL == "" {
		if outboxDir == "" {
			return nil, errors.New("mail: neither an SMTP URL nor an outbox directory is configured")
		}
		if err := mkdirOutbox(outboxDir); err != nil {
			return nil, err
		}
		return &Outbox{Dir: outboxDir, From: from, Logger: logger}, nil
	}
	return openSMTP(smtpURL, from, logger)
}

func openSMTP(smtpURL, from string, logger *slog.Logger) (*smtpMailer, error) {
	// url.Parse errors quote the whole URL, password included: do not wrap.
	u, err := url.Parse(smtpURL)
	if err != nil {
		return nil, errors.New("mail: invalid SMTP URL")
	}
	m := &smtpMailer{from: from, logger: logger, timeout: DefaultTimeout}
	var defaultPort string
	switch u.Scheme {
	case "smtp":
		defaultPort = "587"
	case "smtps":
		defaultPort = "465"
		m.implicitTLS = true
	default:
		return nil, fmt.Errorf("mail: unsupported SMTP URL scheme %q (want smtp or smtps)", u.Scheme)
	}
	safe := u.Redacted()
	if u.Opaque != "" || u.Host == "" {
		return nil, fmt.Errorf("mail: SMTP URL %s has no host", safe)
	}
	if (u.Path != "" && u.Path != "/") || u.Fragment != "" {
		return nil, fmt.Errorf("mail: SMTP URL %s must not have a path or fragment", safe)
	}
	m.host = u.Hostname()
	if m.host == "" {
		return nil, fmt.Errorf("mail: SMTP URL %s has no host", safe)
	}
	port := u.Port()
	if port == "" {
		port = defaultPort
	} else if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return nil, fmt.Errorf("mail: SMTP URL %s has an invalid port", safe)
	}
	m.addr = net.JoinHostPort(m.host, port)
	if u.User != nil {
		m.username = u.User.Username()
		m.password, _ = u.User.Password()
		m.auth = true
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("mail: SMTP URL %s has an invalid query", safe)
	}
	for k, v := range q {
		switch k {
		case "insecure_skip_verify":
			b, err := strconv.ParseBool(v[len(v)-1])
			if err != nil {
				return nil, fmt.Errorf("mail: SMTP URL %s: insecure_skip_verify must be a boolean", safe)
			}
			m.insecureSkipVerify = b
		default:
			return nil, fmt.Errorf("mail: SMTP URL %s: unknown parameter %q", safe, k)
		}
	}
	m.redacted = safe
	return m, nil
}
