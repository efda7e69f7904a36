// SPDX-License-Identifier: Apache-2.0

package sqldb_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// TestAllocateProviderIDsConcurrent: processes allocating at once for
// two families get distinct ids, each key one id, none below 10000.
func TestAllocateProviderIDsConcurrent(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		results := make([]map[string]int, 8)
		errs := make([]error, 8)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				family := []string{"a", "b"}[i%2]
				results[i], errs[i] = db.AllocateProviderIDs(ctx, family, []string{"x", "y", fmt.Sprint("k", i%4)})
			}()
		}
		wg.Wait()
		byID := map[int]string{}
		byKey := map[string]int{}
		for i, r := range results {
			if errs[i] != nil {
				t.Fatalf("allocation %d: %v", i, errs[i])
			}
			family := []string{"a", "b"}[i%2]
			for k, id := range r {
				fk := family + "/" + k
				if id < iswigo.CatalogFirstProviderID {
					t.Fatalf("%s got id %d", fk, id)
				}
				if prev, ok := byKey[fk]; ok && prev != id {
					t.Fatalf("%s got ids %d and %d", fk, prev, id)
				}
				if other, ok := byID[id]; ok && other != fk {
					t.Fatalf("id %d given to %s and %s", id, other, fk)
				}
				byKey[fk], byID[id] = id, fk
			}
		}
		if len(byKey) != 8 {
			t.Fatalf("%d keys allocated, want 8: %v", len(byKey), byKey)
		}
	})
}
