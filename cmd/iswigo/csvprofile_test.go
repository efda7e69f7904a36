// SPDX-License-Identifier: Apache-2.0

package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

func TestCSVProfileCommands(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			store := storeArgs(t, d)
			cmd := func(args ...string) (string, error) { return runCmd(t, append(args, store...)...) }
			for _, name := range []string{"acme", "other"} {
				if _, err := cmd("app", "create", "--name", name); err != nil {
					t.Fatal(err)
				}
			}
			out, err := cmd("csv-profile", "add", "--app", "acme", "--name", "my-bank", "--date-col", "Buchungstag",
				"--amount-col", "Betrag", "--wording-cols", "Empfänger, Verwendungszweck", "--date-format", "DD.MM.YYYY",
				"--decimal", ",", "--delimiter", ";")
			if err != nil {
				t.Fatal(err)
			}
			var p csvProfileView
			if err := json.Unmarshal([]byte(out), &p); err != nil || p.Name != "my-bank" || p.Mapping.AmountCol != "Betrag" ||
				strings.Join(p.Mapping.WordingCols, "|") != "Empfänger|Verwendungszweck" || p.Mapping.Delimiter != ";" {
				t.Fatalf("add: %s %v", out, err)
			}
			for _, args := range [][]string{
				{"csv-profile", "add", "--app", "acme", "--name", "my-bank", "--date-col", "Date"},  // taken
				{"csv-profile", "add", "--app", "acme", "--name", "bad name", "--date-col", "Date"}, // name
				{"csv-profile", "add", "--app", "acme", "--name", "x"},                              // empty mapping
				{"csv-profile", "add", "--app", "acme", "--name", "x", "--amount-col", "A", "--debit-col", "D", "--credit-col", "C"},
				{"csv-profile", "add", "--app", "acme", "--name", "x", "--delimiter", "|"},
				{"csv-profile", "add", "--app", "nobody", "--name", "x", "--date-col", "Date"},
				{"csv-profile", "list"},
				{"csv-profile", "remove", "--app", "other", "--name", "my-bank"}, // another app's
			} {
				if out, err := cmd(args...); err == nil {
					t.Errorf("%q succeeded (%s), want an error", args, out)
				}
			}
			if out, err := cmd("csv-profile", "list", "--app", "other"); err != nil || out != "" {
				t.Fatalf("list of another app = %q, %v; want nothing", out, err)
			}
			if out, err := cmd("csv-profile", "list", "--app", "acme"); err != nil || strings.Count(out, `"name":"my-bank"`) != 1 {
				t.Fatalf("list = %q, %v", out, err)
			}
			if _, err := cmd("csv-profile", "remove", "--app", "acme", "--name", "my-bank"); err != nil {
				t.Fatal(err)
			}
			if out, err := cmd("csv-profile", "list", "--app", "acme"); err != nil || out != "" {
				t.Fatalf("list after remove = %q, %v", out, err)
			}
		})
	}
}
