// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
)

// module is a module linked into the binary and what its licence files say.
type module struct {
	Path, Version string
	// Files are the licence files at the module's root, by name; each has
	// the licences its text was recognised as (empty: not recognised).
	Files []licenceFile
}

type licenceFile struct {
	Name     string
	Licences []string
}

// licenceName matches the names of licence files at a module's root.
var licenceName = regexp.MustCompile(`(?i)^(licen[cs]e|copying|unlicense)([-._].*)?$`)

// linkedModules returns the modules of the packages pkg is built from,
// sorted by path (the main module included, the standard library not).
func linkedModules(pkg string) ([]module, error) {
	cmd := exec.Command("go", "list", "-deps", "-json=Module", pkg)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v: %s", err, stderr.Bytes())
	}
	type goModule struct {
		Path, Version, Dir string
		Replace            *goModule
	}
	byPath := map[string]module{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct{ Module *goModule }
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list output: %w", err)
		}
		gm := p.Module
		if gm == nil {
			continue // the standard library
		}
		if _, ok := byPath[gm.Path]; ok {
			continue
		}
		version, dir := gm.Version, gm.Dir
		if gm.Replace != nil {
			version, dir = gm.Replace.Version, gm.Replace.Dir
		}
		m := module{Path: gm.Path, Version: version}
		if version == "" {
			m.Version = "(this module)"
		}
		files, err := licenceFiles(dir)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", gm.Path, err)
		}
		m.Files = files
		byPath[gm.Path] = m
	}
	mods := make([]module, 0, len(byPath))
	for _, m := range byPath {
		mods = append(mods, m)
	}
	sort.Slice(mods, func(i, j int) bool { return mods[i].Path < mods[j].Path })
	return mods, nil
}

// licenceFiles reads and classifies the licence files at the root of dir.
func licenceFiles(dir string) ([]licenceFile, error) {
	if dir == "" {
		return nil, errors.New("not in the module cache (run go mod download)")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []licenceFile
	for _, e := range entries {
		if e.IsDir() || !licenceName.MatchString(e.Name()) {
			continue
		}
		text, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		files = append(files, licenceFile{Name: e.Name(), Licences: classify(text)})
	}
	return files, nil
}

// licences returns the distinct licences of m's files, sorted.
func (m module) licences() []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range m.Files {
		for _, l := range f.Licences {
			if !seen[l] {
				seen[l] = true
				out = append(out, l)
			}
		}
	}
	sort.Strings(out)
	return out
}
