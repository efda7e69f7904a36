// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
	"github.com/iswigo/iswigo/connector/woob/woobtest"
)

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

// TestWoobUpdateThenServe follows docs/woob.md with the fake modules'
// local repository in place of woob's own: "iswigo woob update", then
// "iswigo serve --woob-python", and the modules are providers.
func TestWoobUpdateThenServe(t *testing.T) {
	python := woobtest.Python(t)
	dir := t.TempDir()
	woobData := woobtest.DataDir(t, filepath.Join(dir, "data")) // <data>/woob, the default
	out, err := runCmd(t, "woob", "update", "--woob-python", python, "--data", filepath.Join(dir, "data"))
	if err != nil || !strings.Contains(out, "woob 3.7:") {
		t.Fatalf("woob update: %q, %v", out, err)
	}
	if _, err := os.Stat(filepath.Join(woobData, "repositories")); err != nil {
		t.Errorf("no repositories index in the woob data directory: %v", err)
	}

	store := []string{"--data", filepath.Join(dir, "data")}
	app, secret := createApp(t, "woob-app", store)
	srv, found := serveInProcess(t, append([]string{"--addr", "127.0.0.1:0", "--woob-python", python, "--woob-modules", "fakebank,fakebiller"}, store...), listening)
	providers, err := api.NewClient("http://"+found[0], app, secret).Providers(context.Background(), "", iswigo.Range{To: 199})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]int{}
	for _, p := range providers {
		names[p.Name] = p.ProviderID
	}
	if names["Fake Bank"] < iswigo.CatalogFirstProviderID || names["Fake Énergie"] < iswigo.CatalogFirstProviderID || names["Fake Banque Régionale"] != 0 {
		t.Errorf("providers %v: want Fake Bank and Fake Énergie (not fakeregion, outside --woob-modules) with catalogue ids", names)
	}
	if err := srv.wait(t); err != nil {
		t.Fatal(err)
	}
}
