// SPDX-License-Identifier: Apache-2.0

package openapicheck

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/mail"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

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
		return fmt.Errorf("%s: %w: %d (documented: %s)", name, ErrUnknownStatus, status, strings.Join(sortedKeys(op.responses), ", "))
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
