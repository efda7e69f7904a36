// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
)

// Statement files of the tests, written after the QIF and CSV layouts
// their banks export.
const (
	qifJanuary = "!Type:Bank\nD02/01/2026\nT2,500.00\nPACME SARL\nMSalaire janvier\n^\nD05/01/2026\nT-45.90\nPCarrefour Market\n^\n" +
		"D05/01/2026\nT-3.50\nPCafe du coin\n^\nD05/01/2026\nT-3.50\nPCafe du coin\n^\nD20/01/2026\nT-800.00\nPLoyer\n^\n"
	// qifOverlap repeats the end of January (one of the two coffees of
	// the 5th, the rent) and adds February.
	qifOverlap = "!Type:Bank\nD05/01/2026\nT-3.50\nPCafe du coin\n^\nD20/01/2026\nT-800.00\nPLoyer\n^\n" +
		"D02/02/2026\nT2,500.00\nPACME SARL\nMSalaire fevrier\n^\nD13/02/2026\nT-61.20\nPPharmacie\n^\n"
	csvMapped = "Jour;Opération;Somme;Remarque\n05/01/2026;Boulangerie Paul;-4,60;\n06/01/2026;Remboursement Marie;25,00;déjeuner\n"
)

// statementConnection creates a user of c's app and its statement import
// connection.
func statementConnection(t *testing.T, e *testEnv, c *api.Client, email string) (*api.Client, string) {
	t.Helper()
	_, uc := e.user(t, c, email)
	conn, err := uc.CreateConnection(context.Background(), iswigo.ProviderIDStatements, nil)
	if err != nil {
		t.Fatalf("create a statement import connection: %v", err)
	}
	if conn.AutomaticSynchronization || conn.ProviderID != iswigo.ProviderIDStatements {
		t.Fatalf("connection = %+v; want provider 900 without automatic synchronization", conn)
	}
	return uc, conn.ConnectionID
}

// waitImported waits until the file is no longer pending and the
// connection's sync is over, and returns the file.
func waitImported(t *testing.T, c *api.Client, connID, fileID string) api.StatementFile {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		files, err := c.Statements(context.Background(), connID, iswigo.Range{From: 0, To: 99})
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(files, func(f api.StatementFile) bool { return f.ID == fileID })
		if i < 0 {
			t.Fatalf("file %s not listed", fileID)
		}
		if files[i].Status != iswigo.StatementPending {
			waitStatus(t, c, connID, done)
			return files[i]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("file %s still pending after 30s", fileID)
	return api.StatementFile{}
}

// transactionIDs returns the ids of every transaction of the account.
func transactionIDs(t *testing.T, c *api.Client, accountID string) []string {
	t.Helper()
	txs, err := c.Transactions(context.Background(), accountID, iswigo.Range{From: 0, To: 99}, "", "")
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(txs))
	for i, tx := range txs {
		ids[i] = tx.TransactionID
	}
	slices.Sort(ids)
	return ids
}

