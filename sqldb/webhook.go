// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
)

// CreateWebhookEndpoint stores an endpoint of an application.
func (db *DB) CreateWebhookEndpoint(ctx context.Context, w *iswigo.WebhookEndpoint) error {
	w.ID, w.CreatedAt = iswigo.NewID(), db.Now().UTC()
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO webhook_endpoints (id, app_id, url, events, created_at) VALUES ($1, $2, $3, $4, $5)`,
			w.ID, w.AppID, w.URL, strings.Join(w.Events, ","), w.CreatedAt.UnixMicro())
		return err
	})
}

// FindWebhookEndpoints lists the endpoints of an app ("" for every app).
func (db *DB) FindWebhookEndpoints(ctx context.Context, appID string) ([]*iswigo.WebhookEndpoint, error) {
	rows, err := db.queryRead(ctx, `SELECT id, app_id, url, events, created_at FROM webhook_endpoints
		WHERE $1 = '' OR app_id = $1 ORDER BY created_at, id`, appID)
	if err != nil {
		return nil, fmt.Errorf("query webhook endpoints: %w", err)
	}
	defer rows.Close()
	var out []*iswigo.WebhookEndpoint
	for rows.Next() {
		w, err := scanEndpoint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

func scanEndpoint(row rowScanner) (*iswigo.WebhookEndpoint, error) {
	var w iswigo.WebhookEndpoint
	var events string
	var created int64
	if err := row.Scan(&w.ID, &w.AppID, &w.URL, &events, &created); err != nil {
		return nil, err
	}
	if events != "" {
		w.Events = strings.Split(events, ",")
	}
	w.CreatedAt = time.UnixMicro(created).UTC()
	return &w, nil
}

// DeleteWebhookEndpoint removes an endpoint; ENOTFOUND if absent.
func (db *DB) DeleteWebhookEndpoint(ctx context.Context, id string) error {
	var n int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM webhook_endpoints WHERE id = $1`, id)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return err
	} else if n == 0 {
		return iswigo.Errorf(iswigo.ENOTFOUND, "Webhook endpoint not found")
	}
	return nil
}

// CreateDeliveriesTx creates, in tx, one delivery of e to each URL that
// receives it: the application's webhook URL and its matching endpoints.
func (db *DB) CreateDeliveriesTx(ctx context.Context, tx *sql.Tx, e *iswigo.Event) ([]string, error) {
	type target struct{ endpointID, url string }
	var targets []target
	var appURL string
	if err := tx.QueryRowContext(ctx, `SELECT webhook_url FROM apps WHERE id = $1`, e.AppID).Scan(&appURL); err != nil {
		return nil, fmt.Errorf("app webhook: %w", err)
	}
	if appURL != "" {
		targets = append(targets, target{"", appURL})
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, app_id, url, events, created_at FROM webhook_endpoints WHERE app_id = $1`, e.AppID)
	if err != nil {
		return nil, fmt.Errorf("webhook endpoints: %w", err)
	}
	for rows.Next() {
		w, err := scanEndpoint(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if w.Accepts(e.Type) {
			targets = append(targets, target{w.ID, w.URL})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(targets) == 0 {
		return nil, err
	}
	payload, err := json.Marshal(e.Wire())
	if err != nil {
		return nil, err
	}
	now := db.now()
	ids := make([]string, 0, len(targets))
	for _, t := range targets {
		id := iswigo.NewID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_deliveries (id, app_id, event_id, event_type, endpoint_id, url,
			payload, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
			id, e.AppID, e.ID, e.Type, t.endpointID, t.url, string(payload), iswigo.DeliveryPending, now); err != nil {
			return nil, fmt.Errorf("insert delivery: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

const deliveryColumns = `id, app_id, event_id, event_type, endpoint_id, url, payload, status, created_at`

func scanDelivery(row rowScanner) (*iswigo.WebhookDelivery, error) {
	var d iswigo.WebhookDelivery
	var payload string
	var created int64
	if err := row.Scan(&d.ID, &d.AppID, &d.EventID, &d.EventType, &d.EndpointID, &d.URL, &payload, &d.Status, &created); err != nil {
		return nil, err
	}
	d.Payload, d.CreatedAt = []byte(payload), time.UnixMicro(created).UTC()
	return &d, nil
}

// FindDelivery returns a delivery; ENOTFOUND if absent.
func (db *DB) FindDelivery(ctx context.Context, id string) (*iswigo.WebhookDelivery, error) {
	d, err := scanDelivery(db.queryRowRead(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries WHERE id = $1`, id))
	if errNoRows(err) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Delivery not found")
	}
	return d, err
}

