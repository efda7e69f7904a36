// SPDX-License-Identifier: Apache-2.0

package widget

import (
	"context"
	"net/http"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connflow"
)

type providersRequest struct {
	Query string `json:"query"`
	// Country keeps the providers of one ISO 3166 code; "" = every one.
	Country string `json:"country"`
}

// providerJSON is a provider as the selection screen lists it.
type providerJSON struct {
	ProviderID int      `json:"provider_id"`
	Name       string   `json:"name"`
	Country    string   `json:"country,omitempty"`
	Types      []string `json:"type"`
	// Logo is the provider's logo URL (https only); the page draws a
	// monogram without one.
	Logo string `json:"logo,omitempty"`
}

// maxProviders bounds the providers one search lists.
const maxProviders = 50

type formRequest struct {
	ProviderID   int    `json:"provider_id"`
	ConnectionID string `json:"connection_id"`
}

// inputJSON is one field of a form.
type inputJSON struct {
	// Choices are the values of a "select" input; Pattern a regular
	// expression the whole value must match (checked by the server).
	Choices   []choiceJSON `json:"choices,omitempty"`
	Pattern   string       `json:"pattern,omitempty"`
	Name      string       `json:"name"`
	Type      string       `json:"type"`
	Varname   string       `json:"varname"`
	Label     string       `json:"label"`
	MinLength int          `json:"minlength,omitempty"`
	MaxLength int          `json:"maxlength,omitempty"`
	Mask      string       `json:"mask,omitempty"`
	Optional  bool         `json:"optional,omitempty"`
	// Current is the masked stored value of a field that is not a secret,
	// when editing; a field left empty keeps its stored value.
	Current string `json:"current,omitempty"`
}

// formJSON is the credentials form of a provider, or of a step.
type formJSON struct {
	ProviderID   int            `json:"provider_id"`
	ProviderName string         `json:"provider_name"`
	ConnectionID string         `json:"connection_id,omitempty"`
	Edit         bool           `json:"edit"`
	Step         string         `json:"step,omitempty"`
	Title        []titleSegment `json:"title"`
	Inputs       []inputJSON    `json:"inputs"`
	// Statements: the provider is fed by statement files; the page shows
	// a file picker instead of the (empty) inputs.
	Statements bool `json:"statements,omitempty"`
	// Message is what the provider said when it asked this step ("A code
	// was sent to 06 ** ** ** 42"); shown above the step's form.
	Message string `json:"message,omitempty"`
}

// inputsJSON returns the fields of set with their labels in lang.
func inputsJSON(set iswigo.InputSet, lang string) []inputJSON {
	out := make([]inputJSON, len(set.Inputs))
	for i, in := range set.Inputs {
		out[i] = inputJSON{Name: in.Name, Type: in.Type, Varname: in.Varname, Label: in.LabelIn(lang),
			MinLength: in.MinLength, MaxLength: in.MaxLength, Mask: in.Mask, Optional: in.Optional, Pattern: in.Pattern}
		for _, c := range in.Choices {
			out[i].Choices = append(out[i].Choices, choiceJSON{c.Value, c.Label})
		}
	}
	return out
}

// handleForm returns the credentials form ("default" inputs) of a
// provider the session offers, to create a connection, or of a connection
// the session reaches, to edit it.
func (h *Handler) handleForm(w http.ResponseWriter, r *http.Request, sc *sessionContext) error {
	var req formRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	ctx := r.Context()
	if req.ConnectionID != "" {
		c, err := h.connection(ctx, sc, req.ConnectionID)
		if err != nil {
			return err
		}
		p, err := h.Providers.FindProviderByID(ctx, c.ProviderID)
		if err != nil {
			return err
		}
		creds, err := h.Connections.FindConnectionCredentials(ctx, sc.user.AppID, sc.user.ID, c.ID)
		if err != nil {
			return err
		}
		set := p.Inputs["default"]
		f := formJSON{ProviderID: p.ID, ProviderName: p.Name, ConnectionID: c.ID, Edit: true,
			Title: titleSegments(set.TitleIn(language(r)), p.Name, c.LoginMasked), Inputs: inputsJSON(set, language(r)), Statements: p.Properties.Statements}
		for i, in := range f.Inputs {
			v := creds[in.Varname]
			switch {
			case v == "" || in.Type == "password":
			case in.Type == "select":
				f.Inputs[i].Current = choiceLabel(set.Inputs[i], v) // not a secret: the choice itself
			default:
				f.Inputs[i].Current = iswigo.MaskLogin(v)
			}
		}
		writeJSON(w, http.StatusOK, f)
		return nil
	}
	p, err := h.creatableProvider(ctx, sc, req.ProviderID)
	if err != nil {
		return err
	}
	set := p.Inputs["default"]
	writeJSON(w, http.StatusOK, formJSON{ProviderID: p.ID, ProviderName: p.Name,
		Title: titleSegments(set.TitleIn(language(r)), p.Name, ""), Inputs: inputsJSON(set, language(r)), Statements: p.Properties.Statements})
	return nil
}

