// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"context"
	"io"
	"time"
)

// ProviderIDStatements is the provider of statement import: its
// connections get their data from uploaded statement files, not from
// credentials.
const ProviderIDStatements = 900

// MaxStatementBytes is the largest statement file accepted (413 beyond).
const MaxStatementBytes = 20 << 20

// Statement file statuses.
const (
	StatementPending  = "pending"  // stored, not imported yet
	StatementImported = "imported" // its transactions are in its accounts
	StatementFailed   = "error"    // its import failed (Error says why)
)

// StatementFile is a statement file uploaded to a connection.
type StatementFile struct {
	ID           string
	ConnectionID string
	AppID        string
	UserID       string
	// Name is the name given at upload (?name=); "" = none.
	Name string
	// Format is "ofx", "camt", "mt940", "qif" or "csv"; Dialect says more.
	Format  string
	Dialect string
	Size    int64
	SHA1    string // lower-case hex
	// FileKey names the file in the FileStore. Never leaves the server.
	FileKey   string
	CreatedAt time.Time
	// Accounts and Transactions count what the file holds.
	Accounts     int
	Transactions int
	// TransactionsAdded and TransactionsKnown are what its import added
	// and found already stored; meaningful once Status is "imported".
	TransactionsAdded int
	TransactionsKnown int
	Status            string
	// Error is why the import failed (Status "error"); "" otherwise.
	Error string
	// Options say how the file is read again when it is imported.
	Options StatementOptions
}

// StatementOptions say how to read a statement file: the upload's query
// parameters, resolved (a CSV profile merged in, the target account of
// transactions without an account number chosen).
type StatementOptions struct {
	// Format forces a format; "" = detected.
	Format string `json:"format,omitempty"`
	// DateOrder is "dmy", "mdy" or "ymd" for ambiguous dates; "" = inferred.
	DateOrder string `json:"date_order,omitempty"`
	// Currency of files that name none; "" = the target account's, else EUR.
	Currency string `json:"currency,omitempty"`
	// Account is the key of the account that receives the transactions of
	// a file without account numbers (QIF, CSV).
	Account string     `json:"account,omitempty"`
	CSV     CSVMapping `json:"csv"`
}

// CSVMapping names the columns of a CSV file: header names or 1-based
// column numbers; empty fields are detected.
type CSVMapping struct {
	DateCol     string   `json:"date_col,omitempty"`
	AmountCol   string   `json:"amount_col,omitempty"`
	DebitCol    string   `json:"debit_col,omitempty"`
	CreditCol   string   `json:"credit_col,omitempty"`
	WordingCols []string `json:"wording_cols,omitempty"`
	// DateFormat is written with DD, MM, YYYY or YY ("DD/MM/YYYY").
	DateFormat string `json:"date_format,omitempty"`
	// Decimal is "," or "."; Delimiter is ",", ";" or a tab.
	Decimal   string `json:"decimal,omitempty"`
	Delimiter string `json:"delimiter,omitempty"`
}

// Merge returns m with the non-empty fields of over replacing its own.
func (m CSVMapping) Merge(over CSVMapping) CSVMapping {
	pick := func(a, b string) string {
		if b != "" {
			return b
		}
		return a
	}
	out := CSVMapping{DateCol: pick(m.DateCol, over.DateCol), AmountCol: pick(m.AmountCol, over.AmountCol),
		DebitCol: pick(m.DebitCol, over.DebitCol), CreditCol: pick(m.CreditCol, over.CreditCol),
		WordingCols: m.WordingCols, DateFormat: pick(m.DateFormat, over.DateFormat),
		Decimal: pick(m.Decimal, over.Decimal), Delimiter: pick(m.Delimiter, over.Delimiter)}
	if len(over.WordingCols) > 0 {
		out.WordingCols = over.WordingCols
	}
	return out
}

// CSVProfile is a named CSV mapping of an application (?profile=NAME).
type CSVProfile struct {
	AppID     string
	Name      string
	Mapping   CSVMapping
	CreatedAt time.Time
}

// StatementUpload is one statement file sent to a connection.
type StatementUpload struct {
	AppID, UserID, ConnectionID string
	Name                        string // "" = none
	Data                        []byte
	Options                     StatementOptions
	// Profile names a CSV profile of the application whose mapping the
	// Options' non-empty CSV fields override; "" = none.
	Profile string
}