// RecordAttempt stores an attempt of a delivery and its new status.
func (db *DB) RecordAttempt(ctx context.Context, deliveryID string, a iswigo.WebhookAttempt, status string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_attempts (delivery_id, number, at, status_code, duration_us, error)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (delivery_id, number) DO NOTHING`,
			deliveryID, a.Number, a.At.UTC().UnixMicro(), a.StatusCode, a.Duration.Microseconds(), a.Error); err != nil {
			return fmt.Errorf("record attempt: %w", err)
		}
		_, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET status = $2, updated_at = $3 WHERE id = $1`, deliveryID, status, db.now())
		return err
	})
}

// FindDeliveries lists an app's deliveries, newest first, with their
// attempts; only failed ones when failedOnly. At most limit.
func (db *DB) FindDeliveries(ctx context.Context, appID string, failedOnly bool, limit int) ([]*iswigo.WebhookDelivery, error) {
	status := ""
	if failedOnly {
		status = iswigo.DeliveryFailed
	}
	rows, err := db.queryRead(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries WHERE app_id = $1
		AND ($2 = '' OR status = $2) ORDER BY id DESC LIMIT $3`, appID, status, limit)
	if err != nil {
		return nil, err
	}
	var out []*iswigo.WebhookDelivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, d := range out {
		arows, err := db.queryRead(ctx, `SELECT number, at, status_code, duration_us, error FROM webhook_attempts
			WHERE delivery_id = $1 ORDER BY number`, d.ID)
		if err != nil {
			return nil, err
		}
		for arows.Next() {
			var a iswigo.WebhookAttempt
			var at, dur int64
			if err := arows.Scan(&a.Number, &at, &a.StatusCode, &dur, &a.Error); err != nil {
				arows.Close()
				return nil, err
			}
			a.At, a.Duration = time.UnixMicro(at).UTC(), time.Duration(dur)*time.Microsecond
			d.Attempts = append(d.Attempts, a)
		}
		arows.Close()
	}
	return out, nil
}

// ReplayEvents creates new deliveries, in one transaction per event, for
// the app's events with that id or created at or after since, calling
// enqueue for each new delivery in the same transaction. It returns how
// many deliveries it created.
func (db *DB) ReplayEvents(ctx context.Context, eventID string, since time.Time, enqueue func(ctx context.Context, tx *sql.Tx, deliveryID string) error) (int, error) {
	var events []*iswigo.Event
	var err error
	if eventID != "" {
		events, err = db.queryEvents(ctx, `SELECT id, app_id, user_id, type, created_at, data FROM events WHERE id = $1`, eventID)
	} else {
		events, err = db.queryEvents(ctx, `SELECT id, app_id, user_id, type, created_at, data FROM events
			WHERE created_at >= $1 ORDER BY id`, since.UTC().UnixMicro())
	}
	if err != nil {
		return 0, err
	}
	if eventID != "" && len(events) == 0 {
		return 0, iswigo.Errorf(iswigo.ENOTFOUND, "Event not found")
	}
	n := 0
	for _, e := range events {
		err := db.inTx(ctx, func(tx *sql.Tx) error {
			ids, err := db.CreateDeliveriesTx(ctx, tx, e)
			if err != nil {
				return err
			}
			for _, id := range ids {
				if err := enqueue(ctx, tx, id); err != nil {
					return err
				}
			}
			n += len(ids)
			return nil
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
