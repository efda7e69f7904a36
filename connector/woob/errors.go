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

// errorOf turns the bridge's error message into the sync's error. The
// message of an action needed carries woob's message and URL: both are the
// provider's words for the person, never a secret.
func errorOf(m message) error {
	errno, ok := errnoOfKind[m.Kind]
	if !ok {
		return fmt.Errorf("%w: unknown error kind %q: %s", errBridge, m.Kind, m.Message)
	}
	msg := m.Message
	if msg == "" {
		msg = m.Kind
	}
	if m.URL != "" {
		msg += " (" + m.URL + ")"
	}
	if errno == iswigo.ErrnoBug {
		return fmt.Errorf("woob module: %s: %s", m.Kind, msg)
	}
	return iswigo.Fail(errno, "%s", msg)
}
