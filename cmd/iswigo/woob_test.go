package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testWoobPython is the interpreter of a virtualenv with woob 3.7 (set by
// .ci/run); skipped without it unless CI is set.
func testWoobPython(t *testing.T) string {
	t.Helper()
	p := os.Getenv("ISWIGO_TEST_WOOB_PYTHON")
	if p == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but ISWIGO_TEST_WOOB_PYTHON is not")
		}
		t.Skip("ISWIGO_TEST_WOOB_PYTHON unset")
	}
	return p
}

func TestWoobFlags(t *testing.T) {
	if _, on, err := (woobFlags{}).options("data", nil); on || err != nil {
		t.Errorf("no --woob-python: on=%v err=%v, want off without error", on, err)
	}
	if _, _, err := (woobFlags{modules: "bnp"}).options("data", nil); err == nil {
		t.Error("--woob-modules without --woob-python: want an error")
	}
	if _, _, err := (woobFlags{python: "/venv/bin/python", modules: "../x"}).options("data", nil); err == nil {
		t.Error("--woob-modules ../x: want an error")
	}
	opts, on, err := (woobFlags{python: "/venv/bin/python", modules: "bnp, cragr"}).options("/srv/iswigo", nil)
	if !on || err != nil || opts.DataDir != "/srv/iswigo/woob" || strings.Join(opts.Modules, "|") != "bnp|cragr" {
		t.Errorf("options %+v, %v, %v", opts, on, err)
	}
	if _, err := runCmd(t, "woob", "update"); err == nil || !strings.Contains(err.Error(), "--woob-python") {
		t.Errorf("woob update without --woob-python: %v", err)
	}
}

// TestWoobUpdate installs the fake modules' local repository with the real
// woob, as a self-hoster's "iswigo woob update" does with woob's own.
func TestWoobUpdate(t *testing.T) {
	python := testWoobPython(t)
	dir := t.TempDir()
	repo := filepath.Join(dir, "repo")
	if err := os.CopyFS(repo, os.DirFS("../../connector/woob/testdata/modules")); err != nil {
		t.Fatal(err)
	}
	woobData := filepath.Join(dir, "data", "woob")
	os.MkdirAll(woobData, 0o755)
	if err := os.WriteFile(filepath.Join(woobData, "sources.list"), []byte("file://"+repo+"/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, "woob", "update", "--woob-python", python, "--data", filepath.Join(dir, "data"))
	if err != nil || !strings.Contains(out, "woob 3.7:") {
		t.Fatalf("woob update: %q, %v", out, err)
	}
	if _, err := os.Stat(filepath.Join(woobData, "repositories")); err != nil {
		t.Errorf("no repositories index in the woob data directory: %v", err)
	}
}
