// Package openapicheck checks HTTP exchanges against an OpenAPI 3.1
// document: it finds the operation of a request, then validates the
// response's status, headers and JSON body (JSON Schema 2020-12, with
// format assertions on) against what the document says.
//
// Tests use it to keep the served API and its published description in
// step: Doc.Transport wraps an http.RoundTripper and reports every response
// that the document does not allow.
package openapicheck

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"sigs.k8s.io/yaml"
)

// Errors wrapped by ValidateResponse and ValidateRequest when the request
// itself is not documented; test with errors.Is.
var (
	ErrUnknownPath   = errors.New("no documented path matches")
	ErrUnknownMethod = errors.New("method not documented for this path")
	ErrUnknownStatus = errors.New("status not documented")
)

// UnroutedExtension is the root-level extension, a Responses Object, that
// lists what the server answers to a request for an undocumented path or
// method (404, 405, redirects...). CheckResponse and Transport use it;
// ValidateResponse does not.
const UnroutedExtension = "x-unrouted-responses"

// docURL is the URL under which the document is registered with the
// JSON Schema compiler; "$ref": "#/components/schemas/X" resolves in it.
const docURL = "https://openapicheck.invalid/openapi.json"

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// Doc is a loaded OpenAPI document with its schemas compiled. It is safe
// for concurrent use once loaded.
type Doc struct {
	root      map[string]any
	compiler  *jsonschema.Compiler
	schemas   map[string]*jsonschema.Schema // by JSON pointer in the document
	responses map[string]*response          // by JSON pointer of the Response Object
	paths     []*pathEntry
	unrouted  map[string]*response // x-unrouted-responses, by status key
}

type pathEntry struct {
	template string
	segs     []segment
	ops      map[string]*operation // by upper-case method
}

// segment is one segment of a path template: a literal, or a pattern
// built from "{name}" parameters.
type segment struct {
	literal string
	re      *regexp.Regexp // nil for a literal
}

type operation struct {
	method, template string
	ptr              string
	responses        map[string]*response // "200", "4XX", "default"
	request          *requestBody         // nil: no body documented
}

func (op *operation) name() string { return op.method + " " + op.template }

type requestBody struct {
	ptr      string
	required bool
	content  map[string]*media
}

type response struct {
	ptr     string
	content map[string]*media // by media type; empty: no body
	headers []header
}

type media struct {
	typ    string
	ptr    string
	schema *jsonschema.Schema // nil when the media type has no schema
}

type header struct {
	name     string
	required bool
	typ      string // the schema's type, to read the value as JSON
	schema   *jsonschema.Schema
}

// Load parses an OpenAPI 3.1 document (YAML or JSON) and compiles the
// schema of every request body, response and response header.
func Load(doc []byte) (*Doc, error) {
	j, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return nil, fmt.Errorf("openapicheck: %w", err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		return nil, fmt.Errorf("openapicheck: %w", err)
	}
	root, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("openapicheck: the document is not an object")
	}
	if version, _ := root["openapi"].(string); !strings.HasPrefix(version, "3.1.") {
		return nil, fmt.Errorf("openapicheck: openapi is %q, want 3.1.x", root["openapi"])
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.RegisterFormat(&jsonschema.Format{Name: "email", Validate: validateEmail})
	if err := c.AddResource(docURL, v); err != nil {
		return nil, fmt.Errorf("openapicheck: %w", err)
	}
	d := &Doc{
		root:      root,
		compiler:  c,
		schemas:   map[string]*jsonschema.Schema{},
		responses: map[string]*response{},
	}
	paths, _ := root["paths"].(map[string]any)
	for _, template := range sortedKeys(paths) {
		if err := d.addPath(template, paths[template]); err != nil {
			return nil, fmt.Errorf("openapicheck: paths %s: %w", template, err)
		}
	}
	if ext, ok := root[UnroutedExtension]; ok {
		if d.unrouted, err = d.responsesObject("/"+UnroutedExtension, ext); err != nil {
			return nil, fmt.Errorf("openapicheck: %s: %w", UnroutedExtension, err)
		}
	}
	return d, nil
}

