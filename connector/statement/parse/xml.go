// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file is the XML reader of the XML statement formats (camt, OFX 2.x).
// It is a small, strict XML 1.0 tokenizer written for these files rather
// than encoding/xml, for two reasons:
//   - safety by construction: it has no DTD support at all. A document type
//     declaration or any other markup declaration (<!DOCTYPE, <!ENTITY…) is
//     refused with a clear error, and only the five predefined entities and
//     numeric character references are decoded; nothing external is read.
//   - speed: on a camt.053 of 10,000 entries, encoding/xml's Decoder.Token
//     alone reads ~40 MB/s of CPU time on the project's machines (RawToken
//     ~53 MB/s), under the ≥ 50 MB/s parse target before any processing;
//     the whole camt parse on this tokenizer reads ~200 MB/s. It works on
//     one string and hands out substrings, without copying.
//
// It checks what matters to read a document right: tags nest and match,
// attributes are quoted, unique and free of '<', references are known,
// one root element, no text outside it. Depth, element count, attributes
// per element and name lengths are bounded.

// Limits of the XML reader.
const (
	maxXMLDepth    = 64
	maxXMLElements = 2_000_000
	maxXMLAttrs    = 32
	maxXMLName     = 256
)

type xmlKind uint8

const (
	xmlStart xmlKind = iota + 1
	xmlEnd
	xmlText
)

// xmlAttr is one attribute; name is the qualified name as written.
type xmlAttr struct{ name, value string }

// xmlToken is one token. name is the local name (prefix dropped) of a start
// or end tag; attrs are valid until the next call to next.
type xmlToken struct {
	kind  xmlKind
	name  string
	attrs []xmlAttr
	text  string // xmlText: character data, references decoded, CDATA included
	off   int    // byte offset in the source
}

// attr returns the value of the attribute named name ("" = none).
func (t *xmlToken) attr(name string) string {
	for _, a := range t.attrs {
		if a.name == name {
			return a.value
		}
	}
	return ""
}

// xmlSyntaxError is a tokenizer failure at a byte offset. refused marks
// the refusal of a DTD, markup declaration or unknown entity (a safety
// rule, not a mere syntax slip).
type xmlSyntaxError struct {
	off     int
	reason  string
	refused bool
}

func (e *xmlSyntaxError) Error() string { return e.reason }

// xmlScanner tokenizes src, a whole document already decoded to UTF-8.
type xmlScanner struct {
	src        string
	pos        int
	stack      []string // qualified names of the open elements
	elems      int
	attrs      []xmlAttr
	rootClosed bool
	selfClose  bool // the last start tag was <x/>: an end token is due
}

func newXMLScanner(src string) *xmlScanner {
	return &xmlScanner{src: src, stack: make([]string, 0, 16), attrs: make([]xmlAttr, 0, 4)}
}

// depth is the number of open elements.
func (s *xmlScanner) depth() int { return len(s.stack) }

func (s *xmlScanner) fail(off int, format string, args ...any) (xmlToken, error) {
	return xmlToken{}, &xmlSyntaxError{off: off, reason: fmt.Sprintf(format, args...)}
}

// next returns the next start, end or text token, skipping comments,
// processing instructions and white space outside the root element. At the
// end of a complete document it returns io.EOF.
func (s *xmlScanner) next() (xmlToken, error) {
	if s.selfClose {
		s.selfClose = false
		q := s.stack[len(s.stack)-1]
		s.pop()
		return xmlToken{kind: xmlEnd, name: localName(q), off: s.pos}, nil
	}
	for {
		src := s.src
		if s.pos >= len(src) {
			switch {
			case len(s.stack) > 0:
				return s.fail(s.pos, "the document ends inside <%s> (truncated file?)", s.stack[len(s.stack)-1])
			case !s.rootClosed:
				return s.fail(s.pos, "no root element")
			}
			return xmlToken{}, io.EOF
		}
		start := s.pos
		if src[start] != '<' {
			end := strings.IndexByte(src[start:], '<')
			if end < 0 {
				end = len(src)
			} else {
				end += start
			}
			s.pos = end
			raw := src[start:end]
			if len(s.stack) == 0 {
				if strings.TrimSpace(raw) != "" {
					return s.fail(start, "text outside the root element")
				}
				continue
			}
			text, err := decodeXMLText(raw, start)
			if err != nil {
				return xmlToken{}, err
			}
			return xmlToken{kind: xmlText, text: text, off: start}, nil
		}
		rest := src[start:]
		switch {
		case strings.HasPrefix(rest, "<?"):
			end := strings.Index(rest, "?>")
			if end < 0 {
				return s.fail(start, "unterminated processing instruction")
			}
			s.pos = start + end + 2
			continue
		case strings.HasPrefix(rest, "<!--"):
			end := strings.Index(rest[4:], "-->")
			if end < 0 {
				return s.fail(start, "unterminated comment")
			}
			s.pos = start + 4 + end + 3
			continue
		case strings.HasPrefix(rest, "<![CDATA["):
			end := strings.Index(rest, "]]>")
			if end < 0 {
				return s.fail(start, "unterminated CDATA section")
			}
			if len(s.stack) == 0 {
				return s.fail(start, "CDATA outside the root element")
			}
			s.pos = start + end + 3
			return xmlToken{kind: xmlText, text: rest[9:end], off: start}, nil
		case strings.HasPrefix(rest, "<!"):
			_, err := s.fail(start, "a DTD or markup declaration (%s) is refused: statement files must not declare a document type or entities", declName(rest))
			err.(*xmlSyntaxError).refused = true
			return xmlToken{}, err
		case strings.HasPrefix(rest, "</"):
			return s.endTag(start)
		}
		return s.startTag(start)
	}
}

