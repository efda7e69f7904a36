// SPDX-License-Identifier: Apache-2.0

package widget_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/iswigo/iswigo"
)

// TestBankMessageOnError: a connection in error whose bank said what it
// asks (Sandbox Bank's action… login: errno 3 with a message, no page)
// shows the bank's words on the result screen, in French here, with no
// link to a website it did not give; the screen passes axe.
func TestBankMessageOnError(t *testing.T) {
	e := newEnv(t)
	u, c := e.readyUser(t, "ada@example.com")
	conn := &iswigo.Connection{AppID: e.app.ID, UserID: u.ID, ProviderID: 999, AutomaticSync: true,
		Credentials: map[string]string{"login": "action-terms", "password": "123456"}}
	if err := e.db.CreateConnection(context.Background(), conn); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, e, u, conn.ID, iswigo.StatusError)
	ctx := browser(t, 30*time.Second)

	_, uri := e.session(t, c, map[string]any{"action": "status"})
	do(t, ctx, "open a status session in French", chromedp.Navigate(uri+"&lang=fr"))
	visible(t, ctx, `#result-list [data-errno="3"]`)
	wantText(t, ctx, "#result-list [data-bank-message]", "Message de votre banque : Sandbox Bank has new terms of service")
	if n := eval[int](t, ctx, `document.querySelectorAll('#result-list a[data-action="bank"]').length`); n != 0 {
		t.Fatalf("%d links to the bank's website; it gave none", n)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#result-list button[data-action="retry"]').length`); n != 1 {
		t.Fatalf("%d retry buttons for errno 3; want 1", n)
	}
	shot(t, ctx, "18-fr-bank-message")
	axeCheck(t, ctx, "18-fr-bank-message")
}
