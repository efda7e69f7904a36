// SPDX-License-Identifier: Apache-2.0

package woob

import (
	"fmt"

	"github.com/iswigo/iswigo"
)

// errnoOfKind maps the bridge's error kinds (docs/woob.md) to errnos.
var errnoOfKind = map[string]iswigo.Errno{
	"incorrect_password":          iswigo.ErrnoWrongCredentials, // BrowserIncorrectPassword, a refused CONFIG
	"user_banned":                 iswigo.ErrnoLocked,           // BrowserUserBanned
	"action_needed":               iswigo.ErrnoActionNeeded,     // ActionNeeded
	"password_expired":            iswigo.ErrnoActionNeeded,     // BrowserPasswordExpired
	"auth_method_not_implemented": iswigo.ErrnoActionNeeded,     // AuthMethodNotImplemented
	"captcha":                     iswigo.ErrnoUnavailable,      // CaptchaQuestion: try again later
	"unavailable":                 iswigo.ErrnoUnavailable,      // BrowserUnavailable, ScrapingBlocked, BrowserForbidden, 5xx, connection errors
	"app_validation_expired":      iswigo.ErrnoStepTimeout,      // AppValidationExpired
	"app_validation_cancelled":    iswigo.ErrnoWrongStepAnswer,  // AppValidationCancelled, AppValidationError
	"wrong_answer":                iswigo.ErrnoWrongStepAnswer,  // BrowserIncorrectPassword after a step answer
	"need_interactive":            iswigo.ErrnoSCARequired,      // NeedInteractiveFor2FA, NeedInteractiveForRedirect
	"module_load":                 iswigo.ErrnoNotSupported,     // ModuleLoadError, a module no longer installed
	"not_found":                   iswigo.ErrnoBug,              // a UserError (AccountNotFound…)
	"memory":                      iswigo.ErrnoBug,              // MemoryError under the memory limit
	"bug":                         iswigo.ErrnoBug,              // any other exception
}

// forThePerson are the error kinds whose message is the website's words
// for the person (woob's ActionNeeded and its subclasses): they reach the
// connection's status, with the URL of the page where the person acts.
var forThePerson = map[string]bool{"action_needed": true, "password_expired": true, "auth_method_not_implemented": true}

// errorOf turns the bridge's error message into the sync's error. scrub
// removes the sync's secrets from a text (the bridge scrubbed already; this
// is the second guard). An action needed becomes an *iswigo.UserFailure:
// woob's message and URL go to the status, the kind and action type to the
// logs only; a URL holding a secret is dropped.
func errorOf(m message, scrub func(string) string) error {
	errno, ok := errnoOfKind[m.Kind]
	if !ok {
		return fmt.Errorf("%w: unknown error kind %q: %s", errBridge, m.Kind, scrub(m.Message))
	}
	msg := scrub(m.Message)
	logText := msg
	if logText == "" {
		logText = m.Kind
	}
	url := m.URL
	if url != "" && scrub(url) != url {
		url = ""
	}
	if url != "" {
		logText += " (" + url + ")"
	}
	if errno == iswigo.ErrnoBug {
		return fmt.Errorf("woob module: %s: %s", m.Kind, logText)
	}
	if forThePerson[m.Kind] {
		if m.Action != "" {
			logText += " [" + m.Kind + ", " + m.Action + "]"
		}
		return iswigo.FailWithMessage(errno, msg, url, "%s", logText)
	}
	return iswigo.Fail(errno, "%s", logText)
}
