// SPDX-License-Identifier: Apache-2.0

package sandbox_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector/connectortest"
	"github.com/iswigo/iswigo/connector/sandbox"
)

var now = time.Date(2026, time.March, 15, 12, 0, 0, 0, time.UTC)

// connector returns the sandbox connector of provider id.
func connector(t testing.TB, id int, opts sandbox.Options) iswigo.Connector {
	t.Helper()
	for _, c := range sandbox.New(opts) {
		if c.Provider().ID == id {
			return c
		}
	}
	t.Fatalf("no sandbox connector %d", id)
	return nil
}

func creds(login, password string) map[string]string {
	return map[string]string{"login": login, "password": password}
}

// syncOK runs one sync of a fresh session and fails t on error.
func syncOK(t testing.TB, c iswigo.Connector, s *connectortest.Session) *connectortest.Session {
	t.Helper()
	if err := c.Sync(context.Background(), s); err != nil {
		t.Fatalf("sync: %v", err)
	}
	return s
}

func TestNew(t *testing.T) {
	var ids []int
	for _, c := range sandbox.New(sandbox.Options{}) {
		ids = append(ids, c.Provider().ID)
	}
	if fmt.Sprint(ids) != "[999 998 997 996]" {
		t.Errorf("provider ids = %v", ids)
	}
}

func TestExerciseBank(t *testing.T) {
	t.Parallel()
	connectortest.Exercise(t, connector(t, sandbox.ProviderIDBank, sandbox.Options{}), connectortest.Fixture{
		Good:  creds("123456789", "123456"),
		Wrong: creds("123456789", "654321"),
		Step: &connectortest.StepFixture{
			Credentials: creds("sms123456", "123456"),
			Step:        "sms",
			Answer:      map[string]string{"sms": "1234"},
			WrongAnswer: map[string]string{"sms": "4321"},
		},
	})
}

func TestExerciseSecureKeyBank(t *testing.T) {
	t.Parallel()
	c := connector(t, sandbox.ProviderIDSecureKeyBank, sandbox.Options{})
	good := map[string]string{"login": "12345678901", "parameter3": "my first cat", "password": "123456"}
	wrong := map[string]string{"login": "12345678901", "parameter3": "my first cat", "password": "000000"}
	connectortest.Exercise(t, c, connectortest.Fixture{
		Wrong: wrong,
		Step: &connectortest.StepFixture{
			Credentials: good,
			Step:        "securekey",
			Answer:      map[string]string{"securekey": "123456"},
			WrongAnswer: map[string]string{"securekey": "654321"},
		},
	})
}

func TestExerciseBankDocuments(t *testing.T) {
	t.Parallel()
	connectortest.Exercise(t, connector(t, sandbox.ProviderIDBankDocuments, sandbox.Options{}), connectortest.Fixture{
		Good:  creds("docs-user", "123456"),
		Wrong: creds("docs-user", "1234567"),
	})
}

func TestExerciseEnergy(t *testing.T) {
	t.Parallel()
	connectortest.Exercise(t, connector(t, sandbox.ProviderIDEnergy, sandbox.Options{}), connectortest.Fixture{
		Good:  creds("hector@berlioz.com", "123456"),
		Wrong: creds("hector@berlioz.com", "secret"),
	})
}

func TestBankErrno(t *testing.T) {
	t.Parallel()
	c := connector(t, sandbox.ProviderIDBank, sandbox.Options{})
	for _, tc := range []struct {
		login, password string
		want            iswigo.Errno
	}{
		{"down-please", "123456", iswigo.ErrnoUnavailable},
		{"action01", "123456", iswigo.ErrnoActionNeeded},
		{"locked01", "123456", iswigo.ErrnoLocked},
		{"down-please", "000000", iswigo.ErrnoWrongCredentials}, // the password is checked first
	} {
		s := connectortest.NewSession(creds(tc.login, tc.password), now)
		err := c.Sync(context.Background(), s)
		var ce *iswigo.ConnectorError
		if !errors.As(err, &ce) || ce.Errno != tc.want {
			t.Errorf("%s/%s: sync = %v, want errno %d", tc.login, tc.password, err, tc.want)
		}
		if len(s.Accounts)+len(s.Progressions) > 0 || s.SavedState != nil {
			t.Errorf("%s: a failed login stored or reported something", tc.login)
		}
		msg, _ := iswigo.UserFailureOf(err)
		if (tc.want == iswigo.ErrnoActionNeeded) != strings.Contains(msg, "terms of service") {
			t.Errorf("%s: message for the person %q", tc.login, msg)
		}
	}
}