func TestStatementImport(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		p, err := e.plain.Provider(ctx, iswigo.ProviderIDStatements)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Properties.Statements || len(p.Inputs["default"].Inputs) != 0 {
			t.Fatalf("provider 900 = %+v; want the statements property and an empty default input set", p)
		}
		// A non-PSD2 application may create the connection: no credential.
		uc, connID := statementConnection(t, e, e.plain, "stmt@example.com")
		if _, err := uc.UpdateConnection(ctx, connID, map[string]any{"automatic_synchronization": true}); err == nil {
			t.Error("a non-PSD2 app edited a connection")
		}

		up, err := uc.UploadStatement(ctx, connID, []byte(qifJanuary), api.StatementParams{Name: "janvier.qif"})
		if err != nil {
			t.Fatal(err)
		}
		st := up.Statement
		if st.Duplicate || st.Format != "qif" || st.Accounts != 1 || st.Transactions != 5 || st.Name == nil || *st.Name != "janvier.qif" ||
			st.Status != iswigo.StatementPending || st.TransactionsAdded != nil || up.ConnectionID != connID {
			t.Fatalf("upload = %+v", up)
		}
		f := waitImported(t, uc, connID, st.ID)
		if f.Status != iswigo.StatementImported || *f.TransactionsAdded != 5 || *f.TransactionsKnown != 0 || f.SHA1 != st.SHA1 {
			t.Fatalf("imported file = %+v; want 5 added, 0 known", f)
		}
		accounts, err := uc.Accounts(ctx, iswigo.Range{From: 0, To: 19})
		if err != nil || len(accounts) != 1 || accounts[0].Currency != "EUR" || accounts[0].Name == "" {
			t.Fatalf("accounts = %+v, %v; want one EUR account", accounts, err)
		}
		before := transactionIDs(t, uc, accounts[0].AccountID)
		if len(before) != 5 {
			t.Fatalf("%d transactions, want 5 (both coffees of the 5th)", len(before))
		}

		// The same file again: nothing stored, the earlier upload named.
		again, err := uc.UploadStatement(ctx, connID, []byte(qifJanuary), api.StatementParams{Name: "copy.qif"})
		if err != nil || !again.Statement.Duplicate || again.Statement.ID != st.ID {
			t.Fatalf("upload again = %+v, %v; want a duplicate of %s", again, err, st.ID)
		}
		// An overlapping statement adds only what is missing.
		over, err := uc.UploadStatement(ctx, connID, []byte(qifOverlap), api.StatementParams{})
		if err != nil {
			t.Fatal(err)
		}
		f = waitImported(t, uc, connID, over.Statement.ID)
		if *f.TransactionsAdded != 2 || *f.TransactionsKnown != 2 {
			t.Fatalf("overlapping file = %+v; want 2 added, 2 known", f)
		}
		after := transactionIDs(t, uc, accounts[0].AccountID)
		if len(after) != 7 {
			t.Fatalf("%d transactions after the overlap, want 7", len(after))
		}
		for _, id := range before {
			if !slices.Contains(after, id) {
				t.Fatalf("transaction %s changed id or disappeared", id)
			}
		}
		files, err := uc.Statements(ctx, connID, iswigo.Range{From: 0, To: 0})
		if err != nil || len(files) != 1 || files[0].ID != over.Statement.ID {
			t.Fatalf("first page = %+v, %v; want the newest file", files, err)
		}
		resp, _, err := uc.Do(ctx, "GET", "/v1/connections/"+connID+"/statements?range=0-0", nil)
		if err != nil || resp.Header.Get("Content-Range") != "0-0/2" || resp.Header.Get("Accept-Range") != "statements 1" {
			t.Fatalf("headers = %v, %v", resp.Header, err)
		}

		// A sync with nothing new finishes at once.
		if _, err := uc.SyncConnection(ctx, connID); err != nil {
			t.Fatal(err)
		}
		if st := waitStatus(t, uc, connID, done); st.Status != iswigo.StatusFinished {
			t.Fatalf("sync = %+v", st)
		}
		if got := transactionIDs(t, uc, accounts[0].AccountID); !slices.Equal(got, after) {
			t.Fatalf("a sync changed the transactions: %v then %v", after, got)
		}
		events, err := e.plain.Events(ctx, iswigo.Range{From: 0, To: 99})
		if err != nil {
			t.Fatal(err)
		}
		statuses, added := map[string]bool{}, 0
		for _, ev := range events {
			if ev.Type == iswigo.EventConnectionStatus {
				statuses[string(ev.Data)] = true
			}
			if ev.Type == iswigo.EventTransactionsAdded {
				added++
			}
		}
		var seen []string
		for s := range statuses {
			for _, want := range []string{`"pending"`, `"in progress"`, `"finished"`} {
				if strings.Contains(s, want) && !slices.Contains(seen, want) {
					seen = append(seen, want)
				}
			}
		}
		if len(seen) != 3 || added != 2 {
			t.Fatalf("events: statuses %v, %d transactions.added; want pending, in progress, finished and 2", seen, added)
		}
	})
}

