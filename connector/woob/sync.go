// SPDX-License-Identifier: Apache-2.0

package woob

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/iswigo/iswigo"
)

// moduleConnector synchronizes the connections of one woob module, one
// bridge process per sync. Immutable; safe for concurrent syncs.
type moduleConnector struct {
	r        *runner
	module   string
	provider iswigo.Provider
	// backgroundStep is the step a background NeedInteractiveFor2FA
	// stands for, "" when not certain (see backgroundStep).
	backgroundStep string
}

// Provider implements iswigo.Connector.
func (c *moduleConnector) Provider() iswigo.Provider {
	p := c.provider
	p.Types = append([]string(nil), p.Types...)
	p.Properties.Docs = append([]string(nil), p.Properties.Docs...)
	inputs := make(map[string]iswigo.InputSet, len(p.Inputs))
	for k, v := range p.Inputs {
		v.Inputs = append([]iswigo.Input(nil), v.Inputs...)
		inputs[k] = v
	}
	p.Inputs = inputs
	return p
}

// Sync implements iswigo.Connector: it runs the bridge's sync command with
// the connection's credentials and state, and carries its messages to s.
func (c *moduleConnector) Sync(ctx context.Context, s iswigo.SyncSession) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	config := map[string]string{}
	var secrets []string
	for k, v := range s.Credentials() {
		if v != "" { // an empty optional value is woob's default
			config[k] = v
			secrets = append(secrets, v)
		}
	}
	b, err := c.r.start(ctx, c.r.opts.MemoryLimit, secrets...)
	if err != nil {
		return err
	}
	defer b.close()
	state := json.RawMessage("null")
	if st := s.State(); len(st) > 0 && json.Valid(st) {
		state = st
	}
	cmd := syncCommand{Type: "sync", Data: c.r.opts.DataDir, Module: c.module, Config: config, State: state, Interactive: s.Interactive()}
	if err := b.send(cmd); err != nil {
		return err
	}
	run := &syncRun{c: c, s: s, b: b, today: iswigo.DateOf(s.Now()), accounts: map[string]*iswigo.ConnectorAccount{}, pending: map[string][]iswigo.ConnectorTransaction{}}
	return run.loop(ctx)
}

// syncRun is the state of one sync while the bridge talks.
type syncRun struct {
	c        *moduleConnector
	s        iswigo.SyncSession
	b        *bridge
	today    iswigo.Date
	progress int
	accounts map[string]*iswigo.ConnectorAccount
	pending  map[string][]iswigo.ConnectorTransaction // by account key, until transactions_end
	doc      *iswigo.ConnectorDocument                // being received
	docData  bytes.Buffer
}

func (r *syncRun) loop(ctx context.Context) error {
	for {
		m, err := r.b.recv(ctx)
		if err != nil {
			return err
		}
		done, err := r.handle(ctx, m)
		if err == nil {
			err = ctx.Err()
		}
		if err != nil || done {
			return err
		}
	}
}

// handle carries one message to the session; done at the bridge's "done".
func (r *syncRun) handle(ctx context.Context, m message) (done bool, err error) {
	switch m.Type {
	case "progress":
		return false, r.report(ctx, m)
	case "state":
		if len(m.Data) == 0 || !json.Valid(m.Data) {
			return false, fmt.Errorf("%w: a state that is not JSON", errBridge)
		}
		return false, r.s.SaveState(ctx, m.Data)
	case "account":
		return false, r.putAccount(ctx, m)
	case "transactions":
		return false, r.addTransactions(m)
	case "transactions_end":
		return false, r.putTransactions(ctx, m.AccountID)
	case "document":
		return false, r.startDocument(m)
	case "document_data":
		return false, r.addDocumentData(m)
	case "document_end":
		return false, r.putDocument(ctx, m.ID)
	case "item_error":
		r.c.r.opts.Logger.Warn("woob item failed", "module", r.c.module, "what", m.What, "id", m.ID, "kind", m.Kind, "message", r.b.scrub(m.Message))
		return false, nil
	case "ask":
		return false, r.ask(ctx, m)
	case "decoupled":
		return false, r.decoupled(ctx, m)
	case "redirect":
		return false, r.redirect(ctx)
	case "error":
		if m.Kind == "need_interactive" {
			return false, r.needInteractive(ctx, m)
		}
		return false, errorOf(m, r.b.scrub)
	case "done":
		if r.doc != nil || len(r.pending) > 0 {
			return false, fmt.Errorf("%w: done with a document or transactions unfinished", errBridge)
		}
		return true, nil
	}
	return false, fmt.Errorf("%w: unexpected message %q", errBridge, m.Type)
}

