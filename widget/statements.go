// SPDX-License-Identifier: Apache-2.0

package widget

import (
	"errors"
	"io"
	"net/http"

	"github.com/iswigo/iswigo"
)

// statementJSON is an uploaded statement file as the flow shows it.
type statementJSON struct {
	ID                string `json:"id"`
	Name              string `json:"name,omitempty"`
	Format            string `json:"format"`
	Status            string `json:"status"`
	Accounts          int    `json:"accounts"`
	Transactions      int    `json:"transactions"`
	TransactionsAdded *int   `json:"transactions_added"`
	TransactionsKnown *int   `json:"transactions_known"`
	Duplicate         bool   `json:"duplicate,omitempty"`
	Error             string `json:"error,omitempty"`
}

func statementOf(f *iswigo.StatementFile) statementJSON {
	s := statementJSON{ID: f.ID, Name: f.Name, Format: f.Format, Status: f.Status, Accounts: f.Accounts,
		Transactions: f.Transactions, Error: f.Error}
	if f.Status == iswigo.StatementImported {
		added, known := f.TransactionsAdded, f.TransactionsKnown
		s.TransactionsAdded, s.TransactionsKnown = &added, &known
	}
	return s
}

// statementConnection returns the connection named by id if the session
// reaches it and its provider is fed by statement files.
func (h *Handler) statementConnection(r *http.Request, sc *sessionContext, id string) (*iswigo.Connection, error) {
	if h.Statements == nil {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Not found")
	}
	if err := sc.ready(); err != nil {
		return nil, err
	}
	c, err := h.connection(r.Context(), sc, id)
	if err != nil {
		return nil, err
	}
	p, err := h.Providers.FindProviderByID(r.Context(), c.ProviderID)
	if err != nil {
		return nil, err
	}
	if !p.Properties.Statements {
		return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid connection: not fed by statement files")
	}
	return c, nil
}

// handleStatementUpload imports one statement file: the body is the raw
// file (up to iswigo.MaxStatementBytes, any Content-Type), the query names
// the connection (connection_id) and may give the file's name (name) and
// the upload parameters of the API (format, account, date_order…). It
// answers with the connection's state and the file, or the parser's 400.
func (h *Handler) handleStatementUpload(w http.ResponseWriter, r *http.Request, sc *sessionContext) error {
	q := r.URL.Query()
	c, err := h.statementConnection(r, sc, q.Get("connection_id"))
	if err != nil {
		return err
	}
	data, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, iswigo.MaxStatementBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return iswigo.Errorf(iswigo.ETOOLARGE, "Request body too large: at most %d bytes", iswigo.MaxStatementBytes)
	} else if err != nil {
		return iswigo.Errorf(iswigo.EINVALID, "Could not read the request body")
	}
	opt, profile := iswigo.StatementOptionsFromQuery(q)
	rec, err := h.Statements.UploadStatement(r.Context(), &iswigo.StatementUpload{AppID: sc.user.AppID, UserID: sc.user.ID,
		ConnectionID: c.ID, Name: q.Get("name"), Data: data, Options: opt, Profile: profile})
	if err != nil {
		return err
	}
	st := statementOf(rec.File)
	st.Duplicate = rec.Duplicate
	writeJSON(w, http.StatusOK, map[string]any{"connection": statusOfConnection(rec.Connection), "statement": st})
	return nil
}

// maxListedStatements bounds the files one list returns.
const maxListedStatements = 100

// handleStatementList lists the newest statement files of a connection,
// with what their imports added.
func (h *Handler) handleStatementList(w http.ResponseWriter, r *http.Request, sc *sessionContext) error {
	var req connectionRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	c, err := h.statementConnection(r, sc, req.ConnectionID)
	if err != nil {
		return err
	}
	files, _, err := h.Statements.FindStatementFiles(r.Context(), sc.user.AppID, sc.user.ID, c.ID,
		iswigo.Range{From: 0, To: maxListedStatements - 1})
	if err != nil {
		return err
	}
	out := make([]statementJSON, len(files))
	for i, f := range files {
		out[i] = statementOf(f)
	}
	writeJSON(w, http.StatusOK, map[string]any{"connection": statusOfConnection(c), "statements": out})
	return nil
}