func TestStatementAccountsAndProfiles(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		uc, connID := statementConnection(t, e, e.plain, "accounts@example.com")
		// Two CSV accounts by key, the mapping from a saved profile.
		if err := e.db.CreateCSVProfile(ctx, &iswigo.CSVProfile{AppID: e.plainApp.ID, Name: "maison",
			Mapping: iswigo.CSVMapping{DateCol: "Jour", AmountCol: "Somme", WordingCols: []string{"Opération"}, DateFormat: "DD/MM/YYYY"}}); err != nil {
			t.Fatal(err)
		}
		up, err := uc.UploadStatement(ctx, connID, []byte(csvMapped), api.StatementParams{Profile: "maison", Account: "courant"})
		if err != nil {
			t.Fatal(err)
		}
		if f := waitImported(t, uc, connID, up.Statement.ID); f.Status != iswigo.StatementImported || *f.TransactionsAdded != 2 {
			t.Fatalf("csv file = %+v", f)
		}
		up, err = uc.UploadStatement(ctx, connID, []byte(qifJanuary), api.StatementParams{Account: "epargne", Currency: "eur"})
		if err != nil {
			t.Fatal(err)
		}
		waitImported(t, uc, connID, up.Statement.ID)
		accounts, err := uc.Accounts(ctx, iswigo.Range{From: 0, To: 19})
		if err != nil || len(accounts) != 2 {
			t.Fatalf("accounts = %+v, %v", accounts, err)
		}
		// Two accounts: a file without account number must say which.
		_, err = uc.UploadStatement(ctx, connID, []byte(qifOverlap), api.StatementParams{})
		wantError(t, err, iswigo.EINVALID, "Invalid account: the file names no account and the connection has 2")
		// The target account is in EUR: a file in USD contradicts it.
		_, err = uc.UploadStatement(ctx, connID, []byte(qifOverlap), api.StatementParams{Account: "epargne", Currency: "USD"})
		wantError(t, err, iswigo.EINVALID, "in USD, the connection's account \"epargne\" in EUR")
		_, err = uc.UploadStatement(ctx, connID, []byte(csvMapped), api.StatementParams{Profile: "nope", Account: "courant"})
		wantError(t, err, iswigo.EINVALID, `Invalid profile: the application has no CSV profile "nope"`)
		// Another application's profile does not exist for this one.
		_, psd2User := e.user(t, e.psd2, "other-app@example.com")
		other, err := psd2User.CreateConnection(ctx, iswigo.ProviderIDStatements, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = psd2User.UploadStatement(ctx, other.ConnectionID, []byte(csvMapped), api.StatementParams{Profile: "maison"})
		wantError(t, err, iswigo.EINVALID, "no CSV profile")
	})
}

