// SPDX-License-Identifier: Apache-2.0

package woob

import "encoding/json"

// ProtocolVersion is the bridge protocol this package speaks (the
// "protocol" of the bridge's hello).
const ProtocolVersion = 1

// message is any line the bridge writes: Type says which fields are set
// (docs/woob.md lists them by type).
type message struct {
	Type string `json:"type"`

	// hello
	Protocol int    `json:"protocol"`
	Woob     string `json:"woob"`
	Python   string `json:"python"`

	// module (list), installed (update)
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Website     string        `json:"website"`
	Version     string        `json:"version"`
	Caps        []string      `json:"caps"`
	Config      []configValue `json:"config"`
	Reason      string        `json:"reason"` // skipped

	// progress
	Percent int    `json:"percent"`
	Key     string `json:"key"`
	Count   int    `json:"count"`

	// state
	Data json.RawMessage `json:"data"` // also document_data (a base64 string)

	// account, document, item_error, transactions_end, document_end
	ID        string  `json:"id"`
	ParentID  string  `json:"parent_id"`
	Kind      string  `json:"kind"` // also error, item_error
	Label     string  `json:"label"`
	Number    string  `json:"number"`
	IBAN      string  `json:"iban"`
	Balance   *string `json:"balance"`
	Currency  string  `json:"currency"`
	OwnerType string  `json:"owner_type"`

	// transactions
	AccountID string            `json:"account_id"`
	Items     []wireTransaction `json:"items"`

	// document
	Format  string  `json:"format"`
	Bill    bool    `json:"bill"`
	Date    string  `json:"date"`
	Amount  *string `json:"amount"`
	DueDate string  `json:"due_date"`
	Size    int64   `json:"size"`

	// ask, decoupled, error, item_error
	Field   string `json:"field"`
	Message string `json:"message"`
	Medium  string `json:"medium"`
	What    string `json:"what"`

	// redirect, redirect_url, error (action needed)
	URL string `json:"url"`
	// error (action needed): the name of woob's ActionType ("ACKNOWLEDGE"…)
	Action string `json:"action"`
}

// configValue is one value of a module's CONFIG.
type configValue struct {
	ID        string         `json:"id"`
	Label     string         `json:"label"`
	Type      string         `json:"type"` // text, password, select
	Required  bool           `json:"required"`
	Transient bool           `json:"transient"`
	Choices   []configChoice `json:"choices"`
	Regexp    string         `json:"regexp"`
	Default   string         `json:"default"`
}

type configChoice struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// wireTransaction is a woob Transaction: dates are YYYY-MM-DD or null,
// the amount an exact decimal string.
type wireTransaction struct {
	Date   string `json:"date"`
	RDate  string `json:"rdate"`
	VDate  string `json:"vdate"`
	BDate  string `json:"bdate"`
	Amount string `json:"amount"`
	Label  string `json:"label"`
	Raw    string `json:"raw"`
	Kind   string `json:"kind"`
}

// Commands and answers iswigo writes to the bridge.
type (
	listCommand struct {
		Type    string   `json:"type"` // "list"
		Data    string   `json:"data"`
		Modules []string `json:"modules,omitempty"`
	}
	updateCommand struct {
		Type    string   `json:"type"` // "update"
		Data    string   `json:"data"`
		Modules []string `json:"modules,omitempty"`
	}
	syncCommand struct {
		Type        string            `json:"type"` // "sync"
		Data        string            `json:"data"`
		Module      string            `json:"module"`
		Config      map[string]string `json:"config"`
		State       json.RawMessage   `json:"state"`
		Interactive bool              `json:"interactive"`
	}
	answerMessage struct {
		Type   string            `json:"type"` // "answer"
		Values map[string]string `json:"values"`
	}
	redirectStartMessage struct {
		Type        string `json:"type"` // "redirect_start"
		CallbackURL string `json:"callback_url"`
		State       string `json:"state"`
	}
	callbackMessage struct {
		Type   string            `json:"type"` // "callback"
		Params map[string]string `json:"params"`
	}
	pollMessage struct {
		Type string `json:"type"` // "poll"
	}
)
