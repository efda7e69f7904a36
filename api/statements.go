// SPDX-License-Identifier: Apache-2.0

package api

import (
	"net/http"

	"github.com/iswigo/iswigo"
)

// StatementFile is the wire form of an uploaded statement file.
// TransactionsAdded and TransactionsKnown are null until it is imported;
// Error is set only when its import failed.
type StatementFile struct {
	ID                string   `json:"id"`
	ConnectionID      string   `json:"connection_id"`
	Name              *string  `json:"name"`
	Format            string   `json:"format"`
	Dialect           string   `json:"dialect"`
	Size              int64    `json:"size"`
	SHA1              string   `json:"sha1"`
	CreatedAt         wireTime `json:"created_at"`
	Status            string   `json:"status"`
	Accounts          int      `json:"accounts"`
	Transactions      int      `json:"transactions"`
	TransactionsAdded *int     `json:"transactions_added"`
	TransactionsKnown *int     `json:"transactions_known"`
	Error             string   `json:"error,omitempty"`
}

// StatementUpload is the answer of POST /v1/connections/{id}/statements:
// the connection's status and what the file holds.
type StatementUpload struct {
	Status
	Statement StatementUploaded `json:"statement"`
}

// StatementUploaded is an uploaded file with whether it had been uploaded
// already (then nothing was stored: it is the earlier upload).
type StatementUploaded struct {
	StatementFile
	Duplicate bool `json:"duplicate"`
}

func statementFileJSON(f *iswigo.StatementFile) StatementFile {
	out := StatementFile{ID: f.ID, ConnectionID: f.ConnectionID, Name: optional(f.Name), Format: f.Format, Dialect: f.Dialect,
		Size: f.Size, SHA1: f.SHA1, CreatedAt: wireTime(f.CreatedAt), Status: f.Status, Accounts: f.Accounts,
		Transactions: f.Transactions, Error: f.Error}
	if f.Status == iswigo.StatementImported {
		added, known := f.TransactionsAdded, f.TransactionsKnown
		out.TransactionsAdded, out.TransactionsKnown = &added, &known
	}
	return out
}

// statementRoute is the upload route, whose body is a raw file of up to
// iswigo.MaxStatementBytes in any Content-Type.
const statementRoute = "POST /v1/connections/{id}/statements"

// bodyLimit returns the largest body rt accepts and whether it must be JSON.
func bodyLimit(rt route) (limit int64, json bool) {
	if rt.method+" "+rt.pattern == statementRoute {
		return iswigo.MaxStatementBytes, false
	}
	return MaxBodyBytes, true
}

// handleUploadStatement parses and stores a statement file and queues its
// import: 202 with the connection's status and what the file holds, or
// 200 when the connection has this very file already (nothing stored).
func (s *Server) handleUploadStatement(w http.ResponseWriter, r *http.Request) error {
	if s.Statements == nil {
		return iswigo.Errorf(iswigo.ENOTFOUND, "Not found")
	}
	u := requestUser(r)
	q := r.URL.Query()
	opt, profile := iswigo.StatementOptionsFromQuery(q)
	rec, err := s.Statements.UploadStatement(r.Context(), &iswigo.StatementUpload{AppID: u.AppID, UserID: u.ID,
		ConnectionID: r.PathValue("id"), Name: q.Get("name"), Data: requestBody(r), Options: opt, Profile: profile})
	if err != nil {
		return err
	}
	status := http.StatusAccepted
	if rec.Duplicate {
		status = http.StatusOK
	}
	writeJSON(w, status, StatementUpload{Status: statusJSON(rec.Connection),
		Statement: StatementUploaded{StatementFile: statementFileJSON(rec.File), Duplicate: rec.Duplicate}})
	return nil
}

// handleListStatements lists a connection's statement files, newest first.
func (s *Server) handleListStatements(w http.ResponseWriter, r *http.Request) error {
	if s.Statements == nil {
		return iswigo.Errorf(iswigo.ENOTFOUND, "Not found")
	}
	rng, err := requestRange(r)
	if err != nil {
		return err
	}
	u := requestUser(r)
	files, total, err := s.Statements.FindStatementFiles(r.Context(), u.AppID, u.ID, r.PathValue("id"), rng)
	if err != nil {
		return err
	}
	out := make([]StatementFile, len(files))
	for i, f := range files {
		out[i] = statementFileJSON(f)
	}
	s.writeList(w, r, "statements", rng, total, len(out), out)
	return nil
}
