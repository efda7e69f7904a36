// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/iswigo/iswigo"
)

var _ iswigo.EventService = (*DB)(nil)

// Hooks let the job engine act in the store's transactions, so that a job
// is committed, or rolled back, with the state it refers to.
type Hooks interface {
	// EnqueueSync inserts a sync job for the connection, unless one is
	// already queued or running (sync jobs are unique per connection):
	// then it adds none and reports that job.
	EnqueueSync(ctx context.Context, tx *sql.Tx, req iswigo.SyncRequest) (EnqueuedSync, error)
	// EventInserted is called for every event, in its transaction.
	EventInserted(ctx context.Context, tx *sql.Tx, e *iswigo.Event) error
}

// EnqueuedSync is what EnqueueSync did.
type EnqueuedSync struct {
	JobID int64
	// Existing: a job of the connection was queued or running already, and
	// JobID is that one.
	Existing bool
}

// insertEvent stores an event of app (and user, "" for none) in tx.
func (db *DB) insertEvent(ctx context.Context, tx *sql.Tx, appID, userID, typ string, data any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("event data: %w", err)
	}
	e := &iswigo.Event{ID: iswigo.NewID(), AppID: appID, UserID: userID, Type: typ, CreatedAt: db.Now().UTC(), Data: raw}
	if _, err := tx.ExecContext(ctx, `INSERT INTO events (id, app_id, user_id, type, created_at, data) VALUES ($1, $2, $3, $4, $5, $6)`,
		e.ID, e.AppID, nullString(e.UserID), e.Type, e.CreatedAt.UnixMicro(), string(raw)); err != nil {
		return fmt.Errorf("insert event: %w", err)
	}
	if db.Hooks != nil {
		return db.Hooks.EventInserted(ctx, tx, e)
	}
	return nil
}

// FindEvents implements iswigo.EventService.
func (db *DB) FindEvents(ctx context.Context, appID string, r iswigo.Range) ([]*iswigo.Event, int, error) {
	var total int
	if err := db.queryRowRead(ctx, `SELECT COUNT(*) FROM events WHERE app_id = $1`, appID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count events: %w", err)
	}
	if r.From >= total {
		return []*iswigo.Event{}, total, nil
	}
	events, err := db.queryEvents(ctx, `SELECT id, app_id, user_id, type, created_at, data FROM events
		WHERE app_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3`, appID, r.Limit(), r.From)
	return events, total, err
}

// FindEventByID implements iswigo.EventService.
func (db *DB) FindEventByID(ctx context.Context, appID, id string) (*iswigo.Event, error) {
	if !iswigo.ValidID(id) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Event not found")
	}
	events, err := db.queryEvents(ctx, `SELECT id, app_id, user_id, type, created_at, data FROM events
		WHERE app_id = $1 AND id = $2`, appID, id)
	if err != nil {
		return nil, err
	} else if len(events) == 0 {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Event not found")
	}
	return events[0], nil
}

func (db *DB) queryEvents(ctx context.Context, query string, args ...any) ([]*iswigo.Event, error) {
	rows, err := db.queryRead(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query events: %w", err)
	}
	defer rows.Close()
	events := []*iswigo.Event{}
	for rows.Next() {
		var e iswigo.Event
		var user sql.NullString
		var created int64
		var data string
		if err := rows.Scan(&e.ID, &e.AppID, &user, &e.Type, &created, &data); err != nil {
			return nil, fmt.Errorf("scan event: %w", err)
		}
		e.UserID, e.CreatedAt, e.Data = user.String, timeFromMicros(sql.NullInt64{Int64: created, Valid: true}), json.RawMessage(data)
		events = append(events, &e)
	}
	return events, rows.Err()
}

// statusEventData builds the data of a connection.status event.
func statusEventData(c *iswigo.Connection) iswigo.StatusEventData {
	d := iswigo.StatusEventData{ConnectionID: c.ID, UserID: c.UserID, Status: c.Status}
	switch c.Status {
	case iswigo.StatusWaitingUser:
		d.Step = &c.Step
		d.RedirectURL, d.Message = c.RedirectURL, c.StepMessage
	case iswigo.StatusInProgress:
		d.Progression = &c.Progression
	case iswigo.StatusError:
		d.Errno = &c.Errno
		d.Message, d.ActionURL = c.StepMessage, c.ActionURL
	}
	return d
}

// userEventData is the data of user.created and user.deleted.
type userEventData struct {
	UserID string `json:"user_id"`
}

// connectionEventData is the data of connection.created and connection.deleted.
type connectionEventData struct {
	ConnectionID string `json:"connection_id"`
	UserID       string `json:"user_id"`
	ProviderID   int    `json:"provider_id"`
}

// transactionsAddedData is the data of transactions.added.
type transactionsAddedData struct {
	ConnectionID string `json:"connection_id"`
	UserID       string `json:"user_id"`
	AccountID    string `json:"account_id"`
	Count        int    `json:"count"`
}

// documentsAddedData is the data of documents.added.
type documentsAddedData struct {
	ConnectionID string `json:"connection_id"`
	UserID       string `json:"user_id"`
	Count        int    `json:"count"`
}