// StatementReceipt is what an upload did.
type StatementReceipt struct {
	// File is the stored file or, for a duplicate, the earlier upload.
	File *StatementFile
	// Connection is the connection with its status after the upload.
	Connection *Connection
	// Duplicate: the connection already had this file (same SHA-1);
	// nothing was stored and no import queued.
	Duplicate bool
}

// StatementService imports statement files; the API and the funnel use it.
type StatementService interface {
	// UploadStatement reads u.Data before storing anything: a file that
	// does not parse is EINVALID with the parser's description (format,
	// line or element, reason) and nothing is kept. A good file is stored
	// and imported by a sync of the connection (queued after the running
	// one, if any). ENOTFOUND unless the connection is the user's;
	// EINVALID for a connection of another provider than
	// ProviderIDStatements.
	UploadStatement(ctx context.Context, u *StatementUpload) (*StatementReceipt, error)
	// FindStatementFiles lists a connection's files newest first, with
	// the total. ENOTFOUND unless the connection is the user's.
	FindStatementFiles(ctx context.Context, appID, userID, connectionID string, r Range) ([]*StatementFile, int, error)
}

// StatementStore keeps statement files and CSV profiles (sqldb).
type StatementStore interface {
	// AddStatementFile stores data in the file store and f's row, and
	// queues a sync of f's connection (or, when one is queued or running,
	// another after it), setting f's ID, FileKey, CreatedAt and Status.
	// When the connection has a file with the same SHA-1 already, nothing
	// is stored and that file is returned with duplicate true. It returns
	// the connection with its status either way.
	AddStatementFile(ctx context.Context, f *StatementFile, data []byte) (stored *StatementFile, c *Connection, duplicate bool, err error)
	// FindStatementFiles lists the files of a connection of the user,
	// newest first, with the total (an unknown connection has none).
	FindStatementFiles(ctx context.Context, appID, userID, connectionID string, r Range) ([]*StatementFile, int, error)
	// FindCSVProfile returns ENOTFOUND when the app has no profile name.
	FindCSVProfile(ctx context.Context, appID, name string) (*CSVProfile, error)
}

// StatementFileSource is what the statement connector sees of the
// uploaded files (injected in cmd/iswigo).
type StatementFileSource interface {
	// PendingStatementFiles returns the connection's files not imported
	// yet, oldest first.
	PendingStatementFiles(ctx context.Context, connectionID string) ([]*StatementFile, error)
	// OpenStatementFile returns the file's bytes, to be closed by the caller.
	OpenStatementFile(ctx context.Context, f *StatementFile) (io.ReadCloser, error)
	// FinishStatementFile records f's Status ("imported" or "error"),
	// TransactionsAdded, TransactionsKnown and Error.
	FinishStatementFile(ctx context.Context, f *StatementFile) error
}

// CSVProfileService manages the CSV profiles of applications (the
// csv-profile command).
type CSVProfileService interface {
	// CreateCSVProfile stores p; ECONFLICT when the app has one of that name.
	CreateCSVProfile(ctx context.Context, p *CSVProfile) error
	// FindCSVProfiles lists an app's profiles by name.
	FindCSVProfiles(ctx context.Context, appID string) ([]*CSVProfile, error)
	// DeleteCSVProfile returns ENOTFOUND when the app has no profile name.
	DeleteCSVProfile(ctx context.Context, appID, name string) error
}

// ConnectionSession is implemented by sync sessions that name the
// connection they synchronize: a connector whose data are uploaded to the
// connection (statement import) needs it.
type ConnectionSession interface {
	ConnectionID() string
}

// BatchSession is implemented by sync sessions that ingest self-contained
// batches, such as the transactions of one account in one statement file.
type BatchSession interface {
	// PutTransactionBatch is PutTransactions for one complete batch:
	// identical transactions (same dates, amount and wording, no provider
	// id) are told apart by their occurrence index within the batch, not
	// within the sync, so that two overlapping files give the same keys
	// to the same transactions. It returns how many were new.
	PutTransactionBatch(ctx context.Context, accountKey string, txs []ConnectorTransaction) (added int, err error)
}