// TestSecureKeyInBackground: 998 asks its step on every sync, so a
// background sync fails with errno 10, even after a successful one.
func TestSecureKeyInBackground(t *testing.T) {
	t.Parallel()
	c := connector(t, sandbox.ProviderIDSecureKeyBank, sandbox.Options{})
	good := map[string]string{"login": "12345678901", "parameter3": "my first cat", "password": "123456"}
	first := connectortest.NewSession(good, now)
	first.Present = true
	first.AnswerFunc = func(string) (map[string]string, error) { return map[string]string{"securekey": "123456"}, nil }
	syncOK(t, c, first)
	if got := first.Account("CHK12345678901"); got == nil || got.Name != "Compte Chèque 12345678901" {
		t.Errorf("checking account = %+v; want key CHK12345678901 and the login as number", got)
	}
	later := connectortest.NewSession(good, now.Add(24*time.Hour))
	later.SavedState = first.SavedState
	err := c.Sync(context.Background(), later)
	var ce *iswigo.ConnectorError
	if !errors.As(err, &ce) || ce.Errno != iswigo.ErrnoSCARequired {
		t.Errorf("background sync = %v, want errno 10", err)
	}
}

func TestBankData(t *testing.T) {
	t.Parallel()
	s := syncOK(t, connector(t, sandbox.ProviderIDBank, sandbox.Options{}),
		connectortest.NewSession(creds("123456789", "123456"), now))
	if len(s.Accounts) != 4 {
		t.Fatalf("%d accounts, want checking, card, savings, loan", len(s.Accounts))
	}
	byType := map[string]*iswigo.ConnectorAccount{}
	for i := range s.Accounts {
		byType[s.Accounts[i].Type] = &s.Accounts[i]
	}
	chk := byType[iswigo.AccountTypeChecking]
	card := byType[iswigo.AccountTypeDeferredCreditCard]
	savings := byType[iswigo.AccountTypeSavings]
	loan := byType[iswigo.AccountTypeLoan]
	if chk == nil || card == nil || savings == nil || loan == nil {
		t.Fatalf("account types: %+v", byType)
	}

	// The reference's example account, for the reference's login.
	if chk.Name != "Compte Chèque 123456789" || chk.Number != "00123456789" || chk.BBAN != "111112222200123456789" {
		t.Errorf("checking = %q %q %q, want the reference's", chk.Name, chk.Number, chk.BBAN)
	}
	for _, a := range []*iswigo.ConnectorAccount{chk, savings} {
		if !validIBAN(a.IBAN) || !strings.HasPrefix(a.IBAN, "FR76") || len(a.IBAN) != 27 ||
			!strings.Contains(a.IBAN, a.BBAN) {
			t.Errorf("%s: IBAN %q is not a valid French IBAN holding BBAN %s", a.Name, a.IBAN, a.BBAN)
		}
	}
	if !regexp.MustCompile(`^x{10}[0-9]{6}$`).MatchString(card.Number) || card.ParentKey != chk.Key {
		t.Errorf("card number %q parent %q, want x{10}+6 digits and parent %q", card.Number, card.ParentKey, chk.Key)
	}
	if loan.Balance.Minor >= 0 || savings.Balance.Minor <= 0 || chk.Balance.Minor <= 0 || card.Balance.Minor > 0 {
		t.Errorf("balances: checking %s, card %s, savings %s, loan %s", chk.Balance, card.Balance, savings.Balance, loan.Balance)
	}

	txs := s.Transactions[chk.Key]
	if len(txs) < 300 {
		t.Errorf("%d checking transactions, want ≥ 300", len(txs))
	}
	seen := map[string]int{}
	wordings := map[string]bool{}
	var cheques []string
	for _, tx := range txs {
		if tx.ProviderID != "" {
			t.Fatalf("checking transaction %q has a provider id; ingest must fingerprint them", tx.Wording)
		}
		seen[tx.OperationDate.String()+tx.ValueDate.String()+tx.Amount.String()+tx.Wording]++
		wordings[strings.Fields(tx.Wording)[0]] = true
		if tx.CheckNumber != "" {
			cheques = append(cheques, tx.CheckNumber)
			if tx.Wording != "Cheque n"+tx.CheckNumber {
				t.Errorf("cheque wording %q", tx.Wording)
			}
		}
	}
	dups := 0
	for _, n := range seen {
		if n > 1 {
			dups++
		}
	}
	if dups == 0 {
		t.Error("no identical transactions on the same day")
	}
	for _, w := range []string{"VIR", "PRLV", "CARTE", "RETRAIT", "Cheque", "ECHEANCE", "COTISATION"} {
		if !wordings[w] {
			t.Errorf("no checking transaction starts with %q", w)
		}
	}
	for i := 1; i < len(cheques); i++ {
		if cheques[i] <= cheques[i-1] {
			t.Errorf("cheque numbers not increasing: %q", cheques)
			break
		}
	}
	for _, key := range []string{card.Key, loan.Key} {
		for _, tx := range s.Transactions[key] {
			if tx.ProviderID == "" {
				t.Errorf("account %s: transaction %q without provider id", key, tx.Wording)
			}
		}
	}
	// The card's balance is this month's operations so far.
	var month int64
	first := iswigo.NewDate(2026, time.March, 1)
	for _, tx := range s.Transactions[card.Key] {
		if !tx.OperationDate.Before(first) && strings.HasPrefix(tx.Wording, "CARTE ") {
			month += tx.Amount.Minor
		}
	}
	if card.Balance.Minor != month {
		t.Errorf("card balance %s, want this month's operations %d cents", card.Balance, month)
	}
}

