// SPDX-License-Identifier: Apache-2.0

package widget_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/internal/servertest"
	"github.com/iswigo/iswigo/widget"
)

// Statement files of the funnel test, as banks export them.
const (
	qifJanuary = "!Type:Bank\nD02/01/2026\nT2,500.00\nPACME SARL\n^\nD05/01/2026\nT-3.50\nPCafe du coin\n^\n" +
		"D05/01/2026\nT-3.50\nPCafe du coin\n^\nD13/01/2026\nT-45.90\nPCarrefour\n^\nD20/01/2026\nT-800.00\nPLoyer\n^\n"
	qifBadDate = "!Type:Bank\nD31/31/2026\nT-1.00\nPx\n^\n"
	qifOverlap = "!Type:Bank\nD05/01/2026\nT-3.50\nPCafe du coin\n^\nD20/01/2026\nT-800.00\nPLoyer\n^\n" +
		"D02/02/2026\nT2,500.00\nPACME SARL\n^\nD13/02/2026\nT-61.20\nPPharmacie\n^\n"
)

func newStatementEnv(t *testing.T) *testEnv {
	return newEnvWith(t, func(o *servertest.Options) { o.Statements = true })
}

// TestStatementFunnel imports statement files through the funnel in
// Chromium, with the keyboard: the provider's file picker instead of
// credentials, three files at once (one refused with its line), each with
// its outcome, then the result screen; then an edit session adds a file by
// drag and drop, which was imported already.
func TestStatementFunnel(t *testing.T) {
	e := newStatementEnv(t)
	u, c := e.readyUser(t, "statements@example.com")
	_, uri := e.session(t, c, map[string]any{"action": "create", "type": "bank"})
	dir := t.TempDir()
	var paths []string
	for name, data := range map[string]string{"1-janvier.qif": qifJanuary, "2-bad.qif": qifBadDate, "3-fevrier.qif": qifOverlap} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	slices.Sort(paths)
	ctx := browser(t, 60*time.Second)
	problems := consoleProblems(ctx)
	do(t, ctx, "open the flow", chromedp.Navigate(uri))
	visible(t, ctx, "#s-providers")
	typeIn(t, ctx, "#search", "statement")
	until(t, ctx, `!!document.querySelector('#providers button[data-provider="900"]') && document.querySelectorAll('#providers button').length === 1`)
	click(t, ctx, `#providers button[data-provider="900"]`)

	visible(t, ctx, "#s-statements")
	wantText(t, ctx, "#stmt-h", "Import statements into Statement import")
	if eval[bool](t, ctx, `!!document.querySelector('#s-credentials:not([hidden])')`) {
		t.Fatal("the credentials form shows for a provider fed by files")
	}
	// Nothing chosen: the field says so and keeps the focus.
	do(t, ctx, "submit without files", chromedp.Focus(chromedp.CSS("#stmt-submit")), chromedp.KeyEvent("\r"))
	wantText(t, ctx, "#stmt-files-err", "Choose at least one file.")
	until(t, ctx, `document.activeElement === document.getElementById('stmt-files')`)

	do(t, ctx, "choose three files", chromedp.SetUploadFiles(chromedp.CSS("#stmt-files"), paths))
	until(t, ctx, `document.querySelectorAll('#stmt-list [data-stmt-state="ready"]').length === 3`)
	shot(t, ctx, "statements-1-chosen")
	do(t, ctx, "import with the keyboard", chromedp.Focus(chromedp.CSS("#stmt-submit")), chromedp.KeyEvent("\r"))
	until(t, ctx, `document.querySelectorAll('#stmt-list [data-stmt-state="imported"]').length === 2`)
	rows := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#stmt-list li')).map(function(li){return li.textContent})`)
	for i, want := range []string{"1-janvier.qif5 new transactions, 0 already known.",
		"2-bad.qifNot imported: Invalid statement file: qif: line 2", "3-fevrier.qif2 new transactions, 2 already known."} {
		if !strings.HasPrefix(rows[i], want) {
			t.Errorf("row %d = %q, want it to start with %q", i, rows[i], want)
		}
	}
	shot(t, ctx, "statements-2-outcomes")
	until(t, ctx, `document.activeElement === document.getElementById('stmt-continue')`)
	if style := eval[string](t, ctx, `getComputedStyle(document.activeElement).outlineStyle`); style == "none" {
		t.Fatal("the continue button has the focus but no visible outline")
	}
	do(t, ctx, "continue", chromedp.KeyEvent("\r"))
	visible(t, ctx, "#s-result")
	wantText(t, ctx, "#result-h", "Your accounts are connected")
	wantText(t, ctx, "#result-list", "Imported account")

	conns, _, err := e.db.FindConnections(context.Background(), iswigo.ConnectionFilter{AppID: e.app.ID, UserID: u.ID,
		Range: iswigo.Range{From: 0, To: 9}})
	if err != nil || len(conns) != 1 || conns[0].ProviderID != iswigo.ProviderIDStatements || conns[0].AutomaticSync {
		t.Fatalf("connections = %+v, %v; want one statement import connection without background sync", conns, err)
	}

	// An edit session of that connection: the January file dropped again.
	_, uri = e.session(t, c, map[string]any{"action": "edit", "connections": []string{conns[0].ID}})
	do(t, ctx, "open the edit flow", chromedp.Navigate(uri))
	visible(t, ctx, "#s-statements")
	eval[chromedp.Void](t, ctx, `(function(){var dt=new DataTransfer();dt.items.add(new File([`+jsString(qifJanuary)+`],'again.qif'));
		var z=document.getElementById('stmt-drop');z.dispatchEvent(new DragEvent('dragover',{dataTransfer:dt,bubbles:true,cancelable:true}));
		z.dispatchEvent(new DragEvent('drop',{dataTransfer:dt,bubbles:true,cancelable:true}))})()`)
	until(t, ctx, `document.querySelectorAll('#stmt-list [data-stmt-state="ready"]').length === 1`)
	click(t, ctx, "#stmt-submit")
	wantText(t, ctx, "#stmt-list", "Already imported: nothing new.")
	visible(t, ctx, "#stmt-continue")
	for _, p := range problems() {
		if !strings.Contains(p, "status of 400") {
			t.Errorf("browser problem: %s", p)
		}
	}
}