func (s *xmlScanner) pop() {
	s.stack = s.stack[:len(s.stack)-1]
	if len(s.stack) == 0 {
		s.rootClosed = true
	}
}

func (s *xmlScanner) endTag(start int) (xmlToken, error) {
	p := start + 2
	name, p := s.name(p)
	if name == "" {
		return s.fail(start, "malformed end tag")
	}
	p = skipSpace(s.src, p)
	if p >= len(s.src) || s.src[p] != '>' {
		return s.fail(start, "end tag </%s> is not closed by '>'", name)
	}
	if len(s.stack) == 0 {
		return s.fail(start, "end tag </%s> without a start tag", name)
	}
	if top := s.stack[len(s.stack)-1]; top != name {
		return s.fail(start, "end tag </%s> does not match <%s>", name, top)
	}
	s.pos = p + 1
	s.pop()
	return xmlToken{kind: xmlEnd, name: localName(name), off: start}, nil
}

func (s *xmlScanner) startTag(start int) (xmlToken, error) {
	name, p := s.name(start + 1)
	if name == "" {
		return s.fail(start, "'<' not followed by an element name")
	}
	if s.rootClosed {
		return s.fail(start, "second root element <%s>", name)
	}
	if len(s.stack) >= maxXMLDepth {
		return s.fail(start, "elements nested deeper than %d levels", maxXMLDepth)
	}
	if s.elems++; s.elems > maxXMLElements {
		return s.fail(start, "more than %d elements", maxXMLElements)
	}
	s.attrs = s.attrs[:0]
	src := s.src
	for {
		q := skipSpace(src, p)
		if q >= len(src) {
			return s.fail(start, "start tag <%s> is not closed (truncated file?)", name)
		}
		switch c := src[q]; {
		case c == '>':
			s.pos = q + 1
			s.stack = append(s.stack, name)
			return xmlToken{kind: xmlStart, name: localName(name), attrs: s.attrs, off: start}, nil
		case c == '/':
			if q+1 >= len(src) || src[q+1] != '>' {
				return s.fail(start, "malformed empty-element tag <%s/>", name)
			}
			s.pos = q + 2
			s.stack = append(s.stack, name)
			s.selfClose = true
			return xmlToken{kind: xmlStart, name: localName(name), attrs: s.attrs, off: start}, nil
		case q == p:
			return s.fail(q, "start tag <%s>: expected white space, '>' or '/>'", name)
		}
		an, r := s.name(q)
		if an == "" {
			return s.fail(q, "start tag <%s>: malformed attribute", name)
		}
		r = skipSpace(src, r)
		if r >= len(src) || src[r] != '=' {
			return s.fail(q, "attribute %s of <%s> has no value", an, name)
		}
		r = skipSpace(src, r+1)
		if r >= len(src) || (src[r] != '"' && src[r] != '\'') {
			return s.fail(q, "attribute %s of <%s>: value not quoted", an, name)
		}
		end := strings.IndexByte(src[r+1:], src[r])
		if end < 0 {
			return s.fail(q, "attribute %s of <%s>: unterminated value", an, name)
		}
		raw := src[r+1 : r+1+end]
		if strings.IndexByte(raw, '<') >= 0 {
			return s.fail(q, "attribute %s of <%s>: '<' in a value", an, name)
		}
		val, err := decodeXMLText(raw, r+1)
		if err != nil {
			return xmlToken{}, err
		}
		for _, a := range s.attrs {
			if a.name == an {
				return s.fail(q, "attribute %s repeated in <%s>", an, name)
			}
		}
		if len(s.attrs) >= maxXMLAttrs {
			return s.fail(q, "more than %d attributes in <%s>", maxXMLAttrs, name)
		}
		s.attrs = append(s.attrs, xmlAttr{an, val})
		p = r + 1 + end + 1
	}
}

