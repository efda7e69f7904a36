// SPDX-License-Identifier: Apache-2.0

package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"GPL notice", "This program is free software: you can redistribute it and/or modify\n// it under the terms of the GNU General Public License as published by", []string{"GPL"}},
		{"AGPL notice", "modify it under the terms of the GNU Affero General Public License as", []string{"AGPL-3.0"}},
		{"LGPL notice", "# under the terms of the GNU Lesser General Public License as published", []string{"LGPL"}},
		{"LGPL-3 text", "GNU LESSER GENERAL PUBLIC LICENSE\n This version of the GNU Lesser General Public License incorporates\nthe terms", []string{"LGPL"}},
		{"MPL names GNU licences as secondary", "Mozilla Public License Version 2.0\n\"Secondary License\" means either the GNU General Public License, Version 2.0, the GNU Lesser General Public License, Version 2.1, the GNU Affero General Public License", []string{"MPL-2.0"}},
		{"MIT", "Permission is hereby granted, free of charge, to any person obtaining a copy\nof this software... The above copyright notice and this permission notice shall be included in", []string{"MIT"}},
		{"BSD-2", "Redistribution and use in source and binary forms, with or without\n* Redistributions in binary form must reproduce the above", []string{"BSD-2-Clause"}},
		{"BSD-3", "Redistribution and use in source and binary forms ... Neither the name of Google", []string{"BSD-3-Clause"}},
		{"unknown", "All rights reserved.", nil},
	} {
		if got := classify([]byte(tc.text)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: classify = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestRefused(t *testing.T) {
	for _, tc := range []struct {
		name    string
		files   []licenceFile
		refused bool
	}{
		{"apache", []licenceFile{{"LICENSE", []string{"Apache-2.0"}}}, false},
		{"mpl", []licenceFile{{"LICENSE", []string{"MPL-2.0"}}}, false},
		{"gpl", []licenceFile{{"COPYING", []string{"GPL"}}}, true},
		{"agpl", []licenceFile{{"LICENSE", []string{"AGPL-3.0"}}}, true},
		{"lgpl beside mit", []licenceFile{{"LICENSE", []string{"MIT"}}, {"COPYING.LESSER", []string{"LGPL"}}}, true},
		{"unrecognised file", []licenceFile{{"LICENSE", []string{"MIT"}}, {"LICENSE-OTHER", nil}}, true},
		{"no file", nil, true},
	} {
		if got := refused(module{Path: "example.com/m", Files: tc.files}); (got != "") != tc.refused {
			t.Errorf("%s: refused = %q, want refused %v", tc.name, got, tc.refused)
		}
	}
}

// TestLicenceFiles reads the licence files of a module directory.
func TestLicenceFiles(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"LICENSE":   "Mozilla Public License Version 2.0",
		"COPYING":   "under the terms of the GNU General Public License",
		"README.md": "under the terms of the GNU General Public License",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, err := licenceFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := module{Files: files}
	if got := m.licences(); !slices.Equal(got, []string{"GPL", "MPL-2.0"}) {
		t.Errorf("licences = %v, want [GPL MPL-2.0] (README.md is not a licence file)", got)
	}
	if refused(m) == "" {
		t.Error("a module with a GPL file is not refused")
	}
}
