// SPDX-License-Identifier: Apache-2.0

package openapicheck

import (
	"errors"
	"fmt"
	"strconv"
)

// CheckExamples validates every example of the document against its own
// schema, so that examples cannot drift from the schemas they illustrate:
// the example and examples (the value of each Example Object) of media
// types, parameters and headers, wherever they are (operations,
// components, x-unrouted-responses), and the examples (and example)
// keywords inside schemas. It returns how many examples it checked.
func (d *Doc) CheckExamples() (int, error) {
	c := &exampleChecker{d: d, seen: map[string]bool{}}
	paths, _ := d.root["paths"].(map[string]any)
	for _, template := range sortedKeys(paths) {
		ptr, item, err := d.deref(pointer("", "paths", template), paths[template])
		if err != nil {
			c.fail(err)
			continue
		}
		c.parameters(pointer(ptr, "parameters"), item["parameters"])
		for _, m := range methods {
			op, ok := item[m].(map[string]any)
			if !ok {
				continue
			}
			optr := pointer(ptr, m)
			c.parameters(pointer(optr, "parameters"), op["parameters"])
			if rb, ok := op["requestBody"]; ok {
				c.requestBody(pointer(optr, "requestBody"), rb)
			}
			c.responses(pointer(optr, "responses"), op["responses"])
		}
	}
	c.responses("/"+UnroutedExtension, d.root[UnroutedExtension])
	comps, _ := d.root["components"].(map[string]any)
	for _, kind := range []string{"parameters", "headers", "requestBodies", "responses", "schemas"} {
		m, _ := comps[kind].(map[string]any)
		for _, name := range sortedKeys(m) {
			ptr := pointer("", "components", kind, name)
			switch kind {
			case "parameters", "headers":
				c.holder(ptr, m[name])
			case "requestBodies":
				c.requestBody(ptr, m[name])
			case "responses":
				c.response(ptr, m[name])
			case "schemas":
				c.schema(ptr, m[name])
			}
		}
	}
	return c.n, errors.Join(c.errs...)
}

type exampleChecker struct {
	d    *Doc
	seen map[string]bool
	n    int
	errs []error
}

func (c *exampleChecker) fail(err error) { c.errs = append(c.errs, err) }

func (c *exampleChecker) once(ptr string) bool {
	if c.seen[ptr] {
		return false
	}
	c.seen[ptr] = true
	return true
}

func (c *exampleChecker) parameters(ptr string, v any) {
	list, _ := v.([]any)
	for i, p := range list {
		c.holder(pointer(ptr, strconv.Itoa(i)), p)
	}
}

func (c *exampleChecker) requestBody(ptr string, v any) {
	ptr, obj, err := c.d.deref(ptr, v)
	if err != nil {
		c.fail(err)
		return
	}
	c.content(pointer(ptr, "content"), obj["content"])
}

func (c *exampleChecker) responses(ptr string, v any) {
	m, _ := v.(map[string]any)
	for _, key := range sortedKeys(m) {
		c.response(pointer(ptr, key), m[key])
	}
}

func (c *exampleChecker) response(ptr string, v any) {
	ptr, obj, err := c.d.deref(ptr, v)
	if err != nil {
		c.fail(err)
		return
	}
	headers, _ := obj["headers"].(map[string]any)
	for _, name := range sortedKeys(headers) {
		c.holder(pointer(ptr, "headers", name), headers[name])
	}
	c.content(pointer(ptr, "content"), obj["content"])
}

func (c *exampleChecker) content(ptr string, v any) {
	m, _ := v.(map[string]any)
	for _, mt := range sortedKeys(m) {
		c.holder(pointer(ptr, mt), m[mt])
	}
}

// holder checks the example and examples of an object that has a schema:
// a Media Type, Parameter or Header Object.
func (c *exampleChecker) holder(ptr string, v any) {
	ptr, obj, err := c.d.deref(ptr, v)
	if err != nil {
		c.fail(err)
		return
	}
	if !c.once(ptr) {
		return
	}
	s, hasSchema := obj["schema"]
	if hasSchema {
		c.schema(pointer(ptr, "schema"), s)
	}
	var values []any
	var where []string
	if ex, ok := obj["example"]; ok {
		values, where = append(values, ex), append(where, pointer(ptr, "example"))
	}
	exs, _ := obj["examples"].(map[string]any)
	for _, name := range sortedKeys(exs) {
		eptr, eobj, err := c.d.deref(pointer(ptr, "examples", name), exs[name])
		if err != nil {
			c.fail(err)
			continue
		}
		if val, ok := eobj["value"]; ok {
			values, where = append(values, val), append(where, eptr+"/value")
		}
	}
	if len(values) == 0 {
		return
	}
	if !hasSchema {
		c.fail(fmt.Errorf("%s: examples without a schema", ptr))
		return
	}
	sch, err := c.d.compile(pointer(ptr, "schema"))
	if err != nil {
		c.fail(err)
		return
	}
	for i, val := range values {
		c.n++
		if err := sch.Validate(val); err != nil {
			c.fail(fmt.Errorf("example %s: %s", where[i], schemaErrors(err)))
		}
	}
}

// schema checks the examples keyword of a schema and of its subschemas.
func (c *exampleChecker) schema(ptr string, v any) {
	obj, ok := v.(map[string]any)
	if !ok || !c.once(ptr) {
		return
	}
	var values []any
	if ex, ok := obj["example"]; ok {
		values = append(values, ex)
	}
	if exs, ok := obj["examples"].([]any); ok {
		values = append(values, exs...)
	}
	if len(values) > 0 {
		sch, err := c.d.compile(ptr)
		if err != nil {
			c.fail(err)
		} else {
			for i, val := range values {
				c.n++
				if err := sch.Validate(val); err != nil {
					c.fail(fmt.Errorf("example %d of schema %s: %s", i, ptr, schemaErrors(err)))
				}
			}
		}
	}
	for _, kw := range []string{"items", "additionalProperties", "not", "if", "then", "else", "contains",
		"unevaluatedItems", "unevaluatedProperties", "propertyNames", "contentSchema"} {
		if sub, ok := obj[kw]; ok {
			c.schema(pointer(ptr, kw), sub)
		}
	}
	for _, kw := range []string{"properties", "patternProperties", "$defs", "dependentSchemas"} {
		m, _ := obj[kw].(map[string]any)
		for _, name := range sortedKeys(m) {
			c.schema(pointer(ptr, kw, name), m[name])
		}
	}
	for _, kw := range []string{"allOf", "anyOf", "oneOf", "prefixItems"} {
		list, _ := obj[kw].([]any)
		for i, sub := range list {
			c.schema(pointer(ptr, kw, strconv.Itoa(i)), sub)
		}
	}
}