// creatableProvider returns provider id if the session may create a
// connection of it.
func (h *Handler) creatableProvider(ctx context.Context, sc *sessionContext, id int) (*iswigo.Provider, error) {
	if err := createSession(sc); err != nil {
		return nil, err
	}
	return h.flow().Provider(ctx, h.actor(sc), id)
}

// createSession returns EFORBIDDEN unless sc is a create session.
func createSession(sc *sessionContext) error {
	if sc.session.Action != iswigo.FunnelCreate {
		return iswigo.Errorf(iswigo.EFORBIDDEN, "This funnel session does not create connections")
	}
	return nil
}

type credentialsRequest struct {
	ProviderID   int               `json:"provider_id"`
	ConnectionID string            `json:"connection_id"`
	Values       map[string]string `json:"values"`
}

// handleCreate creates a connection with the provider's "default"
// inputs; its synchronization is queued at once.
func (h *Handler) handleCreate(w http.ResponseWriter, r *http.Request, sc *sessionContext) error {
	var req credentialsRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := sc.ready(); err != nil {
		return err
	}
	if err := createSession(sc); err != nil {
		return err
	}
	c, err := h.flow().Create(r.Context(), h.present(r, sc), connflow.CreateRequest{ProviderID: &req.ProviderID, Values: req.Values})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, statusOfConnection(c))
	return nil
}

// credentialsTarget decodes req and returns the connection it names, once
// the user may work on connections.
func (h *Handler) credentialsTarget(r *http.Request, sc *sessionContext, req *credentialsRequest) (*iswigo.Connection, error) {
	if err := decode(r, req); err != nil {
		return nil, err
	}
	if err := sc.ready(); err != nil {
		return nil, err
	}
	return h.connection(r.Context(), sc, req.ConnectionID)
}

// handleUpdate replaces a connection's credentials: the values given
// (non-empty) over the stored ones, validated as a whole (a field left
// empty keeps its stored value: connflow.EditRequest); a new
// synchronization is queued unless one is running.
func (h *Handler) handleUpdate(w http.ResponseWriter, r *http.Request, sc *sessionContext) error {
	var req credentialsRequest
	c, err := h.credentialsTarget(r, sc, &req)
	if err != nil {
		return err
	}
	values := req.Values
	if values == nil {
		values = map[string]string{} // the form was sent: its credentials are edited
	}
	if c, err = h.flow().Edit(r.Context(), h.present(r, sc), c, connflow.EditRequest{Values: values}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statusOfConnection(c))
	return nil
}

type connectionsRequest struct {
	ConnectionIDs []string `json:"connection_ids"`
}

// named returns the connections of ids, or every connection the session
// reaches when ids is empty.
func (h *Handler) named(ctx context.Context, sc *sessionContext, ids []string) ([]*iswigo.Connection, error) {
	return h.flow().Named(ctx, h.actor(sc), ids)
}

// requestedConnections decodes a {"connection_ids"} body and returns those
// connections (see named).
func (h *Handler) requestedConnections(r *http.Request, sc *sessionContext) ([]*iswigo.Connection, error) {
	var req connectionsRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	return h.named(r.Context(), sc, req.ConnectionIDs)
}

// connectionJSON is a connection as the status screen lists it.
type connectionJSON struct {
	statusJSON
	ProviderName string `json:"provider_name"`
	Login        string `json:"login"`
}

// handleConnections lists the connections the session reaches, with
// their state.
func (h *Handler) handleConnections(w http.ResponseWriter, r *http.Request, sc *sessionContext) error {
	conns, err := h.requestedConnections(r, sc)
	if err != nil {
		return err
	}
	out := make([]connectionJSON, len(conns))
	for i, c := range conns {
		out[i] = connectionJSON{statusJSON: statusOfConnection(c), Login: c.LoginMasked}
		if p, err := h.Providers.FindProviderByID(r.Context(), c.ProviderID); err == nil {
			out[i].ProviderName = p.Name
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"connections": out})
	return nil
}

