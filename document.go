// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"context"
	"io"
	"time"
)

// Document types.
const (
	DocumentTypeInvoice  = "invoice"
	DocumentTypeDocument = "document"
)

// Document is a file brought by a connection (invoice, statement…).
type Document struct {
	ID           string
	ConnectionID string
	UserID       string
	Name         string
	Extension    string
	Mime         string
	Type         string
	// Amount and PaymentDate are the meta of an invoice.
	Amount      *Money
	PaymentDate Date
	Size        int64
	SHA1        string // lower-case hex of the file's SHA-1
	// FileKey names the file in the FileStore; random, never derived from
	// user data. Never leaves the server.
	FileKey   string
	CreatedAt time.Time // the document's own date (create_time)
}

// DocumentFilter selects a user's documents.
type DocumentFilter struct {
	AppID, UserID string
	Type          string // "" = any
	Range         Range
}

// DocumentService reads documents. Every lookup is scoped to one user.
type DocumentService interface {
	// FindDocuments lists the user's documents newest first, with the total.
	FindDocuments(ctx context.Context, f DocumentFilter) ([]*Document, int, error)
	// FindDocumentByID returns ENOTFOUND unless the document is the user's.
	FindDocumentByID(ctx context.Context, appID, userID, id string) (*Document, error)
	// OpenDocument returns the document's file, to be closed by the caller.
	OpenDocument(ctx context.Context, d *Document) (io.ReadCloser, error)
}

// FileStore keeps files (documents) outside the database.
type FileStore interface {
	// Write stores r's bytes under key and returns their size and SHA-1
	// (lower-case hex). Nothing is stored when it fails.
	Write(ctx context.Context, key, contentType string, r io.Reader) (size int64, sha1 string, err error)
	// Open returns the file under key; ENOTFOUND when absent.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the file under key; a missing file is not an error.
	Delete(ctx context.Context, key string) error
	// List calls fn for every file whose key starts with prefix.
	List(ctx context.Context, prefix string, fn func(key string, modTime time.Time) error) error
}