func TestStatementIsolation(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		owner, connID := statementConnection(t, e, e.plain, "owner@example.com")
		up, err := owner.UploadStatement(ctx, connID, []byte(qifJanuary), api.StatementParams{})
		if err != nil {
			t.Fatal(err)
		}
		waitImported(t, owner, connID, up.Statement.ID)
		_, stranger := e.user(t, e.plain, "stranger@example.com")
		_, otherApp := e.user(t, e.psd2, "owner@example.com")
		for name, c := range map[string]*api.Client{"another user": stranger, "another app": otherApp} {
			_, err := c.UploadStatement(ctx, connID, []byte(qifOverlap), api.StatementParams{})
			wantError(t, err, iswigo.ENOTFOUND, "Connection not found")
			_, err = c.Statements(ctx, connID, iswigo.Range{From: 0, To: 19})
			wantError(t, err, iswigo.ENOTFOUND, "Connection not found")
			_ = name
		}
		// A bank connection is not fed by files.
		bank, err := otherApp.CreateConnection(ctx, 999, map[string]string{"login": "123456789", "password": "123456"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = otherApp.UploadStatement(ctx, bank.ConnectionID, []byte(qifJanuary), api.StatementParams{})
		wantError(t, err, iswigo.EINVALID, "statement import connections")
		// PSD2 still rules the other providers for non-PSD2 applications.
		_, err = stranger.CreateConnection(ctx, 999, map[string]string{"login": "123456789", "password": "123456"})
		wantError(t, err, iswigo.EFORBIDDEN, "")
		_, err = otherApp.UpdateConnection(ctx, bank.ConnectionID, map[string]any{"automatic_synchronization": true})
		if err != nil {
			t.Fatal(err)
		}
		psd2Conn, err := otherApp.CreateConnection(ctx, iswigo.ProviderIDStatements, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = otherApp.UpdateConnection(ctx, psd2Conn.ConnectionID, map[string]any{"automatic_synchronization": true})
		wantError(t, err, iswigo.EINVALID, "Invalid automatic_synchronization")
		target := "/v1/connections"
		body := []byte(`{"provider":900,"automatic_synchronization":true}`)
		status, _, data := e.raw(t, "POST", target, withToken(signed(e.psd2App, "POST", target, body), otherApp.Token), body)
		wantEnvelope(t, status, data, 400, "Invalid automatic_synchronization")
	})
}

func withToken(h map[string]string, token string) map[string]string {
	h["Authorization"] = "Bearer " + token
	return h
}

// TestStatementBadInput sends bad files through the real server: each
// gets a 400 (or 413) that says precisely what is wrong, and nothing is
// stored: no file row, no file, no account.
func TestStatementBadInput(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		uc, connID := statementConnection(t, e, e.plain, "bad@example.com")
		waitStatus(t, uc, connID, done)
		huge := bytes.Repeat([]byte("D01/01/2026\nT-1.00\nPx\n^\n"), iswigo.MaxStatementBytes/24+1)[:iswigo.MaxStatementBytes+1]
		deep := strings.Repeat("<a>", 100000)
		for _, tc := range []struct {
			name, body string
			params     api.StatementParams
			status     int
			want       string
		}{
			{"empty", "", api.StatementParams{}, 400, "Invalid statement file: empty file"},
			{"blank", " \n\t\n", api.StatementParams{}, 400, "Invalid statement file: empty file"},
			{"binary garbage", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", api.StatementParams{}, 400, "binary data"},
			{"truncated qif", "!Type:Bank\nD02/01/2026\nT2,5", api.StatementParams{}, 400, "qif: line"},
			{"truncated ofx", "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>1<ACCTID>2</BANKACCTFROM><BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT<DTPOSTED>2025",
				api.StatementParams{}, 400, "Invalid statement file: ofx: line 5: the file ends inside <STMTTRN>"},
			{"another format forced", qifJanuary, api.StatementParams{Format: "ofx"}, 400, "Invalid statement file: ofx: line 1: not an OFX file"},
			{"unknown format", qifJanuary, api.StatementParams{Format: "pdf"}, 400, "Invalid format: want ofx, camt, mt940, qif or csv"},
			{"xml with a dtd", `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>&x;</BkToCstmrStmt></Document>`,
				api.StatementParams{}, 400, "Invalid statement file: camt: line 1: a DTD or markup declaration (<!DOCTYPE) is refused"},
			{"deep xml", `<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>` + deep,
				api.StatementParams{}, 400, "Invalid statement file: camt: line 1, element Document/BkToCstmrStmt: elements nested deeper than"},
			{"xml of neither format", `<?xml version="1.0"?><html><body/></html>`, api.StatementParams{}, 400, "neither OFX nor camt"},
			{"invalid date", "!Type:Bank\nD31/31/2026\nT-1.00\nPx\n^\n", api.StatementParams{}, 400, "qif: line 2"},
			{"invalid mt940 date", ":20:X\n:25:FR76\n:28C:1\n:60F:C250101EUR0,00\n:61:2513010113D12,34NTRFNONREF\n:86:x\n:62F:C250101EUR0,00\n-\n",
				api.StatementParams{}, 400, `Invalid statement file: mt940: line 5: :61: invalid value date "251301"`},
			{"amount that does not parse", "!Type:Bank\nD02/01/2026\nT12,3,4x\nPx\n^\n", api.StatementParams{}, 400, "qif: line 3"},
			{"mixed currencies", "Date;Libellé;Montant;Devise\n02/01/2026;A;-1,00;EUR\n03/01/2026;B;-2,00;USD\n", api.StatementParams{}, 400, "csv: line 3"},
			{"bad currency parameter", qifJanuary, api.StatementParams{Currency: "EURO"}, 400, "Invalid currency"},
			{"bad date order", qifJanuary, api.StatementParams{DateOrder: "myd"}, 400, "Invalid date_order"},
			{"account for a file with numbers", "!Account\nNCompte\nTBank\n^\n!Type:Bank\nD20/01/2026\nT-1.00\nPx\n^\n", api.StatementParams{Account: "x"}, 400, "Invalid account: the file names its accounts"},
			{"20 MiB + 1 byte", string(huge), api.StatementParams{}, 413, "Request body too large: at most 20971520 bytes"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				target := "/v1/connections/" + connID + "/statements"
				if q := tc.params.Query(); q != "" {
					target += "?" + q
				}
				h := withToken(signed(e.plainApp, "POST", target, []byte(tc.body)), uc.Token)
				h["Content-Type"] = "application/octet-stream"
				status, _, data := e.raw(t, "POST", target, h, []byte(tc.body))
				wantEnvelope(t, status, data, tc.status, tc.want)
			})
		}
		files, err := uc.Statements(ctx, connID, iswigo.Range{From: 0, To: 19})
		if err != nil || len(files) != 0 {
			t.Fatalf("files = %+v, %v; want none", files, err)
		}
		if n := e.storedFiles(t); n != 0 {
			t.Fatalf("%d files in the file store, want none", n)
		}
		if accounts, err := uc.Accounts(ctx, iswigo.Range{From: 0, To: 19}); err != nil || len(accounts) != 0 {
			t.Fatalf("accounts = %+v, %v; want none", accounts, err)
		}
	})
}

