// SPDX-License-Identifier: Apache-2.0

package statement_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector/connectortest"
	"github.com/iswigo/iswigo/connector/statement"
)

// memFiles is an in-memory iswigo.StatementFileSource.
type memFiles struct {
	mu    sync.Mutex
	files map[string][]*iswigo.StatementFile // by connection
	data  map[string][]byte                  // by file key
}

func newMemFiles() *memFiles {
	return &memFiles{files: map[string][]*iswigo.StatementFile{}, data: map[string][]byte{}}
}

// add stores a pending file of connection conn.
func (m *memFiles) add(conn string, data string, opt iswigo.StatementOptions) *iswigo.StatementFile {
	m.mu.Lock()
	defer m.mu.Unlock()
	f := &iswigo.StatementFile{ID: iswigo.NewID(), ConnectionID: conn, FileKey: iswigo.NewID(), Status: iswigo.StatementPending, Options: opt}
	m.files[conn] = append(m.files[conn], f)
	m.data[f.FileKey] = []byte(data)
	return f
}

func (m *memFiles) PendingStatementFiles(_ context.Context, conn string) ([]*iswigo.StatementFile, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*iswigo.StatementFile
	for _, f := range m.files[conn] {
		if f.Status == iswigo.StatementPending {
			c := *f
			out = append(out, &c)
		}
	}
	return out, nil
}

func (m *memFiles) OpenStatementFile(_ context.Context, f *iswigo.StatementFile) (io.ReadCloser, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.data[f.FileKey]
	if !ok {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "File not found")
	}
	return io.NopCloser(bytes.NewReader(d)), nil
}

func (m *memFiles) FinishStatementFile(_ context.Context, f *iswigo.StatementFile) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, g := range m.files[f.ConnectionID] {
		if g.ID == f.ID {
			*g = *f
			return nil
		}
	}
	return fmt.Errorf("no file %s", f.ID)
}

const (
	qifBank = "!Type:Bank\nD02/01/2026\nT2,500.00\nPACME SARL\n^\nD05/01/2026\nT-3.50\nPCafe du coin\n^\n" +
		"D05/01/2026\nT-3.50\nPCafe du coin\n^\nD20/01/2026\nT-800.00\nPLoyer\n^\n"
	qifCard = "!Account\nNVisa Premier\nTCCard\n^\n!Type:CCard\nD2026-02-03\nT-20.00\nPLibrairie\n^\n"
	csvHome = "Date;Libellé;Montant\n05/01/2026;Boulangerie Paul;-4,60\n16/01/2026;Remboursement Marie;25,00\n"
)

func TestConnectorExercise(t *testing.T) {
	files := newMemFiles()
	connectortest.Exercise(t, statement.New(files), connectortest.Fixture{
		Good: map[string]string{},
		Upload: func(t *testing.T, s *connectortest.Session) {
			s.Connection = iswigo.NewID()
			files.add(s.Connection, qifBank, iswigo.StatementOptions{Account: statement.DefaultAccountKey})
			files.add(s.Connection, qifCard, iswigo.StatementOptions{})
			files.add(s.Connection, csvHome, iswigo.StatementOptions{Account: "home"})
		},
	})
}

func TestConnectorImportsOnceAndRecordsOutcomes(t *testing.T) {
	files := newMemFiles()
	c := statement.New(files)
	conn := iswigo.NewID()
	good := files.add(conn, qifBank, iswigo.StatementOptions{Account: statement.DefaultAccountKey})
	// A stored file that does not read any more (a parser changed) fails
	// alone; the others are imported.
	bad := files.add(conn, "!Type:Bank\nD99/99/2026\nT1\n^\n", iswigo.StatementOptions{Account: statement.DefaultAccountKey})
	s := connectortest.NewSession(map[string]string{}, iswigo.NewDate(2026, 3, 1).Time())
	s.Connection = conn
	if err := c.Sync(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Transactions[statement.DefaultAccountKey]); n != 4 {
		t.Fatalf("%d transactions put, want 4", n)
	}
	if good.Status != iswigo.StatementImported || good.TransactionsAdded != 4 || bad.Status != iswigo.StatementFailed || bad.Error == "" {
		t.Fatalf("outcomes: %+v, %+v", good, bad)
	}
	again := connectortest.NewSession(map[string]string{}, iswigo.NewDate(2026, 3, 1).Time())
	again.Connection, again.SavedState = conn, s.SavedState
	if err := c.Sync(context.Background(), again); err != nil {
		t.Fatal(err)
	}
	if len(again.Transactions) != 0 {
		t.Fatalf("a second sync put %v; want nothing (files are imported once)", again.Transactions)
	}
	// Without a connection the connector cannot know its files.
	if err := c.Sync(context.Background(), noConnection{connectortest.NewSession(nil, iswigo.NewDate(2026, 3, 1).Time())}); err == nil {
		t.Fatal("a sync without a connection succeeded")
	}
}

// noConnection hides the session's ConnectionID: it has only the
// methods of iswigo.SyncSession.
type noConnection struct{ iswigo.SyncSession }
