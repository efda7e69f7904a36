// SPDX-License-Identifier: Apache-2.0

// Package iswigo holds the domain of the Iswigo aggregation server: its nouns
// (applications, users, providers, connections, accounts, transactions,
// documents, events), the errors a client may see, and the service
// interfaces that the storage, HTTP and job packages implement or consume.
// It depends on the standard library only.
package iswigo

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Error codes. Each maps to exactly one HTTP status in api/error.go.
const (
	ECONFLICT     = "conflict"     // 409
	EFORBIDDEN    = "forbidden"    // 403
	EINTERNAL     = "internal"     // 500
	EINVALID      = "invalid"      // 400
	ENOTFOUND     = "not_found"    // 404
	ETOOMANY      = "too_many"     // 429
	EUNAUTHORIZED = "unauthorized" // 401
	ETOOLARGE     = "too_large"    // 413
	EUNSUPPORTED  = "unsupported"  // 415
	ENOTALLOWED   = "not_allowed"  // 405
	EUNAVAILABLE  = "unavailable"  // 503
	EGONE         = "gone"         // 410: existed and ended (a deleted or expired funnel session)
	ETOOLONG      = "too_long"     // 414: a request target longer than the server reads
)

// Error is an error whose Message is safe to show to a client.
// Errors of any other type are internal: logged, and shown as
// "Internal server error".
type Error struct {
	Code    string
	Message string
	// RetryAfter, when positive, is the number of seconds a client should
	// wait before trying again (ETOOMANY).
	RetryAfter int
}

func (e *Error) Error() string {
	return fmt.Sprintf("iswigo error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted, client-safe message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the client-safe message of err: the Message of its
// *Error, or "Internal server error" for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal server error"
}

// Messages fixed by the reference.
const (
	MsgInvalidClient    = "Client or secret key is invalid"
	MsgInvalidToken     = "Invalid access token"
	MsgInvalidPassword  = "Invalid user password"
	MsgInvalidGrant     = "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."
	MsgStepNotAvailable = "Step not available"
)

// UserFailure is a known synchronization failure that carries words for
// the person: the provider's own message (what its website asks of them)
// and, when it gave one, the page where they can act. Err keeps the errno
// and the text for logs, which may hold details never shown. A connector
// returns it where it would return Fail; ErrnoOf sees through it.
type UserFailure struct {
	Err *ConnectorError
	// Message is one line of at most MaxUserMessage runes, "" for none.
	Message string
	// ActionURL is an absolute https URL (http only on a loopback host,
	// for tests), "" for none.
	ActionURL string
}

// MaxUserMessage bounds UserFailure.Message, in runes.
const MaxUserMessage = 500

// maxActionURL bounds UserFailure.ActionURL, in bytes.
const maxActionURL = 2048

func (e *UserFailure) Error() string {
	if e.Err == nil {
		return "user failure: " + e.Message
	}
	return e.Err.Error()
}

func (e *UserFailure) Unwrap() error {
	if e.Err == nil {
		return nil
	}
	return e.Err
}

// FailWithMessage returns a *UserFailure of errno: message and actionURL
// are for the person, the formatted text for logs. The message is made one
// line and cut to MaxUserMessage runes; an action URL that is not an
// absolute https URL (or http on a loopback host) is dropped.
func FailWithMessage(errno Errno, message, actionURL string, format string, args ...any) *UserFailure {
	return &UserFailure{Err: Fail(errno, format, args...), Message: OneLine(message, MaxUserMessage), ActionURL: CleanActionURL(actionURL)}
}

// UserFailureOf returns the message and action URL of the first
// *UserFailure in err's chain, cleaned as FailWithMessage does; "" and ""
// when there is none.
func UserFailureOf(err error) (message, actionURL string) {
	var uf *UserFailure
	if errors.As(err, &uf) {
		return OneLine(uf.Message, MaxUserMessage), CleanActionURL(uf.ActionURL)
	}
	return "", ""
}

// OneLine makes a provider's text fit a status field: control characters
// and runs of white space become one space, and at most max runes are kept.
func OneLine(s string, max int) string {
	var b strings.Builder
	n, space := 0, false
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError {
			space = true
			continue
		}
		if n >= max {
			break
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
			n++
		}
		space = false
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// CleanActionURL returns u when it is a URL a person may be sent to from
// a status: absolute, https (or http on a loopback host, LoopbackHost, for
// tests), with a host, no user information, no white space or control
// character, at most 2048 bytes. Anything else gives "".
func CleanActionURL(u string) string {
	if u == "" || len(u) > maxActionURL {
		return ""
	}
	for _, r := range u {
		if r <= ' ' || r == 0x7f || unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError {
			return ""
		}
	}
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || p.User != nil || p.Opaque != "" {
		return ""
	}
	switch p.Scheme {
	case "https":
		return u
	case "http":
		if LoopbackHost(p.Hostname()) {
			return u
		}
	}
	return ""
}
