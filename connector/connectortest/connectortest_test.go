// SPDX-License-Identifier: Apache-2.0

package connectortest_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector/connectortest"
)

// tiny is a minimal well-behaved bank: one account, one transaction a day
// since 2026-01-01, and a "code" step for logins starting with "step".
type tiny struct{}

func (tiny) Provider() iswigo.Provider {
	return iswigo.Provider{
		ID: 1, Name: "Tiny", Types: []string{"bank"}, Status: "available",
		Inputs: map[string]iswigo.InputSet{
			"default": {Inputs: []iswigo.Input{
				{Name: "login", Type: "text", Varname: "login", Label: "Login"},
				{Name: "password", Type: "password", Varname: "password", Label: "Password"},
			}},
			"code": {Inputs: []iswigo.Input{{Name: "code", Type: "text", Varname: "code", MinLength: 2, MaxLength: 2, Mask: "numbers", Label: "Code"}}},
		},
	}
}

func (tiny) Sync(ctx context.Context, s iswigo.SyncSession) error {
	if s.Credentials()["password"] != "good" {
		return iswigo.Fail(iswigo.ErrnoWrongCredentials, "wrong password")
	}
	if err := s.Progress(ctx, 10); err != nil {
		return err
	}
	if strings.HasPrefix(s.Credentials()["login"], "step") {
		answer, err := s.Ask(ctx, "code")
		if err != nil {
			return err
		}
		if answer["code"] != "42" {
			return iswigo.Fail(iswigo.ErrnoWrongStepAnswer, "wrong code")
		}
	}
	balance := iswigo.Money{Minor: 0, Currency: "EUR"}
	var txs []iswigo.ConnectorTransaction
	today := iswigo.DateOf(s.Now())
	for d := iswigo.NewDate(2026, time.January, 1); !today.Before(d); d = d.AddDays(1) {
		txs = append(txs, iswigo.ConnectorTransaction{OperationDate: d, Amount: iswigo.Money{Minor: -150, Currency: "EUR"}, Wording: "COFFEE"})
		balance.Minor -= 150
	}
	if err := s.PutAccount(ctx, &iswigo.ConnectorAccount{Key: "A", Type: "account", Name: "Account", Currency: "EUR", Balance: &balance}); err != nil {
		return err
	}
	if err := s.PutTransactions(ctx, "A", txs); err != nil {
		return err
	}
	return s.Progress(ctx, 100)
}

func TestExercise(t *testing.T) {
	connectortest.Exercise(t, tiny{}, connectortest.Fixture{
		Good:  map[string]string{"login": "someone", "password": "good"},
		Wrong: map[string]string{"login": "someone", "password": "bad"},
		Step: &connectortest.StepFixture{
			Credentials: map[string]string{"login": "stepper", "password": "good"},
			Step:        "code",
			Answer:      map[string]string{"code": "42"},
			WrongAnswer: map[string]string{"code": "24"},
		},
	})
}

func errno(err error) iswigo.Errno {
	var ce *iswigo.ConnectorError
	if errors.As(err, &ce) {
		return ce.Errno
	}
	return 0
}

func TestSessionAsk(t *testing.T) {
	ctx := context.Background()
	s := connectortest.NewSession(nil, time.Now())
	if _, err := s.Ask(ctx, "sms"); errno(err) != iswigo.ErrnoSCARequired {
		t.Errorf("non-interactive Ask = %v, want errno 10", err)
	}
	s.Present = true
	if _, err := s.Ask(ctx, "sms"); errno(err) != iswigo.ErrnoStepTimeout {
		t.Errorf("unanswered Ask = %v, want errno 5", err)
	}
	s.Inputs = tiny{}.Provider().Inputs
	s.AnswerFunc = func(string) (map[string]string, error) { return map[string]string{"code": "x"}, nil }
	if _, err := s.Ask(ctx, "sms"); err == nil || errno(err) != 0 {
		t.Errorf("Ask of an unknown step = %v, want a plain error", err)
	}
	if _, err := s.Ask(ctx, "code"); err == nil || errno(err) != 0 {
		t.Errorf("Ask answered with an invalid code = %v, want a plain error", err)
	}
	if strings.Join(s.Asked, ",") != "sms,sms,sms,code" {
		t.Errorf("Asked = %q", s.Asked)
	}
}

func TestSessionPut(t *testing.T) {
	ctx := context.Background()
	s := connectortest.NewSession(nil, time.Now())
	tx := []iswigo.ConnectorTransaction{{Wording: "X"}}
	if err := s.PutTransactions(ctx, "A", tx); err == nil {
		t.Error("transactions of an account not put: no error")
	}
	a := &iswigo.ConnectorAccount{Key: "A", Name: "first"}
	_ = s.PutAccount(ctx, a)
	a.Name = "second"
	_ = s.PutAccount(ctx, a)
	if len(s.Accounts) != 1 || s.Account("A").Name != "second" {
		t.Errorf("accounts = %+v, want one, replaced", s.Accounts)
	}
	if err := s.PutTransactions(ctx, "A", tx); err != nil || len(s.Transactions["A"]) != 1 {
		t.Errorf("PutTransactions = %v, %d recorded", err, len(s.Transactions["A"]))
	}
	d := &iswigo.ConnectorDocument{Key: "D"}
	if err := s.PutDocument(ctx, d, strings.NewReader("%PDF-1.3")); err != nil || string(s.Document("D").Data) != "%PDF-1.3" {
		t.Errorf("PutDocument = %v, data %q", err, s.Document("D").Data)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.PutAccount(cancelled, a); !errors.Is(err, context.Canceled) {
		t.Errorf("PutAccount with a cancelled context = %v", err)
	}
}
