// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The -update flag rewrites golden files. Other test files of the package
// may define it too: it is defined here only when no one else has, and
// read when used.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files")
	}
}

func updatingGoldenQIFCSV() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// goldenQIFCSV parses testdata/<path> with opt and compares the Result,
// as indented JSON, with testdata/<path>.golden.json.
func goldenQIFCSV(t *testing.T, path string, opt Options) *Result {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", path))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Parse(data, opt)
	if err != nil {
		t.Fatalf("Parse(%s): %v", path, err)
	}
	checkQIFCSVOutcome(t, res.Format, res, nil)
	got, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", path+".golden.json")
	if updatingGoldenQIFCSV() {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return res
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Parse(%s) differs from %s (go test -update rewrites it):\n%s", path, golden, got)
	}
	return res
}

// parseErrorCase is a bad input, its options, and the line and reason of
// the *Error it must give.
type parseErrorCase struct {
	name, in string
	opt      Options
	line     int
	reason   string
}

// wantParseError parses in as format f with opt and wants an *Error of f
// at line whose reason holds reason.
func wantParseError(t *testing.T, f Format, in string, opt Options, line int, reason string) {
	t.Helper()
	opt.Format = f
	_, err := Parse([]byte(in), opt)
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T); want an *Error", err, err)
	}
	if pe.Format != f || pe.Line != line || !strings.Contains(pe.Reason, reason) {
		t.Errorf("got %q (line %d); want line %d and %q", pe.Error(), pe.Line, line, reason)
	}
}

// addSeedFiles adds the testdata files matching pattern to the corpus.
func addSeedFiles(f *testing.F, pattern string) {
	paths, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seed files %s: %v", pattern, err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// checkQIFCSVOutcome is what every parse must give: an *Error of the
// format, or accounts whose transactions have a date and an amount in
// the account's currency.
func checkQIFCSVOutcome(t *testing.T, f Format, res *Result, err error) {
	t.Helper()
	if err != nil {
		var pe *Error
		if !errors.As(err, &pe) || pe.Format != f || pe.Reason == "" {
			t.Fatalf("error %v (%T) is not an *Error of %s", err, err, f)
		}
		return
	}
	for _, a := range res.Accounts {
		if !isCurrencyCode3(a.Currency) {
			t.Fatalf("account currency %q", a.Currency)
		}
		for _, tx := range a.Transactions {
			if tx.Date.IsZero() || tx.Amount.Currency != a.Currency {
				t.Fatalf("transaction %+v in %s", tx, a.Currency)
			}
		}
	}
}
