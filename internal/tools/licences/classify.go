// SPDX-License-Identifier: Apache-2.0

package main

import (
	"regexp"
	"strings"
)

// A licence is recognised by phrases of its text, compared after folding
// case and collapsing white space and comment markers. Each rule lists
// phrases that must all appear, and phrases that must not.
type rule struct {
	id      string
	all     []string
	without []string
}

// rules are tried in order; a file may match several (a file holding both
// the MIT and the Apache licence, say), except that a rule whose id is
// already matched is skipped.
var rules = []rule{
	// The GNU licences by their preambles or by the notice that applies
	// them ("under the terms of the GNU ..."): a mere mention, such as the
	// MPL's list of secondary licences, does not count.
	{id: "AGPL-3.0", all: []string{"the gnu affero general public license is a free, copyleft license"}},
	{id: "AGPL-3.0", all: []string{"under the terms of the gnu affero general public license"}},
	{id: "LGPL", all: []string{"this version of the gnu lesser general public license incorporates"}},
	{id: "LGPL", all: []string{"this license, the lesser general public license, applies to some"}},
	{id: "LGPL", all: []string{"under the terms of the gnu lesser general public license"}},
	{id: "LGPL", all: []string{"under the terms of the gnu library general public license"}},
	{id: "GPL", all: []string{"the gnu general public license is a free, copyleft license"}},
	{id: "GPL", all: []string{"the gnu general public license is intended to guarantee your freedom"}},
	{id: "GPL", all: []string{"under the terms of the gnu general public license"}},
	{id: "Apache-2.0", all: []string{"apache license", "version 2.0"}},
	{id: "MPL-2.0", all: []string{"mozilla public license", "2.0"}},
	{id: "MIT", all: []string{"permission is hereby granted, free of charge, to any person obtaining a copy", "the above copyright notice and this permission notice shall be included"}},
	{id: "ISC", all: []string{"permission to use, copy, modify, and", "distribute this software for any purpose with or without fee is hereby granted"}},
	{id: "BSD-3-Clause", all: []string{"redistribution and use in source and binary forms", "neither the name"}},
	{id: "BSD-3-Clause", all: []string{"redistribution and use in source and binary forms", "names of its contributors may be used to endorse"}},
	{id: "BSD-2-Clause", all: []string{"redistribution and use in source and binary forms", "redistributions in binary form must reproduce"}, without: []string{"neither the name", "names of its contributors may be used to endorse"}},
	{id: "public domain (SQLite)", all: []string{"sqlite is public domain", "dedicated to the public domain"}},
	// modernc.org/memory's LICENSE-LOGO only names where its logo image
	// comes from: no code is under it.
	{id: "logo attribution", all: []string{"commons.wikimedia.org wiki file:memory_infra_logo.png"}},
	{id: "Unlicense", all: []string{"this is free and unencumbered software released into the public domain"}},
	{id: "CC0-1.0", all: []string{"cc0 1.0 universal"}},
}

var space = regexp.MustCompile(`[\s*#/]+`)

// classify returns the licences text is recognised as, in rule order.
func classify(text []byte) []string {
	t := space.ReplaceAllString(strings.ToLower(string(text)), " ")
	var ids []string
	for _, r := range rules {
		if contains(ids, r.id) || !hasAll(t, r.all) || hasAny(t, r.without) {
			continue
		}
		ids = append(ids, r.id)
	}
	return ids
}

func hasAll(t string, phrases []string) bool {
	for _, p := range phrases {
		if !strings.Contains(t, p) {
			return false
		}
	}
	return true
}

func hasAny(t string, phrases []string) bool {
	for _, p := range phrases {
		if strings.Contains(t, p) {
			return true
		}
	}
	return false
}

func contains(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// forbidden are the licences an Apache-2.0 binary must not link: GPL and
// AGPL would impose themselves on the whole binary, and the LGPL's relinking
// terms cannot be met by a statically linked Go program.
var forbidden = map[string]bool{"GPL": true, "AGPL-3.0": true, "LGPL": true}

// refused says why m may not be linked, or "" when it may: a forbidden
// licence, or none recognised. A module offering a choice (files of several
// licences, one of them allowed, such as MIT or Apache) is allowed only
// when none of its licences is forbidden, to stay on the safe side.
func refused(m module) string {
	ls := m.licences()
	if len(m.Files) == 0 {
		return "no licence file at the module's root"
	}
	for _, f := range m.Files {
		if len(f.Licences) == 0 {
			return "licence file " + f.Name + " not recognised: classify it in internal/tools/licences/classify.go"
		}
	}
	for _, l := range ls {
		if forbidden[l] {
			return l + " may not be linked into the Apache-2.0 binary"
		}
	}
	return ""
}
