package parse

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
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

func updatingGolden() bool {
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
	got, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", path+".golden.json")
	if updatingGolden() {
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