// handleSync queues an interactive synchronization of the connections
// named (every one the session reaches when none is), unless one is
// queued or running, and answers with their states.
func (h *Handler) handleSync(w http.ResponseWriter, r *http.Request, sc *sessionContext) error {
	var req connectionsRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := sc.ready(); err != nil {
		return err
	}
	conns, err := h.flow().SyncAll(r.Context(), h.present(r, sc), req.ConnectionIDs)
	if err != nil {
		return err
	}
	out := make([]statusJSON, len(conns))
	for i, c := range conns {
		out[i] = statusOfConnection(c)
	}
	writeJSON(w, http.StatusOK, map[string]any{"connections": out})
	return nil
}

// handleStatus answers with the states of the connections named: the
// page's fallback when the progress stream does not work.
func (h *Handler) handleStatus(w http.ResponseWriter, r *http.Request, sc *sessionContext) error {
	conns, err := h.requestedConnections(r, sc)
	if err != nil {
		return err
	}
	out := make([]statusJSON, len(conns))
	for i, c := range conns {
		out[i] = statusOfConnection(c)
	}
	writeJSON(w, http.StatusOK, map[string]any{"connections": out})
	return nil
}

type connectionRequest struct {
	ConnectionID string `json:"connection_id"`
}

// requestedConnection decodes a {"connection_id"} body and returns that
// connection if the session reaches it.
func (h *Handler) requestedConnection(r *http.Request, sc *sessionContext) (*iswigo.Connection, error) {
	var req connectionRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	return h.connection(r.Context(), sc, req.ConnectionID)
}

// handleStepForm returns the form of the step a connection waits for.
func (h *Handler) handleStepForm(w http.ResponseWriter, r *http.Request, sc *sessionContext) error {
	c, err := h.requestedConnection(r, sc)
	if err != nil {
		return err
	}
	p, set, err := h.flow().Step(r.Context(), c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, formJSON{ProviderID: p.ID, ProviderName: p.Name, ConnectionID: c.ID, Step: c.Step,
		Title: titleSegments(set.TitleIn(language(r)), p.Name, c.LoginMasked), Inputs: inputsJSON(set, language(r)), Message: c.StepMessage})
	return nil
}

// handleStep answers the step a connection waits for, validated against
// the step's input set.
func (h *Handler) handleStep(w http.ResponseWriter, r *http.Request, sc *sessionContext) error {
	var req credentialsRequest
	c, err := h.credentialsTarget(r, sc, &req)
	if err != nil {
		return err
	}
	if c, err = h.flow().AnswerStep(r.Context(), h.present(r, sc), c, req.Values); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statusOfConnection(c))
	return nil
}

// accountJSON is an account as the result screen lists it.
type accountJSON struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Balance  string `json:"balance,omitempty"`
	Currency string `json:"currency,omitempty"`
}

// handleResult lists what a connection's synchronizations found.
func (h *Handler) handleResult(w http.ResponseWriter, r *http.Request, sc *sessionContext) error {
	c, err := h.requestedConnection(r, sc)
	if err != nil {
		return err
	}
	out := []accountJSON{}
	if h.Bank != nil {
		for from := 0; ; from += iswigo.MaxRangeSize {
			accounts, total, err := h.Bank.FindAccounts(r.Context(), sc.user.AppID, sc.user.ID, iswigo.Range{From: from, To: from + iswigo.MaxRangeSize - 1})
			if err != nil {
				return err
			}
			for _, a := range accounts {
				if a.ConnectionID != c.ID {
					continue
				}
				aj := accountJSON{Name: a.Name, Type: a.Type, Currency: a.Currency}
				if a.Balance != nil {
					aj.Balance = a.Balance.String()
				}
				out = append(out, aj)
			}
			if from+iswigo.MaxRangeSize >= total {
				break
			}
		}
	}
	docs := 0
	if h.Documents != nil {
		// Newest first: the documents of a first synchronization are among
		// the first pages.
		for from := 0; from < maxResultDocuments; from += iswigo.MaxRangeSize {
			found, total, err := h.Documents.FindDocuments(r.Context(), iswigo.DocumentFilter{AppID: sc.user.AppID, UserID: sc.user.ID,
				Range: iswigo.Range{From: from, To: from + iswigo.MaxRangeSize - 1}})
			if err != nil {
				return err
			}
			for _, d := range found {
				if d.ConnectionID == c.ID {
					docs++
				}
			}
			if from+iswigo.MaxRangeSize >= total {
				break
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"connection": statusOfConnection(c), "accounts": out, "documents": docs})
	return nil
}

// maxResultDocuments bounds the documents the result screen counts.
const maxResultDocuments = 1000
