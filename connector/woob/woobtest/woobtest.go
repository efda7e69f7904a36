// SPDX-License-Identifier: Apache-2.0

// Package woobtest gives tests a woob interpreter and a woob data
// directory whose only module repository holds the fake modules of
// connector/woob/testdata/modules.
package woobtest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Python returns the interpreter of a virtualenv with woob 3.7
// (ISWIGO_TEST_WOOB_PYTHON, set by .ci/run). Without it the test is
// skipped, unless CI is set: then it fails.
func Python(t testing.TB) string {
	t.Helper()
	p := os.Getenv("ISWIGO_TEST_WOOB_PYTHON")
	if p == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but ISWIGO_TEST_WOOB_PYTHON is not: .ci/run installs woob and sets it")
		}
		t.Skip("ISWIGO_TEST_WOOB_PYTHON unset: no woob to test against (see docs/woob.md)")
	}
	return p
}

// DataDir returns a new woob data directory (under dir) whose
// sources.list names only a copy of the fake modules, a local repository
// (woob writes its index there). Updating it installs nothing from the
// network.
func DataDir(t testing.TB, dir string) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("woobtest: cannot locate the fake modules")
	}
	repo := filepath.Join(dir, "repo")
	if err := os.CopyFS(repo, os.DirFS(filepath.Join(filepath.Dir(file), "..", "testdata", "modules"))); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "woob")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "sources.list"), []byte("file://"+repo+"/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return data
}
