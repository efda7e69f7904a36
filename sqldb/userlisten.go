// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// usersChannel is the PostgreSQL notification channel of user changes;
// the payload is the user's id. UpdateUser and DeleteUser notify it in
// their transaction, so the notification goes out at commit.
const usersChannel = "iswigo_users"

// listenUsers keeps a connection of its own listening to usersChannel and
// drops each notified user from the cache, until ctx ends. The cache is
// on only while the connection listens: it is emptied and turned off when
// the connection breaks, and emptied again once listening anew (changes
// in between were not heard).
func (db *DB) listenUsers(ctx context.Context, url string) {
	defer close(db.listenDone)
	for ctx.Err() == nil {
		db.listenUsersOnce(ctx, url)
		db.users.setEnabled(false)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (db *DB) listenUsersOnce(ctx context.Context, url string) {
	connectCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	conn, err := pgx.Connect(connectCtx, url)
	cancel()
	if err != nil {
		return
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+usersChannel); err != nil {
		return
	}
	db.users.setEnabled(true)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return
		}
		db.users.invalidate(n.Payload)
	}
}