// camtStatement is a camt.053.001.08 statement of one account closing on
// day with balance, holding the entries (reference, date, amount).
func camtStatement(iban, day, balance string, entries ...[3]string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>` +
		`<GrpHdr><MsgId>M-` + day + `</MsgId><CreDtTm>` + day + `T18:00:00</CreDtTm></GrpHdr><Stmt><Id>S-` + day + `</Id>` +
		`<Acct><Id><IBAN>` + iban + `</IBAN></Id><Ccy>EUR</Ccy></Acct>` +
		`<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">` + balance + `</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>` + day + `</Dt></Dt></Bal>`)
	for _, e := range entries {
		ind, amt := "CRDT", e[2]
		if strings.HasPrefix(amt, "-") {
			ind, amt = "DBIT", amt[1:]
		}
		b.WriteString(`<Ntry><Amt Ccy="EUR">` + amt + `</Amt><CdtDbtInd>` + ind + `</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>` +
			`<BookgDt><Dt>` + e[1] + `</Dt></BookgDt><ValDt><Dt>` + e[1] + `</Dt></ValDt><AcctSvcrRef>` + e[0] + `</AcctSvcrRef>` +
			`<NtryDtls><TxDtls><RmtInf><Ustrd>Entry ` + e[0] + `</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`)
	}
	b.WriteString(`</Stmt></BkToCstmrStmt></Document>`)
	return b.String()
}

// TestStatementAccountsFromFiles: statements of one IBAN uploaded in any
// order form one account whose balance is the latest statement's; a file
// of two OFX accounts (bank and card) gives two more; ids in the files
// make overlaps exact.
func TestStatementAccountsFromFiles(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		uc, connID := statementConnection(t, e, e.plain, "files@example.com")
		const iban = "FR7630006000011234567890189"
		feb := camtStatement(iban, "2026-02-28", "200.00", [3]string{"R3", "2026-02-03", "-30.00"}, [3]string{"R4", "2026-02-10", "130.00"})
		jan := camtStatement(iban, "2026-01-31", "100.00", [3]string{"R1", "2026-01-05", "-20.00"}, [3]string{"R2", "2026-01-20", "120.00"},
			[3]string{"R3", "2026-02-03", "-30.00"}) // R3 again: the export overlaps February
		for i, doc := range []string{feb, jan} {
			up, err := uc.UploadStatement(ctx, connID, []byte(doc), api.StatementParams{})
			if err != nil {
				t.Fatal(err)
			}
			f := waitImported(t, uc, connID, up.Statement.ID)
			if want := []int{2, 2}[i]; f.Format != "camt" || *f.TransactionsAdded != want || *f.TransactionsKnown != i {
				t.Fatalf("camt %d = %+v; want %d added, %d known", i, f, want, i)
			}
		}
		accounts, err := uc.Accounts(ctx, iswigo.Range{From: 0, To: 19})
		if err != nil || len(accounts) != 1 {
			t.Fatalf("accounts = %+v, %v; want one account for the IBAN", accounts, err)
		}
		a := accounts[0]
		if a.Balance == nil || a.Balance.Cents() != 20000 || a.Currency != "EUR" {
			t.Fatalf("account = %+v; want the balance of February (200), not January's", a)
		}
		if n := len(transactionIDs(t, uc, a.AccountID)); n != 4 {
			t.Fatalf("%d transactions, want 4 (R1–R4)", n)
		}

		ofx := "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n" +
			"<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20260301<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>" +
			"<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>121000248<ACCTID>4321<ACCTTYPE>CHECKING</BANKACCTFROM>" +
			"<BANKTRANLIST><DTSTART>20260201<DTEND>20260228<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260203<TRNAMT>-12.50<FITID>A1<NAME>Coffee</STMTTRN></BANKTRANLIST>" +
			"<LEDGERBAL><BALAMT>987.65<DTASOF>20260228</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1>" +
			"<CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>2<STATUS><CODE>0<SEVERITY>INFO</STATUS><CCSTMTRS><CURDEF>USD<CCACCTFROM><ACCTID>4111111111111111</CCACCTFROM>" +
			"<BANKTRANLIST><DTSTART>20260201<DTEND>20260228<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260204<TRNAMT>-40.00<FITID>C1<NAME>Books</STMTTRN></BANKTRANLIST>" +
			"<LEDGERBAL><BALAMT>-40.00<DTASOF>20260228</LEDGERBAL></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>\n"
		up, err := uc.UploadStatement(ctx, connID, []byte(ofx), api.StatementParams{Name: "us.ofx"})
		if err != nil {
			t.Fatal(err)
		}
		if f := waitImported(t, uc, connID, up.Statement.ID); f.Accounts != 2 || *f.TransactionsAdded != 2 {
			t.Fatalf("ofx = %+v", f)
		}
		accounts, err = uc.Accounts(ctx, iswigo.Range{From: 0, To: 19})
		if err != nil || len(accounts) != 3 {
			t.Fatalf("accounts = %+v, %v; want 3", accounts, err)
		}
		usd := 0
		for _, a := range accounts {
			if a.Currency == "USD" {
				usd++
			}
		}
		if usd != 2 {
			t.Fatalf("accounts = %+v; want the two OFX accounts in USD", accounts)
		}
	})
}

