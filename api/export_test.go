// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
)

// longHistoryProviderID is a test bank with one account and a long
// history, to measure export streaming. It stands for a bank's server.
const longHistoryProviderID = 9003

// longHistorySize is how many transactions it has.
const longHistorySize = 60000

type longHistoryConnector struct{}

func (longHistoryConnector) Provider() iswigo.Provider {
	return iswigo.Provider{ID: longHistoryProviderID, Name: "Long History Test", Types: []string{"bank"}, Status: "available",
		Inputs: map[string]iswigo.InputSet{"default": {Inputs: []iswigo.Input{
			{Name: "login", Type: "text", Varname: "login", MinLength: 1, Label: "Login"}}}}}
}

func (longHistoryConnector) Sync(ctx context.Context, s iswigo.SyncSession) error {
	bal := iswigo.Money{Minor: 123456, Currency: "EUR"}
	if err := s.PutAccount(ctx, &iswigo.ConnectorAccount{Key: "long", Type: iswigo.AccountTypeChecking, Name: "Long",
		IBAN: "FR7630006000011234567890189", Balance: &bal, Currency: "EUR"}); err != nil {
		return err
	}
	day := iswigo.NewDate(2000, 1, 1)
	batch := make([]iswigo.ConnectorTransaction, 0, 5000)
	for i := 0; i < longHistorySize; i++ {
		batch = append(batch, iswigo.ConnectorTransaction{ProviderID: fmt.Sprintf("long-%d", i), OperationDate: day.AddDays(i / 10),
			Amount: iswigo.Money{Minor: int64(i%2000 - 1000), Currency: "EUR"}, Wording: fmt.Sprintf("PAIEMENT CB %06d MAGASIN DE TEST PARIS", i),
			Text: "Transaction with a longer text, as banks give in their detailed statements"})
		if len(batch) == cap(batch) {
			if err := s.PutTransactions(ctx, "long", batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	return nil
}

// export sends GET target as c's user with Accept, checked against the
// OpenAPI document.
func export(t *testing.T, c *api.Client, target, accept string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", c.BaseURL+target, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range signedUser(c, "GET", target) {
		req.Header.Set(k, v)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := (&http.Client{Transport: checkedTransport(t)}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// allTransactions lists every transaction of an account in JSON, page by page.
func allTransactions(t *testing.T, c *api.Client, accountID, minDate, maxDate string) []api.Transaction {
	t.Helper()
	var all []api.Transaction
	for from := 0; ; from += 100 {
		page, err := c.Transactions(context.Background(), accountID, iswigo.Range{From: from, To: from + 99}, minDate, maxDate)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if len(page) < 100 {
			return all
		}
	}
}

func dateOrEmpty(d iswigo.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func strOrEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// wantCSV checks that a CSV export holds exactly the JSON listing's
// transactions, in order, field by field.
func wantCSV(t *testing.T, body []byte, currency string, want []api.Transaction) {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV export does not parse: %v", err)
	}
	header := "transaction_id,account_id,operation_date,value_date,accounting_date,cc_order_month,check_number,amount,currency,wording,text"
	if len(rows) == 0 || strings.Join(rows[0], ",") != header {
		t.Fatalf("CSV header %v", rows[:min(1, len(rows))])
	}
	if len(rows)-1 != len(want) {
		t.Fatalf("CSV export has %d transactions, the JSON listing %d", len(rows)-1, len(want))
	}
	for i, tx := range want {
		amount, err := iswigo.ParseAmount(rows[i+1][7], currency)
		if err != nil {
			t.Fatalf("row %d: amount %q: %v", i+1, rows[i+1][7], err)
		}
		got := []string{rows[i+1][0], rows[i+1][1], rows[i+1][2], rows[i+1][3], rows[i+1][4], rows[i+1][5], rows[i+1][6],
			amount.String(), rows[i+1][8], rows[i+1][9], rows[i+1][10]}
		exp := []string{tx.TransactionID, tx.AccountID, tx.OperationDate.String(), dateOrEmpty(tx.ValueDate), dateOrEmpty(tx.AccountingDate),
			dateOrEmpty(tx.CCOrderMonth), strOrEmpty(tx.CheckNumber), iswigo.Money(tx.Amount).String(), currency, tx.Wording, strOrEmpty(tx.Text)}
		if strings.Join(got, "|") != strings.Join(exp, "|") {
			t.Fatalf("row %d:\n got %q\nwant %q", i+1, got, exp)
		}
	}
}

// ofxStatement is what TestExportTransactions reads back from an OFX export.
type ofxStatement struct {
	Currency string `xml:"BANKMSGSRSV1>STMTTRNRS>STMTRS>CURDEF"`
	AcctID   string `xml:"BANKMSGSRSV1>STMTTRNRS>STMTRS>BANKACCTFROM>ACCTID"`
	Start    string `xml:"BANKMSGSRSV1>STMTTRNRS>STMTRS>BANKTRANLIST>DTSTART"`
	End      string `xml:"BANKMSGSRSV1>STMTTRNRS>STMTRS>BANKTRANLIST>DTEND"`
	Txns     []struct {
		FITID, DTPOSTED, TRNAMT, NAME string
	} `xml:"BANKMSGSRSV1>STMTTRNRS>STMTRS>BANKTRANLIST>STMTTRN"`
	Balance string `xml:"BANKMSGSRSV1>STMTTRNRS>STMTRS>LEDGERBAL>BALAMT"`
}

func TestExportTransactions(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		_, c := e.user(t, e.psd2, "export@example.com")
		conn, err := c.CreateConnection(ctx, 999, map[string]string{"login": "123456789", "password": "123456"})
		if err != nil {
			t.Fatal(err)
		}
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusFinished))
		accounts, err := c.Accounts(ctx, iswigo.DefaultRange)
		if err != nil || len(accounts) == 0 {
			t.Fatalf("accounts: %v %v", accounts, err)
		}
		var account api.Account
		var all []api.Transaction
		for _, a := range accounts { // the account with the longest history
			if txs := allTransactions(t, c, a.AccountID, "", ""); len(txs) > len(all) {
				account, all = a, txs
			}
		}
		if len(all) < 150 {
			t.Fatalf("the sandbox's longest history has %d transactions: too few to cross an export page", len(all))
		}
		target := "/v1/bank/accounts/" + account.AccountID + "/transactions"

		resp, body := export(t, c, target, "text/csv")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8; header=present" {
			t.Fatalf("CSV export: %d %s: %.300s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if want := fmt.Sprintf("0-%d/%d", len(all)-1, len(all)); resp.Header.Get("Content-Range") != want {
			t.Errorf("Content-Range %q, want %q", resp.Header.Get("Content-Range"), want)
		}
		if resp.Header.Get("Vary") != "Accept" {
			t.Errorf("Vary %q, want Accept", resp.Header.Get("Vary"))
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="transactions-`) {
			t.Errorf("Content-Disposition %q", resp.Header.Get("Content-Disposition"))
		}
		if !bytes.HasSuffix(body, []byte("\r\n")) || bytes.Count(body, []byte("\r\n")) < len(all)+1 {
			t.Errorf("CSV lines do not end with CRLF")
		}
		wantCSV(t, body, account.Currency, all)

		// The date filters and the range: range checked, not applied.
		minDate, maxDate := all[len(all)-1].OperationDate.AddDays(20).String(), all[0].OperationDate.AddDays(-20).String()
		filtered := allTransactions(t, c, account.AccountID, minDate, maxDate)
		if len(filtered) == 0 || len(filtered) == len(all) {
			t.Fatalf("filters keep %d of %d transactions", len(filtered), len(all))
		}
		q := "?filters%5Bmin_date%5D=" + minDate + "&filters%5Bmax_date%5D=" + maxDate + "&range=0-9"
		_, body = export(t, c, target+q, "text/csv;q=0.9, application/json;q=0.5")
		wantCSV(t, body, account.Currency, filtered)
		if resp, body := export(t, c, target+"?filters%5Bmin_date%5D=2020-02-30", "text/csv"); resp.StatusCode != 400 {
			t.Errorf("bad date: %d %s", resp.StatusCode, body)
		}
		if resp, body := export(t, c, target+"?range=9-1", "text/csv"); resp.StatusCode != 400 {
			t.Errorf("bad range: %d %s", resp.StatusCode, body)
		}

		// OFX: FITIDs are the transaction ids, LEDGERBAL the balance.
		resp, body = export(t, c, target, "application/x-ofx")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/x-ofx" {
			t.Fatalf("OFX export: %d %s: %.300s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		var ofx ofxStatement
		if err := xml.Unmarshal(body, &ofx); err != nil {
			t.Fatalf("OFX export is not XML: %v", err)
		}
		if len(ofx.Txns) != len(all) {
			t.Fatalf("OFX export has %d transactions, the JSON listing %d", len(ofx.Txns), len(all))
		}
		for i, tx := range all {
			got := ofx.Txns[i]
			amount, err := iswigo.ParseAmount(got.TRNAMT, account.Currency)
			if err != nil || got.FITID != tx.TransactionID || got.DTPOSTED != strings.ReplaceAll(tx.OperationDate.String(), "-", "") ||
				amount.Minor != tx.Amount.Minor || got.NAME != tx.Wording {
				t.Fatalf("STMTTRN %d: %+v, want %+v", i, got, tx)
			}
		}
		if account.Balance == nil {
			t.Fatal("the sandbox account has no balance")
		}
		if b, err := iswigo.ParseAmount(ofx.Balance, account.Currency); err != nil || b.Minor != account.Balance.Minor {
			t.Errorf("LEDGERBAL %q, want %s", ofx.Balance, iswigo.Money(*account.Balance))
		}
		if ofx.Currency != account.Currency || ofx.Start != strings.ReplaceAll(all[len(all)-1].OperationDate.String(), "-", "") ||
			ofx.End != strings.ReplaceAll(all[0].OperationDate.String(), "-", "") {
			t.Errorf("OFX statement %s %s-%s", ofx.Currency, ofx.Start, ofx.End)
		}

		// JSON stays the default.
		for _, accept := range []string{"", "*/*", "application/json", "text/html", "text/csv;q=0.5, application/json"} {
			resp, body := export(t, c, target+"?range=0-1", accept)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" || body[0] != '[' {
				t.Errorf("Accept %q: %d %s", accept, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
		}

		// Another user's account is not found, in JSON.
		_, other := e.user(t, e.psd2, "other@example.com")
		for _, accept := range []string{"text/csv", "application/x-ofx"} {
			resp, body := export(t, other, target, accept)
			if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != "application/json" {
				t.Errorf("another user's export (%s): %d %s", accept, resp.StatusCode, body)
			}
		}
	})
}

// TestExportMemoryFlat exports a 60,000-transaction history while sampling
// the heap: it must not grow with the history (the JSON listing of it
// held in memory would take tens of megabytes).
func TestExportMemoryFlat(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		_, c := e.user(t, e.psd2, "long@example.com")
		conn, err := c.CreateConnection(ctx, longHistoryProviderID, map[string]string{"login": "long"})
		if err != nil {
			t.Fatal(err)
		}
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusFinished))
		accounts, err := c.Accounts(ctx, iswigo.DefaultRange)
		if err != nil || len(accounts) != 1 {
			t.Fatalf("accounts: %v %v", accounts, err)
		}
		target := "/v1/bank/accounts/" + accounts[0].AccountID + "/transactions"
		for _, accept := range []string{"text/csv", "application/x-ofx"} {
			defer debug.SetGCPercent(debug.SetGCPercent(10))
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			base := ms.HeapAlloc
			var peak atomic.Uint64
			stop, sampled := make(chan struct{}), make(chan struct{})
			go func() {
				defer close(sampled)
				for {
					var m runtime.MemStats
					runtime.ReadMemStats(&m)
					if m.HeapAlloc > peak.Load() {
						peak.Store(m.HeapAlloc)
					}
					select {
					case <-stop:
						return
					case <-time.After(2 * time.Millisecond):
					}
				}
			}()
			req, _ := http.NewRequest("GET", c.BaseURL+target, nil)
			for k, v := range signedUser(c, "GET", target) {
				req.Header.Set(k, v)
			}
			req.Header.Set("Accept", accept)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			lines, size := 0, 0
			buf := make([]byte, 32<<10)
			for {
				n, err := resp.Body.Read(buf)
				size += n
				lines += bytes.Count(buf[:n], []byte("\n"))
				if err != nil {
					break
				}
			}
			resp.Body.Close()
			close(stop)
			<-sampled
			growth := int64(peak.Load()) - int64(base)
			t.Logf("%s export of %d transactions (%.1f MB): heap grew by at most %.1f MB", accept, longHistorySize,
				float64(size)/(1<<20), float64(growth)/(1<<20))
			if lines < longHistorySize {
				t.Fatalf("%s export: %d lines for %d transactions", accept, lines, longHistorySize)
			}
			if growth > 6<<20 {
				t.Fatalf("%s export: heap grew by %d bytes for a %d-byte file", accept, growth, size)
			}
		}
	})
}