func (d *Doc) addPath(template string, item any) error {
	if !strings.HasPrefix(template, "/") {
		return errors.New("a path must start with /")
	}
	ptr, obj, err := d.deref(pointer("", "paths", template), item)
	if err != nil {
		return err
	}
	e := &pathEntry{template: template, ops: map[string]*operation{}}
	for _, s := range strings.Split(template, "/")[1:] {
		if !strings.Contains(s, "{") {
			e.segs = append(e.segs, segment{literal: s})
			continue
		}
		re, err := segmentPattern(s)
		if err != nil {
			return err
		}
		e.segs = append(e.segs, segment{re: re})
	}
	for _, m := range methods {
		o, ok := obj[m]
		if !ok {
			continue
		}
		op := &operation{method: strings.ToUpper(m), template: template, ptr: pointer(ptr, m)}
		oobj, ok := o.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: not an object", op.method)
		}
		if op.responses, err = d.responsesObject(pointer(op.ptr, "responses"), oobj["responses"]); err != nil {
			return fmt.Errorf("%s: %w", op.method, err)
		}
		if rb, ok := oobj["requestBody"]; ok {
			if op.request, err = d.requestBody(pointer(op.ptr, "requestBody"), rb); err != nil {
				return fmt.Errorf("%s: requestBody: %w", op.method, err)
			}
		}
		e.ops[op.method] = op
	}
	d.paths = append(d.paths, e)
	return nil
}

// segmentPattern turns a template segment such as "{id}" or "{name}.pdf"
// into a regular expression; a parameter matches one or more characters.
func segmentPattern(s string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	for s != "" {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(regexp.QuoteMeta(s))
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("unclosed { in %q", s)
		}
		b.WriteString(regexp.QuoteMeta(s[:i]))
		b.WriteString("(.+)")
		s = s[i+j+1:]
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

func (d *Doc) responsesObject(ptr string, v any) (map[string]*response, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("responses: missing or not an object")
	}
	out := map[string]*response{}
	for _, key := range sortedKeys(obj) {
		if strings.HasPrefix(key, "x-") {
			continue
		}
		k := strings.ToUpper(key)
		if k == "DEFAULT" {
			k = "default"
		} else if len(k) != 3 || k[0] < '1' || k[0] > '5' ||
			!(isDigits(k[1:]) || k[1:] == "XX") {
			return nil, fmt.Errorf("responses: bad status key %q", key)
		}
		r, err := d.response(pointer(ptr, key), obj[key])
		if err != nil {
			return nil, fmt.Errorf("responses %s: %w", key, err)
		}
		out[k] = r
	}
	return out, nil
}

func (d *Doc) response(ptr string, v any) (*response, error) {
	ptr, obj, err := d.deref(ptr, v)
	if err != nil {
		return nil, err
	}
	if r, ok := d.responses[ptr]; ok {
		return r, nil
	}
	r := &response{ptr: ptr}
	if r.content, err = d.content(pointer(ptr, "content"), obj["content"]); err != nil {
		return nil, err
	}
	headers, _ := obj["headers"].(map[string]any)
	for _, name := range sortedKeys(headers) {
		if strings.EqualFold(name, "Content-Type") {
			continue // ignored by OpenAPI: the media type says it
		}
		hptr, hobj, err := d.deref(pointer(ptr, "headers", name), headers[name])
		if err != nil {
			return nil, fmt.Errorf("header %s: %w", name, err)
		}
		h := header{name: name}
		h.required, _ = hobj["required"].(bool)
		if s, ok := hobj["schema"]; ok {
			if h.schema, err = d.compile(pointer(hptr, "schema")); err != nil {
				return nil, fmt.Errorf("header %s: %w", name, err)
			}
			if _, sobj, err := d.deref(pointer(hptr, "schema"), s); err == nil {
				h.typ, _ = sobj["type"].(string)
			}
		}
		r.headers = append(r.headers, h)
	}
	d.responses[ptr] = r
	return r, nil
}

