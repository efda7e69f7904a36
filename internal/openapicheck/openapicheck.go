// SPDX-License-Identifier: Apache-2.0

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
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"

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
	root map[string]any

	mu       sync.Mutex // guards compiler and schemas: CheckExamples compiles more
	compiler *jsonschema.Compiler
	schemas  map[string]*jsonschema.Schema // by JSON pointer in the document

	// Set by Load, then only read.
	responses map[string]*response // by JSON pointer of the Response Object
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

// Load parses an OpenAPI 3.1 document, YAML or JSON (a duplicate key is an
// error), and compiles the schema of every request body, response and
// response header. Only local references ("#/...") are supported.
func Load(doc []byte) (*Doc, error) {
	j, err := yaml.YAMLToJSONStrict(doc) // duplicate keys are errors
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
	d.mu.Lock()
	defer d.mu.Unlock()
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

func isJSON(mt string) bool { return mt == "application/json" || strings.HasSuffix(mt, "+json") }

func hasJSON(content map[string]*media) bool {
	for mt := range content {
		if isJSON(mt) {
			return true
		}
	}
	return false
}

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
