// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"strconv"
	"strings"
)

// xnode is an element read into memory with its descendants. Formats stream
// through a document and read only small records (a camt Ntry, Bal, Acct)
// as trees, so memory stays bounded by the largest record.
type xnode struct {
	name      string // local name
	attrs     []xmlAttr
	text      string   // the element's own character data
	more      []string // further pieces of text while reading, joined at the end tag
	parent    *xnode
	firstKid  *xnode
	lastKid   *xnode
	next      *xnode // next sibling
	off       int    // byte offset of the start tag
	base      string // a tree root's parent path, for errors ("" below the root)
	rootIndex int    // a tree root's 1-based index among its siblings (0 = none shown)
}

// xmlArena hands out the nodes of one tree at a time, reusing them for the
// next tree: a tree is valid until the next readXMLTree on the same arena.
type xmlArena struct {
	chunks [][]xnode
	ci, ni int
}

const xmlArenaChunk = 256

func (a *xmlArena) reset() { a.ci, a.ni = 0, 0 }

func (a *xmlArena) node() *xnode {
	if a.ci == len(a.chunks) {
		a.chunks = append(a.chunks, make([]xnode, xmlArenaChunk))
	}
	n := &a.chunks[a.ci][a.ni]
	*n = xnode{}
	if a.ni++; a.ni == xmlArenaChunk {
		a.ci, a.ni = a.ci+1, 0
	}
	return n
}

// readXMLTree reads the element whose start token was just returned by s,
// up to its end tag, into nodes of arena (reset first). base is the path
// of its parent and index its 1-based index there (0 = not shown), for
// errors.
func readXMLTree(s *xmlScanner, arena *xmlArena, start xmlToken, base string, index int) (*xnode, error) {
	arena.reset()
	root := arena.node()
	root.name, root.off, root.base, root.rootIndex = start.name, start.off, base, index
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
			switch {
			case cur.text == "":
				cur.text = t.text
			case strings.TrimSpace(t.text) != "": // text split by a comment or CDATA
				cur.more = append(cur.more, t.text)
			}
		case xmlStart:
			n := arena.node()
			n.name, n.off, n.parent = t.name, t.off, cur
			if len(t.attrs) > 0 {
				n.attrs = append([]xmlAttr(nil), t.attrs...)
			}
			if cur.lastKid == nil {
				cur.firstKid = n
			} else {
				cur.lastKid.next = n
			}
			cur.lastKid = n
			cur = n
		case xmlEnd:
			if len(cur.more) > 0 {
				cur.text += strings.Join(cur.more, "")
				cur.more = nil
			}
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
	for k := n.firstKid; k != nil; k = k.next {
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
	for k := n.firstKid; k != nil; k = k.next {
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
		switch {
		case m.parent != nil:
			parts = append(parts, m.name+m.siblingIndex())
		case m.rootIndex > 0:
			parts = append(parts, m.name+"["+strconv.Itoa(m.rootIndex)+"]")
		default:
			parts = append(parts, m.name)
		}
		if m.parent == nil && m.base != "" {
			parts = append(parts, m.base)
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
	for k := n.parent.firstKid; k != nil; k = k.next {
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
	name   string
	index  int            // 1-based index shown in the path; 0 = none
	counts map[string]int // children seen so far by name (indexed ones only)
}

// push enters a child element named name; indexed children show their
// 1-based index among their same-named siblings in the path.
func (p *xmlPath) push(name string, indexed bool) {
	l := xmlLevel{name: name}
	if indexed && len(p.levels) > 0 {
		top := &p.levels[len(p.levels)-1]
		if top.counts == nil {
			top.counts = map[string]int{}
		}
		top.counts[name]++
		l.index = top.counts[name]
	} else if indexed {
		l.index = 1
	}
	p.levels = append(p.levels, l)
}

func (p *xmlPath) pop() { p.levels = p.levels[:len(p.levels)-1] }

func (p *xmlPath) String() string {
	var b strings.Builder
	for i, l := range p.levels {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(l.name)
		if l.index > 0 {
			b.WriteString("[" + strconv.Itoa(l.index) + "]")
		}
	}
	return b.String()
}
