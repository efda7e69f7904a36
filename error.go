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
