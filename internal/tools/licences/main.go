// SPDX-License-Identifier: Apache-2.0

// Command licences lists the licence of every module linked into the iswigo
// binary and refuses the ones an Apache-2.0 binary may not link.
//
//	go run ./internal/tools/licences -o docs/licences.md   # write the list
//	go run ./internal/tools/licences -check docs/licences.md
//
// It asks `go list -deps -json ./cmd/iswigo` (build dependencies only: test
// code is not linked) which modules the binary's packages come from, reads
// the licence files at the root of each module's directory in the module
// cache, and classifies them by their text (classify.go, written by hand:
// nothing is downloaded). With -check it exits 1 when a module's licence is
// forbidden (GPL, AGPL, and LGPL too: Go links statically) or not
// recognised, or when the file differs from what it would write.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
)

func main() {
	out := flag.String("o", "", "write the list to this Markdown file")
	check := flag.String("check", "", "fail unless this Markdown file is current and every licence allowed")
	pkg := flag.String("pkg", "./cmd/iswigo", "the main package whose build dependencies are listed")
	flag.Parse()
	if (*out == "") == (*check == "") {
		fmt.Fprintln(os.Stderr, "usage: licences -o FILE | -check FILE")
		os.Exit(2)
	}
	mods, err := linkedModules(*pkg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "licences:", err)
		os.Exit(1)
	}
	doc := markdown(*pkg, mods)
	if *out != "" {
		if err := os.WriteFile(*out, doc, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "licences:", err)
			os.Exit(1)
		}
	}
	failed := false
	for _, m := range mods {
		if reason := refused(m); reason != "" {
			fmt.Fprintf(os.Stderr, "licences: %s %s: %s\n", m.Path, m.Version, reason)
			failed = true
		}
	}
	if *check != "" {
		have, err := os.ReadFile(*check)
		if err != nil {
			fmt.Fprintln(os.Stderr, "licences:", err)
			os.Exit(1)
		}
		if !bytes.Equal(have, doc) {
			fmt.Fprintf(os.Stderr, "licences: %s is not current: run go run ./internal/tools/licences -o %s\n", *check, *check)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
	fmt.Printf("licences: %d modules linked into %s, every licence allowed\n", len(mods), *pkg)
}
