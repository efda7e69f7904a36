// SPDX-License-Identifier: Apache-2.0

package job

import (
	"context"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/sqldb"
)

// lapsedConsent returns errno 9 for a background sync of a connection
// whose consent has lapsed: only the person can renew it (the funnel's
// edit action, an interactive sync), so the connector is not even run.
func lapsedConsent(s *sqldb.Sync, interactive bool) error {
	if interactive || !s.ConsentLapsed() {
		return nil
	}
	return iswigo.Fail(iswigo.ErrnoAuthExpired, "consent expired at %s", s.Connection().ConsentExpiration.Format(time.RFC3339))
}

// announceConsents emits connection.consent_expiring for the consents
// lapsing within ConsentWarning (part of the periodic scan).
func (e *Engine) announceConsents(ctx context.Context, now time.Time) {
	n, err := e.db.AnnounceExpiringConsents(ctx, now, e.cfg.ConsentWarning, scanBatch)
	if err != nil {
		e.cfg.Logger.Error("announce expiring consents", "error", err)
	} else if n > 0 {
		e.cfg.Logger.Info("consents expiring announced", "count", n)
	}
}