// TestBankLaterSync: a sync 40 days later returns every transaction of the
// first identically, from the same first day.
func TestBankLaterSync(t *testing.T) {
	t.Parallel()
	c := connector(t, sandbox.ProviderIDBank, sandbox.Options{})
	first := syncOK(t, c, connectortest.NewSession(creds("laterlogin", "123456"), now))
	later := connectortest.NewSession(creds("laterlogin", "123456"), now.Add(40*24*time.Hour))
	later.SavedState = first.SavedState
	syncOK(t, c, later)
	for _, a := range first.Accounts {
		count := map[string]int{}
		for _, tx := range later.Transactions[a.Key] {
			count[fmt.Sprintf("%+v", tx)]++
		}
		for _, tx := range first.Transactions[a.Key] {
			k := fmt.Sprintf("%+v", tx)
			if count[k] == 0 {
				t.Fatalf("account %s: %q of %s missing 40 days later", a.Key, tx.Wording, tx.OperationDate)
			}
			count[k]--
		}
		if len(first.Transactions[a.Key]) > 0 && first.Transactions[a.Key][0].OperationDate != later.Transactions[a.Key][0].OperationDate {
			t.Errorf("account %s: the history moved its start", a.Key)
		}
	}
}

// TestBulk: a "bulk" login's checking account has about 10,000
// transactions a year.
func TestBulk(t *testing.T) {
	t.Parallel()
	s := syncOK(t, connector(t, sandbox.ProviderIDBank, sandbox.Options{}),
		connectortest.NewSession(creds("bulk-benchmark", "123456"), now))
	n := len(s.Transactions[s.Accounts[0].Key])
	if n < 9500 || n > 11000 {
		t.Errorf("%d checking transactions, want about 10,000", n)
	}
}

