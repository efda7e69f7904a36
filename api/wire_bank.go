// SPDX-License-Identifier: Apache-2.0

package api

import (
	"time"

	"github.com/iswigo/iswigo"
)

// money is an exact amount written as a JSON number (-12, 1000.01).
type money iswigo.Money

func (m money) MarshalJSON() ([]byte, error) { return iswigo.Money(m).AppendJSON(nil), nil }

// wireTime writes a time as "YYYY-MM-DD HH:MM:SS" (UTC), or null.
type wireTime time.Time

func (t wireTime) MarshalJSON() ([]byte, error) {
	tt := time.Time(t)
	if tt.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + tt.UTC().Format(iswigo.TimeLayout) + `"`), nil
}

// Provider is the wire form of a provider.
type Provider struct {
	ProviderID int                 `json:"provider_id"`
	DependOf   *int                `json:"depend_of"`
	Name       string              `json:"name"`
	Logo       *string             `json:"logo"`
	URL        *string             `json:"url"`
	Type       []string            `json:"type"`
	Status     string              `json:"status"`
	Inputs     map[string]InputSet `json:"inputs"`
	Properties ProviderProperties  `json:"properties"`
}

// InputSet is the wire form of a credential form.
type InputSet struct {
	Title  *string `json:"title"`
	Inputs []Input `json:"inputs"`
}

// Input is the wire form of a credential field.
type Input struct {
	Name      string `json:"name"`
	Type      string `json:"type"`
	Varname   string `json:"varname"`
	MinLength int    `json:"minlength,omitempty"`
	MaxLength int    `json:"maxlength,omitempty"`
	Mask      string `json:"mask,omitempty"`
	Label     string `json:"label"`
	// Choices are the values of a "select" input (absent otherwise);
	// Pattern a regular expression the whole value must match.
	Choices []InputChoice `json:"choices,omitempty"`
	Pattern string        `json:"pattern,omitempty"`
}

// InputChoice is one value of a "select" input and its label.
type InputChoice struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// ProviderProperties is the wire form of a provider's properties.
type ProviderProperties struct {
	DeferredCreditCard bool     `json:"deferred_credit_card"`
	IBAN               bool     `json:"iban"`
	Docs               []string `json:"docs,omitempty"`
	// Statements is present (true) only for providers fed by uploaded
	// statement files.
	Statements bool `json:"statements,omitempty"`
}

func providerJSON(p *iswigo.Provider) Provider {
	out := Provider{ProviderID: p.ID, Name: p.Name, Logo: optional(p.Logo), URL: optional(p.URL), Type: p.Types,
		Status: p.Status, Inputs: map[string]InputSet{},
		Properties: ProviderProperties{p.Properties.DeferredCreditCard, p.Properties.IBAN, p.Properties.Docs, p.Properties.Statements}}
	if p.DependOf != 0 {
		out.DependOf = &p.DependOf
	}
	for name, set := range p.Inputs {
		ws := InputSet{Title: optional(set.Title), Inputs: []Input{}}
		for _, in := range set.Inputs {
			wi := Input{Name: in.Name, Type: in.Type, Varname: in.Varname, MinLength: in.MinLength, MaxLength: in.MaxLength,
				Mask: in.Mask, Label: in.Label, Pattern: in.Pattern}
			for _, c := range in.Choices {
				wi.Choices = append(wi.Choices, InputChoice{c.Value, c.Label})
			}
			ws.Inputs = append(ws.Inputs, wi)
		}
		out.Inputs[name] = ws
	}
	return out
}

// Connection is the wire form of a connection.
type Connection struct {
	ConnectionID             string   `json:"connection_id"`
	ProviderID               int      `json:"provider_id"`
	CreateTime               wireTime `json:"create_time"`
	Login                    string   `json:"login"`
	LastSynchronizedTime     wireTime `json:"last_synchronized_time"`
	LastErrorTime            wireTime `json:"last_error_time"`
	NbErrors                 int      `json:"nb_errors"`
	AutomaticSynchronization bool     `json:"automatic_synchronization"`
	// ConsentExpiration is when the provider's consent lapses; null when none.
	ConsentExpiration wireTime `json:"consent_expiration"`
}

func connectionJSON(c *iswigo.Connection) Connection {
	return Connection{c.ID, c.ProviderID, wireTime(c.CreatedAt), c.LoginMasked, wireTime(c.LastSynchronizedAt),
		wireTime(c.LastErrorAt), c.NbErrors, c.AutomaticSync, wireTime(c.ConsentExpiration)}
}

