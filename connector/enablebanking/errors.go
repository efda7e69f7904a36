// SPDX-License-Identifier: Apache-2.0

package enablebanking

import (
	"context"
	"errors"
	"net/http"

	"github.com/iswigo/iswigo"
)

// failure turns an error of the API into the sync's errno: the consent
// gone (401/403, expired, closed or revoked session) is 9; rate limits,
// the bank's own failures and unreachable servers are 4 (retried); the
// rest is 1. Only the status and error code are kept, never a body.
func failure(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var te *transportError
	if errors.As(err, &te) {
		return iswigo.Fail(iswigo.ErrnoUnavailable, "%s: Enable Banking unreachable", op)
	}
	var ae *apiError
	if !errors.As(err, &ae) {
		return err
	}
	switch {
	case ae.Code == "EXPIRED_SESSION" || ae.Code == "CLOSED_SESSION" || ae.Code == "REVOKED_SESSION" ||
		ae.Status == http.StatusUnauthorized || ae.Status == http.StatusForbidden:
		return iswigo.Fail(iswigo.ErrnoAuthExpired, "%s: %v", op, ae)
	case ae.Status == http.StatusTooManyRequests || ae.Code == "ASPSP_RATE_LIMIT_EXCEEDED":
		return iswigo.Fail(iswigo.ErrnoUnavailable, "%s: rate limited: %v", op, ae)
	case ae.Code == "ASPSP_ERROR" || ae.Code == "ASPSP_TIMEOUT" || ae.Status >= 500 || ae.Status == http.StatusRequestTimeout:
		return iswigo.Fail(iswigo.ErrnoUnavailable, "%s: bank unavailable: %v", op, ae)
	case ae.Code == "ASPSP_PSU_ACTION_REQUIRED":
		return iswigo.Fail(iswigo.ErrnoActionNeeded, "%s: %v", op, ae)
	case ae.Code == "WRONG_AUTHORIZATION_CODE" || ae.Code == "EXPIRED_AUTHORIZATION_CODE" || ae.Code == "ALREADY_AUTHORIZED":
		return iswigo.Fail(iswigo.ErrnoWrongStepAnswer, "%s: %v", op, ae)
	}
	return iswigo.Fail(iswigo.ErrnoBug, "%s: %v", op, ae)
}

// sessionGone reports whether err says the session cannot be used any more.
func sessionGone(err error) bool { return iswigo.ErrnoOf(err) == iswigo.ErrnoAuthExpired }