// TestStatementGolden pins the bodies of the statement routes and of
// provider 900 (the store's clock frozen).
func TestStatementGolden(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		frozen := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
		e.db.Now = func() time.Time { return frozen }
		uc, connID := statementConnection(t, e, e.plain, "golden@example.com")
		waitStatus(t, uc, connID, done)
		call := func(name, method, target string, body any, want int) {
			t.Helper()
			resp, data, err := uc.Do(ctx, method, target, body)
			if err != nil || resp.StatusCode != want {
				t.Fatalf("%s: %v %s, %v", name, resp.StatusCode, data, err)
			}
			golden(t, name, data)
		}
		call("providers-get-900", "GET", "/v1/providers/900", nil, 200)
		target := "/v1/connections/" + connID + "/statements"
		call("statements-upload-202", "POST", target+"?name=janvier.qif", []byte(qifJanuary), 202)
		files, err := uc.Statements(ctx, connID, iswigo.Range{From: 0, To: 0})
		if err != nil {
			t.Fatal(err)
		}
		waitImported(t, uc, connID, files[0].ID)
		call("statements-upload-200-duplicate", "POST", target, []byte(qifJanuary), 200)
		call("statements-list", "GET", target, nil, 200)
	})
}

// TestStatementCSVParameters maps a CSV whose headers are not recognised
// with query parameters alone: columns by name and by number, two label
// columns joined, the date layout.
func TestStatementCSVParameters(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		uc, connID := statementConnection(t, e, e.plain, "csv@example.com")
		_, err := uc.UploadStatement(ctx, connID, []byte(csvMapped), api.StatementParams{})
		wantError(t, err, iswigo.EINVALID, "Invalid statement file: csv")
		up, err := uc.UploadStatement(ctx, connID, []byte(csvMapped), api.StatementParams{CSV: iswigo.CSVMapping{
			DateCol: "1", AmountCol: "Somme", WordingCols: []string{"Opération", "Remarque"}, DateFormat: "DD/MM/YYYY", Decimal: ","}})
		if err != nil {
			t.Fatal(err)
		}
		if f := waitImported(t, uc, connID, up.Statement.ID); *f.TransactionsAdded != 2 {
			t.Fatalf("file = %+v", f)
		}
		accounts, err := uc.Accounts(ctx, iswigo.Range{From: 0, To: 19})
		if err != nil || len(accounts) != 1 {
			t.Fatalf("accounts = %+v, %v", accounts, err)
		}
		txs, err := uc.Transactions(ctx, accounts[0].AccountID, iswigo.Range{From: 0, To: 19}, "", "")
		if err != nil || len(txs) != 2 || txs[0].OperationDate.String() != "2026-01-06" || txs[0].Wording != "Remboursement Marie déjeuner" ||
			txs[1].Amount.Cents() != -460 {
			t.Fatalf("transactions = %+v, %v", txs, err)
		}
	})
}