// TestDocumentsStable: the PDFs are the same bytes at every sync, and an
// invoice's PDF shows its amount.
func TestDocumentsStable(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		id    int
		login string
		want  int
	}{
		{sandbox.ProviderIDBankDocuments, "docs-user", 4 * 11},
		{sandbox.ProviderIDEnergy, "hector@berlioz.com", 13},
	} {
		c := connector(t, tc.id, sandbox.Options{})
		a := syncOK(t, c, connectortest.NewSession(creds(tc.login, "123456"), now))
		b := connectortest.NewSession(creds(tc.login, "123456"), now.Add(time.Hour))
		b.SavedState = a.SavedState
		syncOK(t, c, b)
		if len(a.Documents) != tc.want || len(b.Documents) != tc.want {
			t.Errorf("provider %d: %d then %d documents, want %d", tc.id, len(a.Documents), len(b.Documents), tc.want)
		}
		invoices := 0
		for _, d := range a.Documents {
			e := b.Document(d.Key)
			if e == nil || !bytes.Equal(d.Data, e.Data) {
				t.Errorf("provider %d: document %q changed between two syncs", tc.id, d.Key)
			}
			text := pdfText(t, d.Data)
			if d.Type == "invoice" {
				invoices++
				m := d.Amount.Minor
				want := fmt.Sprintf("Total TTC : %d,%02d", m/100, m%100)
				if !strings.Contains(text, want) {
					t.Errorf("invoice %q: PDF lacks %q", d.Name, want)
				}
				if !regexp.MustCompile(`^Facture du \d{4}-\d\d-\d\d$`).MatchString(d.Name) || d.PaymentDate.IsZero() {
					t.Errorf("invoice %q: name or payment date %s", d.Name, d.PaymentDate)
				}
			} else if !strings.Contains(text, "Nouveau solde") && !strings.Contains(text, "conditions particuli") {
				t.Errorf("document %q: unexpected PDF text %.200q", d.Name, text)
			}
		}
		if tc.id == sandbox.ProviderIDEnergy && invoices != 12 {
			t.Errorf("%d invoices, want 12", invoices)
		}
	}
}

// TestStepDelayCancel: a cancelled context ends a step pause at once.
func TestStepDelayCancel(t *testing.T) {
	t.Parallel()
	c := connector(t, sandbox.ProviderIDBank, sandbox.Options{StepDelay: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	s := &startSignal{Session: connectortest.NewSession(creds("123456789", "123456"), now), started: make(chan struct{})}
	done := make(chan error, 1)
	go func() { done <- c.Sync(ctx, s) }()
	<-s.started
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("sync = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sync still pausing 10s after its context was cancelled")
	}
}

// startSignal closes started when the connector reads the credentials.
type startSignal struct {
	*connectortest.Session
	started chan struct{}
}

func (s *startSignal) Credentials() map[string]string {
	close(s.started)
	return s.Session.Credentials()
}

// BenchmarkSync999 measures one full sync of Sandbox Bank (a year of
// history) into an in-memory session.
func BenchmarkSync999(b *testing.B) {
	c := connector(b, sandbox.ProviderIDBank, sandbox.Options{})
	for b.Loop() {
		syncOK(b, c, connectortest.NewSession(creds("123456789", "123456"), now))
	}
}

// BenchmarkSync999Bulk measures a sync of the "bulk" login (≈10,000
// checking transactions).
func BenchmarkSync999Bulk(b *testing.B) {
	c := connector(b, sandbox.ProviderIDBank, sandbox.Options{})
	for b.Loop() {
		syncOK(b, c, connectortest.NewSession(creds("bulk-benchmark", "123456"), now))
	}
}

// BenchmarkSync997 measures a sync with 44 PDF statements.
func BenchmarkSync997(b *testing.B) {
	c := connector(b, sandbox.ProviderIDBankDocuments, sandbox.Options{})
	for b.Loop() {
		syncOK(b, c, connectortest.NewSession(creds("docs-user", "123456"), now))
	}
}

// validIBAN checks an IBAN's ISO 13616 check digits with big integers.
func validIBAN(iban string) bool {
	if len(iban) < 5 {
		return false
	}
	var digits strings.Builder
	for _, c := range iban[4:] + iban[:4] {
		switch {
		case c >= '0' && c <= '9':
			digits.WriteRune(c)
		case c >= 'A' && c <= 'Z':
			fmt.Fprint(&digits, int(c-'A')+10)
		default:
			return false
		}
	}
	n, ok := new(big.Int).SetString(digits.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

// pdfText returns the PDF's streams, inflated: enough to find the text that
// fpdf writes with core fonts.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	var out strings.Builder
	for rest := pdf; ; {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			break
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("\nendstream"))
		if j < 0 {
			break
		}
		if r, err := zlib.NewReader(bytes.NewReader(rest[:j])); err == nil {
			b, _ := io.ReadAll(r)
			out.Write(b)
		} else {
			out.Write(rest[:j])
		}
		rest = rest[j+len("\nendstream"):]
	}
	return out.String()
}
