// SPDX-License-Identifier: Apache-2.0

package woob

import (
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector/connectortest"
	"github.com/iswigo/iswigo/internal/servertest"
)

// The tests of this file run the real woob core (ISWIGO_TEST_WOOB_PYTHON)
// with the fake modules of testdata/modules.

var syncNow = time.Date(2026, time.March, 15, 12, 0, 0, 0, time.UTC)

func TestExerciseFakeBank(t *testing.T) {
	t.Parallel()
	opts := fakeWoob(t)
	connectortest.Exercise(t, moduleOf(t, opts, "fakebank", 10001), connectortest.Fixture{
		Good:  map[string]string{"login": "good1", "password": "secret99"},
		Wrong: map[string]string{"login": "good1", "password": "wrong"},
	})
}

// TestFormSteps: a woob question answered through the session (Fake
// Bank's SMS, Fake Banque Régionale's e-mail code), a wrong answer (errno
// 6), no answer in time (errno 5), and in the background errno 10: on the
// module's step when it is its one interaction (fakeregion), on no step
// when the module could as well redirect or wait for an app (fakebank).
func TestFormSteps(t *testing.T) {
	t.Parallel()
	opts := fakeWoob(t)
	bank, region := moduleOf(t, opts, "fakebank", 10001), moduleOf(t, opts, "fakeregion", 10003)
	sms := map[string]string{"login": "sms1", "password": "secret99"}
	mail := map[string]string{"website": "lyo", "login": "mail1", "password": "123456"}
	answer := func(values map[string]string) func(string) (map[string]string, error) {
		return func(string) (map[string]string, error) { return values, nil }
	}
	for _, tc := range []struct {
		name     string
		c        *moduleConnector
		creds    map[string]string
		present  bool
		answer   func(string) (map[string]string, error)
		errno    iswigo.Errno
		asked    []string
		accounts int
	}{
		{"sms/answered", bank, sms, true, answer(map[string]string{"code": "123456"}), 0, []string{"code"}, 6},
		{"sms/wrong", bank, sms, true, answer(map[string]string{"code": "000000"}), iswigo.ErrnoWrongStepAnswer, []string{"code"}, 0},
		{"sms/background", bank, sms, false, nil, iswigo.ErrnoSCARequired, nil, 0},
		{"mail/answered", region, mail, true, answer(map[string]string{"email_code": "123456"}), 0, []string{"email_code"}, 1},
		{"mail/wrong", region, mail, true, answer(map[string]string{"email_code": "000000"}), iswigo.ErrnoWrongStepAnswer, []string{"email_code"}, 0},
		{"mail/late", region, mail, true, nil, iswigo.ErrnoStepTimeout, []string{"email_code"}, 0},
		{"mail/background", region, mail, false, nil, iswigo.ErrnoSCARequired, []string{"email_code"}, 0},
		{"mail/wrongpassword", region, map[string]string{"website": "par", "login": "mail1", "password": "000000"}, true, nil, iswigo.ErrnoWrongCredentials, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := connectortest.NewSession(tc.creds, syncNow)
			s.Inputs, s.Present, s.AnswerFunc = tc.c.provider.Inputs, tc.present, tc.answer
			err := tc.c.Sync(t.Context(), s)
			if iswigo.ErrnoOf(err) != tc.errno || !slices.Equal(s.Asked, tc.asked) || len(s.Accounts) != tc.accounts {
				t.Errorf("errno %d (%v), asked %q, %d accounts; want errno %d, asked %q, %d accounts",
					iswigo.ErrnoOf(err), err, s.Asked, len(s.Accounts), tc.errno, tc.asked, tc.accounts)
			}
		})
	}
}