func (d *Doc) requestBody(ptr string, v any) (*requestBody, error) {
	ptr, obj, err := d.deref(ptr, v)
	if err != nil {
		return nil, err
	}
	rb := &requestBody{ptr: ptr}
	rb.required, _ = obj["required"].(bool)
	if rb.content, err = d.content(pointer(ptr, "content"), obj["content"]); err != nil {
		return nil, err
	}
	return rb, nil
}

func (d *Doc) content(ptr string, v any) (map[string]*media, error) {
	obj, _ := v.(map[string]any)
	out := map[string]*media{}
	for _, mt := range sortedKeys(obj) {
		mobj, ok := obj[mt].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("content %s: not an object", mt)
		}
		m := &media{typ: strings.ToLower(mt), ptr: pointer(ptr, mt)}
		if _, ok := mobj["schema"]; ok {
			var err error
			if m.schema, err = d.compile(pointer(m.ptr, "schema")); err != nil {
				return nil, fmt.Errorf("content %s: %w", mt, err)
			}
		}
		out[m.typ] = m
	}
	return out, nil
}

// compile compiles the schema at the JSON pointer ptr of the document.
func (d *Doc) compile(ptr string) (*jsonschema.Schema, error) {
	if s, ok := d.schemas[ptr]; ok {
		return s, nil
	}
	s, err := d.compiler.Compile(docURL + "#" + fragment(ptr))
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", ptr, err)
	}
	d.schemas[ptr] = s
	return s, nil
}

// deref follows the local $ref of a Reference Object, if any, and returns
// the pointer and value of the object it designates.
func (d *Doc) deref(ptr string, v any) (string, map[string]any, error) {
	for range 32 {
		obj, ok := v.(map[string]any)
		if !ok {
			return "", nil, fmt.Errorf("%s: not an object", ptr)
		}
		ref, ok := obj["$ref"].(string)
		if !ok {
			return ptr, obj, nil
		}
		if !strings.HasPrefix(ref, "#") {
			return "", nil, fmt.Errorf("%s: only local references are supported, not %q", ptr, ref)
		}
		target, err := url.PathUnescape(ref[1:])
		if err != nil {
			return "", nil, fmt.Errorf("%s: bad reference %q", ptr, ref)
		}
		if v, err = lookup(d.root, target); err != nil {
			return "", nil, fmt.Errorf("%s: reference %q: %w", ptr, ref, err)
		}
		ptr = target
	}
	return "", nil, fmt.Errorf("%s: too many references", ptr)
}

// Operations returns "METHOD /path/{param}" for every operation of the
// document, sorted by path then method.
func (d *Doc) Operations() []string {
	var out []string
	for _, e := range d.paths {
		for _, m := range methods {
			if op, ok := e.ops[strings.ToUpper(m)]; ok {
				out = append(out, op.name())
			}
		}
	}
	return out
}

// find returns the operation that serves method on requestPath (a concrete
// path, optionally with a query): among the templates that match, literal
// segments win over parameters, from left to right, as in net/http's
// ServeMux; a template without that method gives way to a less specific
// one that has it. HEAD falls back to GET, whose body is then not sent.
func (d *Doc) find(method, requestPath string) (op *operation, head bool, err error) {
	method = strings.ToUpper(method)
	p := requestPath
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if !strings.HasPrefix(p, "/") {
		return nil, false, fmt.Errorf("%w: %s %s (not an absolute path)", ErrUnknownPath, method, requestPath)
	}
	segs := strings.Split(p, "/")[1:]
	for i, s := range segs {
		if u, err := url.PathUnescape(s); err == nil {
			segs[i] = u
		}
	}
	var matches []*pathEntry
	for _, e := range d.paths {
		if e.match(segs) {
			matches = append(matches, e)
		}
	}
	if len(matches) == 0 {
		return nil, false, fmt.Errorf("%w: %s %s", ErrUnknownPath, method, requestPath)
	}
	sort.SliceStable(matches, func(i, j int) bool { return moreSpecific(matches[i], matches[j]) })
	for _, e := range matches {
		if op, ok := e.ops[method]; ok {
			return op, false, nil
		}
	}
	if method == "HEAD" {
		for _, e := range matches {
			if op, ok := e.ops["GET"]; ok {
				return op, true, nil
			}
		}
	}
	var allowed []string
	for _, m := range methods {
		if _, ok := matches[0].ops[strings.ToUpper(m)]; ok {
			allowed = append(allowed, strings.ToUpper(m))
		}
	}
	return nil, false, fmt.Errorf("%w: %s %s (path %s documents %s)", ErrUnknownMethod, method, requestPath,
		matches[0].template, strings.Join(allowed, ", "))
}