// name reads an XML name at p and returns it and the offset after it; ""
// when there is none.
func (s *xmlScanner) name(p int) (string, int) {
	src := s.src
	i := p
	for i < len(src) {
		c := src[i]
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/' || c == '=' || c == '<' || c == '"' || c == '\'' {
			break
		}
		i++
	}
	if i == p || i-p > maxXMLName {
		return "", p
	}
	c := src[p]
	if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c == ':' || c >= 0x80) {
		return "", p
	}
	return src[p:i], i
}

func skipSpace(s string, p int) int {
	for p < len(s) && (s[p] == ' ' || s[p] == '\t' || s[p] == '\r' || s[p] == '\n') {
		p++
	}
	return p
}

// localName drops a namespace prefix: "ns2:Ntry" → "Ntry".
func localName(q string) string {
	if i := strings.LastIndexByte(q, ':'); i >= 0 {
		return q[i+1:]
	}
	return q
}

// declName names a markup declaration for an error: "<!DOCTYPE", "<!ENTITY".
func declName(rest string) string {
	n := 2
	for n < len(rest) && n < 12 && rest[n] >= 'A' && rest[n] <= 'Z' {
		n++
	}
	return rest[:n]
}

// decodeXMLText decodes the references of character data or an attribute
// value: &lt; &gt; &amp; &apos; &quot; and &#N; &#xH;. Any other entity is
// refused (there is no DTD to declare one). off is raw's offset, for errors.
func decodeXMLText(raw string, off int) (string, error) {
	amp := strings.IndexByte(raw, '&')
	if amp < 0 {
		return raw, nil
	}
	var b strings.Builder
	b.Grow(len(raw))
	for amp >= 0 {
		b.WriteString(raw[:amp])
		semi := strings.IndexByte(raw[amp:min(len(raw), amp+13)], ';')
		if semi < 0 {
			return "", &xmlSyntaxError{off: off + amp, reason: "'&' not part of a reference (write &amp;)"}
		}
		ref := raw[amp+1 : amp+semi]
		switch ref {
		case "lt":
			b.WriteByte('<')
		case "gt":
			b.WriteByte('>')
		case "amp":
			b.WriteByte('&')
		case "apos":
			b.WriteByte('\'')
		case "quot":
			b.WriteByte('"')
		default:
			r, ok := charRef(ref)
			if !ok {
				return "", &xmlSyntaxError{off: off + amp, reason: fmt.Sprintf("entity &%s; refused: only the predefined XML entities and character references are allowed", ref), refused: true}
			}
			b.WriteRune(r)
		}
		off += amp + semi + 1
		raw = raw[amp+semi+1:]
		amp = strings.IndexByte(raw, '&')
	}
	b.WriteString(raw)
	return b.String(), nil
}

// charRef decodes the inside of a character reference: "#233", "#xE9".
func charRef(ref string) (rune, bool) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	var v uint64
	var err error
	if ref[1] == 'x' {
		v, err = strconv.ParseUint(ref[2:], 16, 32)
	} else {
		v, err = strconv.ParseUint(ref[1:], 10, 32)
	}
	r := rune(v)
	if err != nil || v == 0 || !utf8.ValidRune(r) {
		return 0, false
	}
	return r, true
}

// xmlDeclEncoding finds the encoding of an XML declaration.
var xmlDeclEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']`)

// decodeXMLDocument turns an XML file into UTF-8 text: by its byte order
// mark, else by the encoding its declaration names; UTF-8 (declared or by
// default) when the bytes are UTF-8, else Windows-1252.
func decodeXMLDocument(data []byte) (string, error) {
	enc := ""
	if len(data) >= 2 && !(data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF || data[0] == 0xEF) {
		head := data
		if len(head) > 256 {
			head = head[:256]
		}
		if m := xmlDeclEncoding.FindSubmatch(head); m != nil {
			enc = string(m[1])
		}
	}
	if strings.EqualFold(enc, "utf-16") || strings.EqualFold(enc, "utf-8") {
		// UTF-16 only with a byte order mark, which toUTF8 reads; UTF-8
		// falls back to Windows-1252 when the bytes are not UTF-8, as files
		// mislabelled by banks are.
		enc = ""
	}
	out, err := toUTF8(data, enc)
	if err != nil {
		return "", err
	}
	return string(out), nil
}

// lineAt returns the 1-based line of byte offset off in src.
func lineAt(src string, off int) int {
	if off > len(src) {
		off = len(src)
	}
	return strings.Count(src[:off], "\n") + 1
}
