package parse

import (
	"strconv"
	"strings"
)

// xnode is an element read into memory with its descendants. Formats stream
// through a document and read only small records (a camt Ntry, Bal, Acct)
// as trees, so memory stays bounded by the largest record.
type xnode struct {
	name   string // local name
	attrs  []xmlAttr
	text   string // the element's own character data, concatenated
	kids   []*xnode
	parent *xnode
	off    int // byte offset of the start tag
	// label is the full path of a tree's root for error messages
	// ("Document/BkToCstmrStmt/Stmt[1]/Ntry[3]"); "" below the root.
	label string
}

// readXMLTree reads the element whose start token was just returned by s,
// up to its end tag. label is its path, for errors.
func readXMLTree(s *xmlScanner, start xmlToken, label string) (*xnode, error) {
	root := &xnode{name: start.name, off: start.off, label: label}
	if len(start.attrs) > 0 {
		root.attrs = append([]xmlAttr(nil), start.attrs...)
	}
	cur := root
	for {
		t, err := s.next()
		if err != nil {
			return nil, err
		}
		switch t.kind {
		case xmlText:
			if cur.text == "" {
				cur.text = t.text
			} else {
				cur.text += t.text
			}
		case xmlStart:
			n := &xnode{name: t.name, off: t.off, parent: cur}
			if len(t.attrs) > 0 {
				n.attrs = append([]xmlAttr(nil), t.attrs...)
			}
			cur.kids = append(cur.kids, n)
			cur = n
		case xmlEnd:
			if cur == root {
				return root, nil
			}
			cur = cur.parent
		}
	}
}

// skipXMLElement reads past the element whose start token was just
// returned by s.
func skipXMLElement(s *xmlScanner) error {
	depth := s.depth()
	for s.depth() >= depth {
		if _, err := s.next(); err != nil {
			return err
		}
	}
	return nil
}

// child returns the first child element named name, or nil.
func (n *xnode) child(name string) *xnode {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// find follows a path of child names: n.find("Tp", "CdOrPrtry", "Cd").
func (n *xnode) find(names ...string) *xnode {
	for _, name := range names {
		n = n.child(name)
	}
	return n
}

// value is the trimmed text of the element at the path, "" when absent.
func (n *xnode) value(names ...string) string {
	if m := n.find(names...); m != nil {
		return strings.TrimSpace(m.text)
	}
	return ""
}

// all returns the children named name.
func (n *xnode) all(name string) []*xnode {
	if n == nil {
		return nil
	}
	var out []*xnode
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

// attr returns the value of an attribute ("" = none).
func (n *xnode) attr(name string) string {
	for _, a := range n.attrs {
		if a.name == name {
			return strings.TrimSpace(a.value)
		}
	}
	return ""
}

// path is the element's path for error messages, with the 1-based index of
// an element among its same-named siblings when it has any:
// "Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt".
func (n *xnode) path() string {
	var parts []string
	for m := n; m != nil; m = m.parent {
		if m.parent == nil && m.label != "" {
			parts = append(parts, m.label)
		} else {
			parts = append(parts, m.name+m.siblingIndex())
		}
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "/")
}

func (n *xnode) siblingIndex() string {
	if n.parent == nil {
		return ""
	}
	idx, count := 0, 0
	for _, k := range n.parent.kids {
		if k.name == n.name {
			count++
			if k == n {
				idx = count
			}
		}
	}
	if count < 2 {
		return ""
	}
	return "[" + strconv.Itoa(idx) + "]"
}

// xmlPath tracks the path of the streamed part of a document (above the
// trees), counting repeated children for their 1-based index.
type xmlPath struct {
	levels []xmlLevel
}

type xmlLevel struct {
	name   string // with its index, e.g. "Stmt[2]"
	counts map[string]int
}

// push enters a child element named name and returns its index among its
// same-named siblings so far.
func (p *xmlPath) push(name string, indexed bool) int {
	n := 1
	if len(p.levels) > 0 {
		top := &p.levels[len(p.levels)-1]
		if top.counts == nil {
			top.counts = map[string]int{}
		}
		top.counts[name]++
		n = top.counts[name]
	}
	label := name
	if indexed {
		label += "[" + strconv.Itoa(n) + "]"
	}
	p.levels = append(p.levels, xmlLevel{name: label})
	return n
}

func (p *xmlPath) pop() { p.levels = p.levels[:len(p.levels)-1] }

func (p *xmlPath) String() string {
	parts := make([]string, len(p.levels))
	for i, l := range p.levels {
		parts[i] = l.name
	}
	return strings.Join(parts, "/")
}