func (e *pathEntry) match(segs []string) bool {
	if len(segs) != len(e.segs) {
		return false
	}
	for i, s := range e.segs {
		if s.re == nil {
			if s.literal != segs[i] {
				return false
			}
		} else if !s.re.MatchString(segs[i]) || strings.Contains(segs[i], "/") {
			return false
		}
	}
	return true
}

func moreSpecific(a, b *pathEntry) bool {
	for i := range a.segs {
		al, bl := a.segs[i].re == nil, b.segs[i].re == nil
		if al != bl {
			return al
		}
	}
	return false
}

// lookupStatus returns the response documented for status: the exact
// code, else its range ("4XX"), else "default".
func lookupStatus(responses map[string]*response, status int) *response {
	if r, ok := responses[strconv.Itoa(status)]; ok {
		return r
	}
	if r, ok := responses[fmt.Sprintf("%dXX", status/100)]; ok {
		return r
	}
	return responses["default"]
}

// ValidateResponse checks a response to method requestPath against the
// document: the operation must exist, status must be documented for it
// (an exact code, a range such as 4XX, or default), every required
// documented header must be present and match its schema, and the body
// must match the schema of its media type: for application/json (and
// +json) the body is parsed and validated; a response documented without
// content must have an empty body. A nil header skips the header and
// Content-Type checks (pass the real header, even empty, to have them).
//
// The error names the operation and the status, and gives the JSON
// pointer of every failing instance.
func (d *Doc) ValidateResponse(method, requestPath string, status int, header http.Header, body []byte) error {
	op, head, err := d.find(method, requestPath)
	if err != nil {
		return err
	}
	name := op.name()
	if p := pathOnly(requestPath); p != op.template {
		name += " (" + p + ")"
	}
	r := lookupStatus(op.responses, status)
	if r == nil {
		return fmt.Errorf("%s: %w: %d (documented: %s)", name, ErrUnknownStatus, status, strings.Join(statusKeys(op.responses), ", "))
	}
	return checkResponse(name, status, r, header, body, head)
}

// CheckResponse is ValidateResponse, except that a request for an
// undocumented path or method is checked against the document's
// x-unrouted-responses (the server's 404 and 405 answers, say) when it has
// them.
func (d *Doc) CheckResponse(method, requestPath string, status int, header http.Header, body []byte) error {
	err := d.ValidateResponse(method, requestPath, status, header, body)
	if d.unrouted == nil || !(errors.Is(err, ErrUnknownPath) || errors.Is(err, ErrUnknownMethod)) {
		return err
	}
	r := lookupStatus(d.unrouted, status)
	if r == nil {
		return fmt.Errorf("%w; and %s does not list %d", err, UnroutedExtension, status)
	}
	return checkResponse("unrouted "+strings.ToUpper(method)+" "+pathOnly(requestPath), status, r, header, body,
		strings.EqualFold(method, "HEAD"))
}

func checkResponse(name string, status int, r *response, header http.Header, body []byte, head bool) error {
	var problems []string
	if header != nil {
		for _, h := range r.headers {
			vals := header.Values(h.name)
			if len(vals) == 0 {
				if h.required {
					problems = append(problems, "missing header "+h.name)
				}
				continue
			}
			if h.schema == nil {
				continue
			}
			if err := h.schema.Validate(headerValue(strings.Join(vals, ", "), h.typ)); err != nil {
				problems = append(problems, fmt.Sprintf("header %s %q: %s", h.name, strings.Join(vals, ", "), schemaErrors(err)))
			}
		}
	}
	problems = append(problems, checkBody(r.content, header, body, head)...)
	if len(problems) > 0 {
		return fmt.Errorf("%s %d: %s", name, status, strings.Join(problems, "; "))
	}
	return nil
}