// upload posts a raw file to the flow's upload endpoint.
func (e *testEnv) upload(t *testing.T, session, query string, body []byte) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest("POST", e.http.URL+"/widget/api/statements/upload?"+query, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set(widget.SessionHeader, session)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

// TestStatementEndpoints checks the flow's upload and list endpoints
// without a browser: the parser's 400, 413 beyond 20 MiB, a connection
// the session does not reach (404), one of another provider (400).
func TestStatementEndpoints(t *testing.T) {
	e := newStatementEnv(t)
	_, c := e.readyUser(t, "endpoints@example.com")
	sid, _ := e.session(t, c, map[string]any{"action": "create", "type": "bank"})
	out := e.mustCall(t, sid, "connections/create", map[string]any{"provider_id": iswigo.ProviderIDStatements, "values": map[string]string{}}, 201)
	conn := out["connection_id"].(string)
	q := "connection_id=" + conn + "&name=janvier.qif"
	if status, out := e.upload(t, sid, q, []byte(qifJanuary)); status != 200 || out["statement"].(map[string]any)["transactions"] != 5.0 {
		t.Fatalf("upload = %d %v", status, out)
	}
	status, out := e.upload(t, sid, q, []byte(qifBadDate))
	if desc, _ := out["error"].(map[string]any)["description"].(string); status != 400 || !strings.HasPrefix(desc, "Invalid statement file: qif: line 2") {
		t.Fatalf("bad file = %d %v", status, out)
	}
	if status, out := e.upload(t, sid, q, make([]byte, iswigo.MaxStatementBytes+1)); status != 413 {
		t.Fatalf("20 MiB + 1 = %d %v", status, out)
	}
	list := e.mustCall(t, sid, "statements/list", map[string]any{"connection_id": conn}, 200)
	if files := list["statements"].([]any); len(files) != 1 {
		t.Fatalf("list = %v; want the one good file", list)
	}
	// Another user's session does not reach the connection.
	_, other := e.readyUser(t, "other@example.com")
	osid, _ := e.session(t, other, map[string]any{"action": "create", "type": "bank"})
	if status, out := e.upload(t, osid, q, []byte(qifJanuary)); status != 404 {
		t.Fatalf("another user's connection = %d %v", status, out)
	}
	e.mustCall(t, osid, "statements/list", map[string]any{"connection_id": conn}, 404)
	// A sandbox bank connection is not fed by files.
	bank := e.mustCall(t, sid, "connections/create", map[string]any{"provider_id": 999,
		"values": map[string]string{"login": "123456789", "password": "123456"}}, 201)
	if status, out := e.upload(t, sid, "connection_id="+bank["connection_id"].(string), []byte(qifJanuary)); status != 400 {
		t.Fatalf("bank connection = %d %v", status, out)
	}
}