// report passes progress on, never backwards, with its message key when
// the session takes one.
func (r *syncRun) report(ctx context.Context, m message) error {
	pct := min(max(m.Percent, r.progress), 100)
	r.progress = pct
	if ps, ok := r.s.(iswigo.ProgressMessageSession); ok && m.Key != "" {
		return ps.ProgressMessage(ctx, pct, m.Key, m.Count)
	}
	return r.s.Progress(ctx, pct)
}

func (r *syncRun) putAccount(ctx context.Context, m message) error {
	if !r.c.provider.HasType(iswigo.ProviderTypeBank) {
		return fmt.Errorf("%w: an account from a provider without type bank", errBridge)
	}
	a, err := accountOf(m)
	if err != nil {
		return fmt.Errorf("woob module: %w", err)
	}
	if a.ParentKey != "" && r.accounts[a.ParentKey] == nil {
		a.ParentKey = ""
	}
	if r.accounts[a.Key] != nil {
		return fmt.Errorf("woob module: account %q twice", a.Key)
	}
	r.accounts[a.Key] = a
	return r.s.PutAccount(ctx, a)
}

func (r *syncRun) addTransactions(m message) error {
	a := r.accounts[m.AccountID]
	if a == nil {
		return fmt.Errorf("%w: transactions of account %q, not put", errBridge, m.AccountID)
	}
	deferred := a.Type == iswigo.AccountTypeDeferredCreditCard
	txs := r.pending[a.Key]
	for _, t := range m.Items {
		tx, ok, err := transactionOf(t, a.Currency, deferred, r.today)
		if err != nil {
			return fmt.Errorf("woob module: account %s: %w", a.Key, err)
		}
		if ok {
			txs = append(txs, tx)
		}
	}
	r.pending[a.Key] = txs
	return nil
}

func (r *syncRun) putTransactions(ctx context.Context, key string) error {
	if r.accounts[key] == nil {
		return fmt.Errorf("%w: transactions of account %q, not put", errBridge, key)
	}
	txs := r.pending[key]
	delete(r.pending, key)
	if len(txs) == 0 {
		return nil
	}
	return r.s.PutTransactions(ctx, key, txs)
}

func (r *syncRun) startDocument(m message) error {
	if r.doc != nil {
		return fmt.Errorf("%w: a document inside another", errBridge)
	}
	if !r.c.provider.HasType(iswigo.ProviderTypeDocument) {
		return fmt.Errorf("%w: a document from a provider without type document", errBridge)
	}
	if m.Size > r.c.r.opts.MaxDocument {
		return fmt.Errorf("woob module: document %s: %d bytes, more than %d", m.ID, m.Size, r.c.r.opts.MaxDocument)
	}
	d, err := documentOf(m, r.s.Now())
	if err != nil {
		return fmt.Errorf("woob module: %w", err)
	}
	r.doc = d
	r.docData.Reset()
	return nil
}

func (r *syncRun) addDocumentData(m message) error {
	if r.doc == nil {
		return fmt.Errorf("%w: document data outside a document", errBridge)
	}
	var s string
	if err := json.Unmarshal(m.Data, &s); err != nil {
		return fmt.Errorf("%w: document data: %v", errBridge, err)
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return fmt.Errorf("%w: document data: %v", errBridge, err)
	}
	if int64(r.docData.Len()+len(b)) > r.c.r.opts.MaxDocument {
		return fmt.Errorf("woob module: document %s: more than %d bytes", r.doc.Key, r.c.r.opts.MaxDocument)
	}
	r.docData.Write(b)
	return nil
}

func (r *syncRun) putDocument(ctx context.Context, id string) error {
	d := r.doc
	if d == nil || d.Key != id {
		return fmt.Errorf("%w: the end of document %q, not begun", errBridge, id)
	}
	r.doc = nil
	if r.docData.Len() == 0 {
		return fmt.Errorf("woob module: document %s: empty file", id)
	}
	return r.s.PutDocument(ctx, d, bytes.NewReader(r.docData.Bytes()))
}