// Status is the wire form of a connection's synchronization status.
// Step is set while "waiting user", Progression while "in progress",
// Errno (present only then) while "error".
type Status struct {
	ConnectionID         string        `json:"connection_id"`
	LastSynchronizedTime wireTime      `json:"last_synchronized_time"`
	Status               string        `json:"status"`
	Step                 *string       `json:"step"`
	Progression          *int          `json:"progression"`
	Errno                *iswigo.Errno `json:"errno,omitempty"`
	// RedirectURL is where to send the person, on the "redirect" step;
	// Message what the provider tells them while waiting (decoupled step,
	// or a form step with a message). Absent otherwise.
	RedirectURL string `json:"redirect_url,omitempty"`
	Message     string `json:"message,omitempty"`
	// ActionURL is, on "error", the page where the person does what the
	// provider asks (Message then says what), when it gave one.
	ActionURL string `json:"action_url,omitempty"`
	// ProgressMessage and ProgressCount narrate a sync in progress
	// ("accounts_found" and 3), when its connector does.
	ProgressMessage string `json:"progress_message,omitempty"`
	ProgressCount   *int   `json:"progress_count,omitempty"`
}

func statusJSON(c *iswigo.Connection) Status {
	s := Status{ConnectionID: c.ID, LastSynchronizedTime: wireTime(c.LastSynchronizedAt), Status: c.Status}
	switch c.Status {
	case iswigo.StatusWaitingUser:
		s.Step = &c.Step
		s.RedirectURL, s.Message = c.RedirectURL, c.StepMessage
	case iswigo.StatusInProgress:
		p := c.Progression
		s.Progression = &p
		if c.ProgressKey != "" {
			n := c.ProgressCount
			s.ProgressMessage, s.ProgressCount = c.ProgressKey, &n
		}
	case iswigo.StatusError:
		e := c.Errno
		s.Errno = &e
		s.Message, s.ActionURL = c.StepMessage, c.ActionURL
	}
	return s
}

// Account is the wire form of a bank account.
type Account struct {
	AccountID       string  `json:"account_id"`
	ConnectionID    string  `json:"connection_id"`
	Type            string  `json:"type"`
	Name            string  `json:"name"`
	AccountNumber   *string `json:"account_number"`
	BBAN            *string `json:"bban"`
	Balance         *money  `json:"balance"`
	Currency        string  `json:"currency"`
	IsProfessional  bool    `json:"is_professional"`
	ParentAccountID *string `json:"parent_account_id"`
}

func accountJSON(a *iswigo.Account) Account {
	out := Account{a.ID, a.ConnectionID, a.Type, a.Name, optional(a.Number), optional(a.BBAN), nil, a.Currency,
		a.IsProfessional, optional(a.ParentID)}
	if a.Balance != nil {
		m := money(*a.Balance)
		out.Balance = &m
	}
	return out
}

// Transaction is the wire form of a bank transaction.
type Transaction struct {
	TransactionID  string      `json:"transaction_id"`
	AccountID      string      `json:"account_id"`
	OperationDate  iswigo.Date `json:"operation_date"`
	ValueDate      iswigo.Date `json:"value_date"`
	AccountingDate iswigo.Date `json:"accounting_date"`
	CCOrderMonth   iswigo.Date `json:"cc_order_month"`
	CheckNumber    *string     `json:"check_number"`
	Amount         money       `json:"amount"`
	Wording        string      `json:"wording"`
	Text           *string     `json:"text"`
}

func transactionJSON(t *iswigo.Transaction) Transaction {
	return Transaction{t.ID, t.AccountID, t.OperationDate, t.ValueDate, t.AccountingDate, t.CCOrderMonth,
		optional(t.CheckNumber), money(t.Amount), t.Wording, optional(t.Text)}
}

// Event is the wire form of an event (the body of webhook deliveries too).
type Event = iswigo.EventWire

func eventJSON(e *iswigo.Event) Event { return e.Wire() }

// UnmarshalJSON reads what MarshalJSON writes (for the client).
func (t *wireTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = wireTime{}
		return nil
	}
	v, err := time.Parse(`"`+iswigo.TimeLayout+`"`, string(b))
	*t = wireTime(v)
	return err
}

// Time returns t as a time.Time (zero for null).
func (t wireTime) Time() time.Time { return time.Time(t) }

// UnmarshalJSON reads a JSON number exactly (2 decimals at most; the
// currency is the account's, set by the caller if it matters).
func (m *money) UnmarshalJSON(b []byte) error {
	v, err := iswigo.ParseAmount(string(b), "")
	*m = money(v)
	return err
}

// Cents returns the amount in minor units.
func (m money) Cents() int64 { return iswigo.Money(m).Minor }
