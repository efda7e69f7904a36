// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"

	"github.com/iswigo/iswigo"
)

var (
	_ iswigo.ConnectionSession = (*Sync)(nil)
	_ iswigo.BatchSession      = (*Sync)(nil)
)

// ConnectionID implements iswigo.ConnectionSession.
func (s *Sync) ConnectionID() string { return s.conn.ID }

// PutTransactionBatch implements iswigo.BatchSession: the occurrence
// indexes of identical transactions start from zero for the batch, and the
// sync's own counts are left as they were.
func (s *Sync) PutTransactionBatch(ctx context.Context, accountKey string, txs []iswigo.ConnectorTransaction) (int, error) {
	saved := s.occurrences
	s.occurrences = map[occurrenceKey]int{}
	defer func() { s.occurrences = saved }()
	return s.putTransactions(ctx, accountKey, txs)
}