func TestCatalogList(t *testing.T) {
	t.Parallel()
	opts := fakeWoob(t)
	cat, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if cat.Family() != "woob" || cat.RefreshInterval() != time.Hour {
		t.Errorf("family %q, refresh %s", cat.Family(), cat.RefreshInterval())
	}
	entries, err := cat.List(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	byKey := map[string]iswigo.CatalogEntry{}
	for _, e := range entries {
		keys = append(keys, e.Key)
		byKey[e.Key] = e
	}
	if want := []string{"fakebank", "fakebiller", "fakeregion"}; !slices.Equal(keys, want) {
		t.Fatalf("keys %q, want %q", keys, want)
	}
	bank := byKey["fakebank"].Provider
	if bank.Name != "Fake Bank" || !slices.Equal(bank.Types, []string{"bank"}) || bank.Properties.Docs != nil || bank.Country != "FR" {
		t.Errorf("fakebank provider %+v", bank)
	}
	def := bank.Inputs["default"].Inputs
	if len(def) != 2 || def[0].Varname != "login" || def[0].Type != "text" || def[0].Pattern != "^[a-z0-9]{3,20}$" ||
		def[1].Varname != "password" || def[1].Type != "password" || def[0].Optional || def[1].Optional {
		t.Errorf("fakebank default inputs %+v", def)
	}
	if code := bank.Inputs["code"].Inputs; len(code) != 1 || code[0].Varname != "code" || code[0].Label != "Code reçu par SMS" || code[0].Pattern != `^\d{6}$` {
		t.Errorf("fakebank step code %+v", code)
	}
	for name := range bank.Inputs {
		if internalValues[name] {
			t.Errorf("internal value %q published as a step", name)
		}
	}
	biller := byKey["fakebiller"].Provider
	if biller.Name != "Fake Énergie" || !slices.Equal(biller.Types, []string{"document"}) || !slices.Equal(biller.Properties.Docs, []string{"invoice", "document"}) {
		t.Errorf("fakebiller provider %+v", biller)
	}
	region := byKey["fakeregion"].Provider.Inputs
	want := []iswigo.Input{
		{Name: "website", Varname: "website", Type: "select", Label: "Région", Choices: []iswigo.InputChoice{{Value: "par", Label: "Paris"}, {Value: "lyo", Label: "Lyon"}}},
		{Name: "login", Varname: "login", Type: "text", Label: "Identifiant"},
		{Name: "password", Varname: "password", Type: "password", Label: "Code personnel", Pattern: `^\d{6}$`},
		{Name: "birthday", Varname: "birthday", Type: "text", Label: "Date de naissance", Optional: true, Pattern: `^\d{2}/\d{2}/\d{4}$`},
		{Name: "pro", Varname: "pro", Type: "select", Label: "Espace professionnel", Optional: true, Choices: []iswigo.InputChoice{{Value: "y", Label: "True"}, {Value: "n", Label: "False"}}},
	}
	if got := region["default"].Inputs; !slices.EqualFunc(got, want, inputEqual) {
		t.Errorf("fakeregion default inputs\n got %+v\nwant %+v", got, want)
	}
	if email := region["email_code"].Inputs; len(email) != 1 || email[0].Label != "Code reçu par e-mail" || len(region) != 2 {
		t.Errorf("fakeregion steps %+v", region)
	}
	if err := region["default"].Validate(map[string]string{"website": "mars", "login": "x", "password": "123456"}); iswigo.ErrorCode(err) != iswigo.EINVALID {
		t.Errorf("a choice not offered: %v, want EINVALID", err)
	}
}

func inputEqual(a, b iswigo.Input) bool {
	return a.Name == b.Name && a.Varname == b.Varname && a.Type == b.Type && a.Label == b.Label &&
		a.Optional == b.Optional && a.Pattern == b.Pattern && slices.Equal(a.Choices, b.Choices)
}

func TestCatalogSubsetAndNoModules(t *testing.T) {
	t.Parallel()
	opts := fakeWoob(t)
	opts.Modules = []string{"fakebiller"}
	cat, _ := New(opts)
	entries, err := cat.List(t.Context())
	if err != nil || len(entries) != 1 || entries[0].Key != "fakebiller" {
		t.Errorf("--woob-modules fakebiller: %v, %v", entries, err)
	}
	// A data directory where woob update never ran: no providers, no error,
	// and nothing downloaded.
	empty := Options{Python: opts.Python, DataDir: t.TempDir(), Logger: opts.Logger}
	cat, _ = New(empty)
	entries, err = cat.List(t.Context())
	if err != nil || len(entries) != 0 {
		t.Errorf("no modules installed: %v, %v", entries, err)
	}
	if _, err := os.Stat(filepath.Join(empty.DataDir, "sources.list")); err == nil {
		t.Error("listing wrote a sources.list (woob would then download its modules)")
	}
}

func TestSyncFakeBankData(t *testing.T) {
	t.Parallel()
	c := moduleOf(t, fakeWoob(t), "fakebank", 10001)
	s := connectortest.NewSession(map[string]string{"login": "good1", "password": "secret99"}, syncNow)
	if err := c.Sync(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	types := map[string]string{}
	for _, a := range s.Accounts {
		types[a.Key] = a.Type + "/" + a.ParentKey
	}
	want := map[string]string{
		"CHK001": "account/", "LIVA01": "savings/", "CARD01": "deferred credit card/CHK001",
		"CARD02": "deferred credit card/CHK001", "PRET01": "loan/", "PEA001": "market/",
	}
	if !sameMap(types, want) {
		t.Errorf("accounts %v, want %v", types, want)
	}
	chk := s.Account("CHK001")
	if chk.IBAN != "FR7630006000011234567890189" || chk.Balance == nil || chk.Balance.Minor != 152347 || chk.Balance.Currency != "EUR" {
		t.Errorf("checking account %+v", chk)
	}
	if loan := s.Account("PRET01"); loan.Balance.Minor != -15400000 {
		t.Errorf("loan balance %v", loan.Balance)
	}
	if n := len(s.Transactions["CHK001"]); n != 10 {
		t.Errorf("checking: %d transactions, want 10 (two identical coffees kept)", n)
	}
	card := s.Transactions["CARD01"]
	if len(card) != 5 {
		t.Fatalf("card: %d transactions, want 3 booked and 2 coming", len(card))
	}
	booked, coming := card[0], card[4]
	if booked.OperationDate != iswigo.NewDate(2026, 2, 2) || booked.AccountingDate != iswigo.NewDate(2026, 2, 28) ||
		booked.CCOrderMonth != iswigo.NewDate(2026, 2, 1) || booked.Amount.Minor != -5420 || booked.Wording != "MONOPRIX PARIS" {
		t.Errorf("booked card operation %+v", booked)
	}
	if coming.OperationDate != iswigo.NewDate(2026, 3, 6) || !coming.AccountingDate.IsZero() || coming.CCOrderMonth != iswigo.NewDate(2026, 3, 1) {
		t.Errorf("coming card operation %+v: debited in March, accounting date still to come", coming)
	}
	if len(s.Transactions["LIVA01"]) != 2 || len(s.Transactions["PRET01"]) != 0 {
		t.Errorf("savings %d, loan %d transactions", len(s.Transactions["LIVA01"]), len(s.Transactions["PRET01"]))
	}
	if s.Progressions[len(s.Progressions)-1] < 90 {
		t.Errorf("progressions %v", s.Progressions)
	}
}

func sameMap(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestSyncFakeBillerDocuments(t *testing.T) {
	t.Parallel()
	c := moduleOf(t, fakeWoob(t), "fakebiller", 10002)
	s := connectortest.NewSession(map[string]string{"login": "hector@example.com", "password": "secret99"}, syncNow)
	if err := c.Sync(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	if len(s.Documents) != 4 {
		t.Fatalf("%d documents, want 3 bills and a notice", len(s.Documents))
	}
	bill := s.Document("F-2026-01")
	if bill.Type != "invoice" || bill.Amount == nil || bill.Amount.Minor != 8432 || bill.PaymentDate != iswigo.NewDate(2026, 1, 28) ||
		!bill.CreatedAt.Equal(time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)) || bill.Mime != "application/pdf" || bill.Name != "Facture 01/2026" {
		t.Errorf("bill %+v", bill.ConnectorDocument)
	}
	if notice := s.Document("N-2025-12"); notice.Type != "document" || notice.Amount != nil {
		t.Errorf("notice %+v", notice.ConnectorDocument)
	}
}

func TestOneFailingItemDoesNotFailTheOthers(t *testing.T) {
	t.Parallel()
	opts := fakeWoob(t)
	bank := connectortest.NewSession(map[string]string{"login": "partial1", "password": "secret99"}, syncNow)
	if err := moduleOf(t, opts, "fakebank", 10001).Sync(t.Context(), bank); err != nil {
		t.Fatal(err)
	}
	if bank.Account("LIVA01") == nil || len(bank.Transactions["LIVA01"]) != 0 || len(bank.Transactions["CHK001"]) != 10 {
		t.Errorf("the savings history fails: savings put %v with %d transactions, checking %d",
			bank.Account("LIVA01") != nil, len(bank.Transactions["LIVA01"]), len(bank.Transactions["CHK001"]))
	}
	docs := connectortest.NewSession(map[string]string{"login": "partial1", "password": "secret99"}, syncNow)
	if err := moduleOf(t, opts, "fakebiller", 10002).Sync(t.Context(), docs); err != nil {
		t.Fatal(err)
	}
	if len(docs.Documents) != 3 || docs.Document("F-2026-02") != nil {
		t.Errorf("one download fails: %d documents, want the 3 others", len(docs.Documents))
	}
}

func TestErrnos(t *testing.T) {
	t.Parallel()
	opts := fakeWoob(t)
	bank := moduleOf(t, opts, "fakebank", 10001)
	for _, tc := range []struct {
		login, password string
		interactive     bool
		errno           iswigo.Errno
		message         string
		// person and actionURL: what the status shows the person (UserFailure)
		person, actionURL string
	}{
		{"good1", "wrong", false, iswigo.ErrnoWrongCredentials, "incorrect", "", ""},
		{"banned1", "secret99", false, iswigo.ErrnoLocked, "bloqué", "", ""},
		{"action1", "secret99", false, iswigo.ErrnoActionNeeded, "conditions générales (https://fakebank.invalid/cgu) [action_needed, ACKNOWLEDGE]",
			"Veuillez accepter les nouvelles conditions générales", "https://fakebank.invalid/cgu"},
		{"expired1", "secret99", false, iswigo.ErrnoActionNeeded, "expiré (https://fakebank.invalid/password)",
			"Votre mot de passe a expiré", "https://fakebank.invalid/password"},
		{"notimpl1", "secret99", false, iswigo.ErrnoActionNeeded, "clé physique", "Authentification par clé physique", ""},
		{"actionleak", "secret99", false, iswigo.ErrnoActionNeeded, "Confirmez votre identité", "Confirmez votre identité", ""},
		{"down1", "secret99", false, iswigo.ErrnoUnavailable, "maintenance", "", ""},
		{"blocked1", "secret99", false, iswigo.ErrnoUnavailable, "connexions", "", ""},
		{"bug1", "secret99", false, iswigo.ErrnoBug, "ValueError: unexpected page", "", ""},
		{"captcha1", "secret99", false, iswigo.ErrnoUnavailable, "captcha", "", ""},
		{"notfound1", "secret99", false, iswigo.ErrnoUnavailable, "404 Client Error", "", ""},
		{"httperror1", "secret99", false, iswigo.ErrnoUnavailable, "400 Client Error", "", ""},
		{"sms1", "secret99", false, iswigo.ErrnoSCARequired, "", "", ""},
		{"app1", "secret99", false, iswigo.ErrnoSCARequired, "", "", ""},
		{"redirect1", "secret99", false, iswigo.ErrnoSCARequired, "", "", ""},
		{"app1", "cancel", true, iswigo.ErrnoWrongStepAnswer, "refusée", "", ""},
		{"app1", "expire", true, iswigo.ErrnoStepTimeout, "Délai", "", ""},
	} {
		t.Run(tc.login+"/"+tc.password, func(t *testing.T) {
			t.Parallel()
			inner := connectortest.NewSession(map[string]string{"login": tc.login, "password": tc.password}, syncNow)
			inner.Present = tc.interactive
			err := bank.Sync(t.Context(), &connectortest.StepsSession{Session: inner})
			if got := iswigo.ErrnoOf(err); got != tc.errno || !strings.Contains(err.Error(), tc.message) {
				t.Errorf("errno %d (%v), want %d with %q", got, err, tc.errno, tc.message)
			}
			if len(inner.Accounts) > 0 {
				t.Errorf("a failed login put %d accounts", len(inner.Accounts))
			}
			if !tc.interactive && len(inner.Asked) > 0 {
				// Fake Bank may ask a code, redirect or wait for its app: a
				// background NeedInteractiveFor2FA cannot say which.
				t.Errorf("steps asked %q, want none", inner.Asked)
			}
			if err != nil && strings.Contains(err.Error(), "secret99") {
				t.Errorf("the password in the error: %v", err)
			}
			if msg, u := iswigo.UserFailureOf(err); msg != tc.person || u != tc.actionURL {
				t.Errorf("for the person: %q, %q; want %q, %q", msg, u, tc.person, tc.actionURL)
			}
		})
	}
	t.Run("ModuleGone", func(t *testing.T) {
		t.Parallel()
		gone := &moduleConnector{r: bank.r, module: "nosuchbank", provider: bank.provider}
		err := gone.Sync(t.Context(), connectortest.NewSession(map[string]string{"login": "good1", "password": "secret99"}, syncNow))
		if iswigo.ErrnoOf(err) != iswigo.ErrnoNotSupported {
			t.Errorf("a module no longer installed: %v, want errno 7", err)
		}
	})
}

// TestNoAccounts: woob's NoAccountsException (the module is sure there
// is none) is a finished sync with no account.
func TestNoAccounts(t *testing.T) {
	t.Parallel()
	bank := moduleOf(t, fakeWoob(t), "fakebank", 10001)
	s := connectortest.NewSession(map[string]string{"login": "noaccounts1", "password": "secret99"}, syncNow)
	if err := bank.Sync(t.Context(), s); err != nil || len(s.Accounts) != 0 {
		t.Errorf("sync %v with %d accounts, want a finished sync with none", err, len(s.Accounts))
	}
}

func TestAppValidation(t *testing.T) {
	t.Parallel()
	bank := moduleOf(t, fakeWoob(t), "fakebank", 10001)
	s := &connectortest.StepsSession{Session: connectortest.NewSession(map[string]string{"login": "app1", "password": "secret99"}, syncNow)}
	s.Present = true
	if err := bank.Sync(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Messages, []string{"Validez la connexion dans l'application Fake Bank"}) || len(s.Accounts) != 6 {
		t.Errorf("decoupled messages %q, %d accounts", s.Messages, len(s.Accounts))
	}
	// Without a session that can wait for the app, a clear errno.
	plain := connectortest.NewSession(map[string]string{"login": "app1", "password": "secret99"}, syncNow)
	plain.Present = true
	if err := bank.Sync(t.Context(), plain); iswigo.ErrnoOf(err) != iswigo.ErrnoSCARequired {
		t.Errorf("app validation on a session without Decoupled: %v, want errno 10", err)
	}
}

func TestExerciseRedirectFakeBank(t *testing.T) {
	t.Parallel()
	bank := moduleOf(t, fakeWoob(t), "fakebank", 10001)
	callback := func(query map[string]string) func(*testing.T, string) map[string]string {
		return func(t *testing.T, authorize string) map[string]string {
			u, err := url.Parse(authorize)
			if err != nil || u.Host != "fakebank.invalid" || u.Query().Get("redirect_uri") != "https://iswigo.example/callback" || u.Query().Get("state") == "" {
				t.Errorf("authorize URL %q: want fakebank's, with iswigo's callback and state", authorize)
			}
			query["state"] = u.Query().Get("state")
			return query
		}
	}
	connectortest.ExerciseRedirect(t, bank, connectortest.RedirectFixture{
		Credentials: map[string]string{"login": "redirect1", "password": "secret99"},
		Approve:     callback(map[string]string{"code": "good"}),
		Deny:        callback(map[string]string{"error": "access_denied"}),
	}, syncNow)
	// A code the module refuses is a wrong answer.
	s := &connectortest.StepsSession{Session: connectortest.NewSession(map[string]string{"login": "redirect1", "password": "secret99"}, syncNow)}
	s.Present = true
	s.RedirectFunc = func(_, state string) (map[string]string, error) {
		return map[string]string{"code": "forged", "state": state}, nil
	}
	if err := bank.Sync(t.Context(), s); iswigo.ErrnoOf(err) != iswigo.ErrnoWrongStepAnswer || len(s.Accounts) > 0 {
		t.Errorf("a refused code: %v, %d accounts; want errno 6 and nothing stored", err, len(s.Accounts))
	}
}

func TestValidatedSessionReusedInBackground(t *testing.T) {
	t.Parallel()
	bank := moduleOf(t, fakeWoob(t), "fakebank", 10001)
	creds := map[string]string{"login": "sms1", "password": "secret99"}
	first := connectortest.NewSession(creds, syncNow)
	first.Present = true
	first.AnswerFunc = func(step string) (map[string]string, error) { return map[string]string{"code": "123456"}, nil }
	if err := bank.Sync(t.Context(), first); err != nil {
		t.Fatal(err)
	}
	if len(first.SavedState) == 0 || strings.Contains(string(first.SavedState), "123456") || strings.Contains(string(first.SavedState), "secret99") {
		t.Fatalf("state %q: want woob's browser state, without the code or the password", first.SavedState)
	}
	background := connectortest.NewSession(creds, syncNow.Add(24*time.Hour))
	background.SavedState = first.SavedState
	if err := bank.Sync(t.Context(), background); err != nil {
		t.Fatalf("a background sync with the validated state: %v", err)
	}
	if len(background.Asked) != 0 || len(background.Accounts) != 6 {
		t.Errorf("background sync asked %v, put %d accounts", background.Asked, len(background.Accounts))
	}
}

func TestSecretsScrubbedAndMemoryBounded(t *testing.T) {
	t.Parallel()
	opts := fakeWoob(t)
	var logs servertest.SyncBuffer
	opts.Logger = testLogger(t, &logs)
	opts.MemoryLimit = 512 << 20
	bank := moduleOf(t, opts, "fakebank", 10001)
	s := connectortest.NewSession(map[string]string{"login": "leaky1", "password": "hunter2-secret"}, syncNow)
	if err := bank.Sync(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	if out := logs.String(); strings.Contains(out, "hunter2-secret") || !strings.Contains(out, "logging in with password ***") {
		t.Errorf("the module logged the password: want it scrubbed; logs:\n%s", out)
	}
	hog := connectortest.NewSession(map[string]string{"login": "hog1", "password": "secret99"}, syncNow)
	err := bank.Sync(t.Context(), hog)
	if iswigo.ErrnoOf(err) != iswigo.ErrnoBug || !strings.Contains(err.Error(), "memory") {
		t.Errorf("2 GiB under a 512 MiB limit: %v, want errno 1 naming memory", err)
	}
}

func TestUpdateRestoresOnFailure(t *testing.T) {
	t.Parallel()
	opts := fakeWoob(t)
	marker := filepath.Join(opts.DataDir, "modules", "marker")
	if err := os.WriteFile(marker, []byte("kept"), 0o644); err != nil {
		t.Fatal(err)
	}
	sources := filepath.Join(opts.DataDir, "sources.list")
	good, _ := os.ReadFile(sources)
	// A repository nobody serves: the update fails (no network needed).
	if err := os.WriteFile(sources, append(good, "https://127.0.0.1:1/woob/\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Update(t.Context(), opts, new(strings.Builder))
	if err == nil || !strings.Contains(err.Error(), "restored") {
		t.Fatalf("update with an unreachable repository: %v, want a failure with the modules restored", err)
	}
	if b, err := os.ReadFile(marker); err != nil || string(b) != "kept" {
		t.Errorf("module directory not restored: %v", err)
	}
	os.WriteFile(sources, good, 0o644)
	cat, _ := New(opts)
	if entries, err := cat.List(t.Context()); err != nil || len(entries) != 3 {
		t.Errorf("after the restore: %d providers, %v", len(entries), err)
	}
	if _, err := os.Stat(filepath.Join(opts.DataDir, "iswigo")); err != nil {
		t.Fatal(err)
	}
	backups, _ := filepath.Glob(filepath.Join(opts.DataDir, "iswigo", "backup-*"))
	if len(backups) != 0 {
		t.Errorf("backups left behind: %v", backups)
	}
}
