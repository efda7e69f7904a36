// SPDX-License-Identifier: Apache-2.0

package statement

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector/statement/parse"
)

// state is what the connector keeps between syncs of a connection: the
// accounts it imported, each with its latest balance and that balance's date.
type state struct {
	Accounts map[string]*accountState `json:"accounts"`
}

type accountState struct {
	Type        string      `json:"type"`
	Name        string      `json:"name"`
	Number      string      `json:"number,omitempty"`
	IBAN        string      `json:"iban,omitempty"`
	Currency    string      `json:"currency"`
	Balance     *int64      `json:"balance,omitempty"` // minor units
	BalanceDate iswigo.Date `json:"balance_date"`
}

func loadState(b []byte) (*state, error) {
	st := &state{Accounts: map[string]*accountState{}}
	if len(b) == 0 {
		return st, nil
	}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("statement import: connector state: %w", err)
	}
	if st.Accounts == nil {
		st.Accounts = map[string]*accountState{}
	}
	return st, nil
}

// merge folds a file's account into the state under key and returns the
// account to put: the file's name, number and type when it has them, the
// balance of whichever statement is the latest. A balance without a date
// is dated by the file's latest transaction.
func (st *state) merge(key string, a *parse.Account) *iswigo.ConnectorAccount {
	s := st.Accounts[key]
	if s == nil {
		s = &accountState{Type: iswigo.AccountTypeChecking, Currency: "EUR"}
		st.Accounts[key] = s
	}
	if a.Type != "" {
		s.Type = a.Type
	}
	if a.Currency != "" {
		s.Currency = a.Currency
	}
	if a.Number != "" {
		s.Number = a.Number
	}
	if a.IBAN != "" {
		s.IBAN = a.IBAN
	}
	if a.Name != "" {
		s.Name = a.Name
	} else if s.Name == "" {
		s.Name = defaultName(key, a)
	}
	if a.Balance != nil {
		date := a.BalanceDate
		if date.IsZero() {
			for _, t := range a.Transactions {
				if date.Before(t.Date) {
					date = t.Date
				}
			}
		}
		if s.Balance == nil || !date.Before(s.BalanceDate) {
			v := a.Balance.Minor
			s.Balance, s.BalanceDate = &v, date
		}
	}
	out := &iswigo.ConnectorAccount{Key: key, Type: s.Type, Name: s.Name, Number: s.Number, IBAN: s.IBAN, Currency: s.Currency}
	if s.Balance != nil {
		out.Balance = &iswigo.Money{Minor: *s.Balance, Currency: s.Currency}
	}
	return out
}

// defaultName names an account its file does not name: by its IBAN or
// number ("Account FR76 …1234"), else by the key chosen at upload.
func defaultName(key string, a *parse.Account) string {
	id := a.IBAN
	if id == "" {
		id = a.Number
	}
	if id == "" {
		if key == DefaultAccountKey {
			return "Imported account"
		}
		return key
	}
	id = strings.ReplaceAll(id, " ", "")
	if len(id) > 4 {
		id = "…" + id[len(id)-4:]
	}
	return "Account " + id
}

func jsonOf(st *state) ([]byte, error) { return json.Marshal(st) }
