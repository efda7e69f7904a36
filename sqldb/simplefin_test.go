// SPDX-License-Identifier: Apache-2.0

package sqldb_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// TestSimpleFINClaimRace: of claims made at once, exactly one wins; the
// secrets are stored only as their hashes.
func TestSimpleFINClaimRace(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		app := newApp(t, db, "sfin")
		u := &iswigo.User{AppID: app.ID, Email: "race@example.com", PasswordHash: "h"}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		secret, hash := iswigo.NewSimpleFINSecret()
		tok := &iswigo.SimpleFINToken{AppID: app.ID, UserID: u.ID, ClaimHash: hash, ExpiresAt: time.Now().Add(time.Hour)}
		if err := db.CreateSimpleFINToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		won, lost := 0, 0
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				name := fmt.Sprintf("%032d", i) // a distinct user name per claimant
				_, err := db.ClaimSimpleFINToken(ctx, iswigo.SimpleFINHash(secret), name, iswigo.SimpleFINHash("pw"), time.Now())
				mu.Lock()
				defer mu.Unlock()
				switch iswigo.ErrorCode(err) {
				case "":
					won++
				case iswigo.EFORBIDDEN:
					lost++
				default:
					t.Errorf("claim %d: %v", i, err)
				}
			}(i)
		}
		wg.Wait()
		if won != 1 || lost != 7 {
			t.Fatalf("%d claims won, %d lost; want 1 and 7", won, lost)
		}
		var stored int
		if err := db.WriteDB().QueryRowContext(ctx, `SELECT COUNT(*) FROM simplefin_tokens
			WHERE claim_hash = $1 AND claim_hash <> $2 AND password_hash <> 'pw'`, hexOf(hash), secret).Scan(&stored); err != nil || stored != 1 {
			t.Fatalf("stored rows with hashes only: %d, %v", stored, err)
		}
		// Deleting the user takes its tokens.
		if err := db.DeleteUser(ctx, app.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		if tokens, err := db.FindSimpleFINTokens(ctx, app.ID, u.ID); err != nil || len(tokens) != 0 {
			t.Fatalf("tokens after the user's deletion: %v, %v", tokens, err)
		}
	})
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}