// checkBody checks body against content (a response's or a request's).
func checkBody(content map[string]*media, header http.Header, body []byte, head bool) []string {
	if len(content) == 0 {
		if len(body) > 0 {
			return []string{fmt.Sprintf("body must be empty, got %d bytes", len(body))}
		}
		return nil
	}
	if head {
		if len(body) > 0 {
			return []string{fmt.Sprintf("HEAD response body must be empty, got %d bytes", len(body))}
		}
		return nil
	}
	var m *media
	ct := ""
	if header != nil {
		ct = header.Get("Content-Type")
	}
	switch {
	case ct != "":
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil {
			return []string{fmt.Sprintf("bad Content-Type %q", ct)}
		}
		if m = content[mt]; m == nil {
			return []string{fmt.Sprintf("Content-Type %q not documented (documented: %s)", mt, strings.Join(sortedKeys(content), ", "))}
		}
	case header != nil && len(body) > 0:
		return []string{"missing Content-Type"}
	default:
		m = content["application/json"]
		if m == nil {
			if len(body) == 0 && !hasJSON(content) {
				return nil // e.g. a redirect of a POST: no body at all
			}
			for _, v := range content {
				m = v
				break
			}
			if len(content) > 1 {
				return []string{"missing Content-Type"}
			}
		}
	}
	if !isJSON(m.typ) {
		return nil
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return []string{fmt.Sprintf("body is not JSON (%v): %.200q", err, body)}
	}
	if m.schema == nil {
		return nil
	}
	if err := m.schema.Validate(inst); err != nil {
		return []string{"body " + schemaErrors(err)}
	}
	return nil
}

// ValidateRequest checks a JSON request body against the operation's
// requestBody: a documented required body must be present, an
// undocumented one absent, and a present body must match the
// application/json schema.
func (d *Doc) ValidateRequest(method, requestPath string, body []byte) error {
	op, _, err := d.find(method, requestPath)
	if err != nil {
		return err
	}
	name := op.name() + " request"
	switch {
	case op.request == nil:
		if len(body) > 0 {
			return fmt.Errorf("%s: no body documented, got %d bytes", name, len(body))
		}
		return nil
	case len(body) == 0:
		if op.request.required {
			return fmt.Errorf("%s: body required", name)
		}
		return nil
	}
	h := http.Header{}
	if _, ok := op.request.content["application/json"]; ok {
		h.Set("Content-Type", "application/json")
	}
	if problems := checkBody(op.request.content, h, body, false); len(problems) > 0 {
		return fmt.Errorf("%s: %s", name, strings.Join(problems, "; "))
	}
	return nil
}

// schemaErrors formats a validation error as its leaf causes, each with
// the JSON pointer of the failing instance: "at '/email': got number, want
// string".
func schemaErrors(err error) string {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err.Error()
	}
	var out []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			out = append(out, e.Error())
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	slices.Sort(out)
	return strings.Join(slices.Compact(out), "; ")
}

// headerValue reads a header value as the JSON value its schema expects.
func headerValue(s, typ string) any {
	switch typ {
	case "integer", "number":
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return jsonNumber(s)
		}
	case "boolean":
		if b, err := strconv.ParseBool(s); err == nil {
			return b
		}
	}
	return s
}

// validateEmail is the "email" format: an RFC 5322 addr-spec as net/mail
// reads it, alone (no display name, no angle brackets), at most 254 bytes.
func validateEmail(v any) error {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	if len(s) > 254 {
		return errors.New("longer than 254 bytes")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return errors.New("not a plain e-mail address")
	}
	return nil
}

func isJSON(mt string) bool { return mt == "application/json" || strings.HasSuffix(mt, "+json") }

func hasJSON(content map[string]*media) bool {
	for mt := range content {
		if isJSON(mt) {
			return true
		}
	}
	return false
}

func statusKeys(m map[string]*response) []string { return sortedKeys(m) }

func pathOnly(p string) string {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		return p[:i]
	}
	return p
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
