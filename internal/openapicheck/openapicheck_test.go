// SPDX-License-Identifier: Apache-2.0

package openapicheck

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

const testDoc = `
openapi: 3.1.0
info: {title: test, version: '1'}
paths:
  /items:
    get:
      operationId: listItems
      responses:
        '200':
          description: items
          headers:
            X-Total:
              required: true
              schema: {type: integer, minimum: 0}
            Link:
              schema: {type: string}
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/Item'}
              example: [{id: 1, name: one, note: null}]
        4XX:
          $ref: '#/components/responses/Error'
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewItem'}
            examples:
              one: {value: {name: one}}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
        default:
          $ref: '#/components/responses/Error'
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}, example: 7}
    get:
      operationId: getItem
      responses:
        '200':
          description: item
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
    delete:
      operationId: deleteItem
      responses:
        '204':
          description: deleted
  /items/special:
    get:
      operationId: getSpecial
      responses:
        '200':
          description: special
          content:
            application/json:
              schema: {const: true}
  /text:
    get:
      operationId: getText
      responses:
        '200':
          description: text
          content:
            text/plain:
              schema: {type: string}
x-unrouted-responses:
  '404': {$ref: '#/components/responses/Error'}
components:
  responses:
    Error:
      description: error
      content:
        application/json:
          schema:
            type: object
            additionalProperties: false
            required: [error]
            properties:
              error: {type: string}
          example: {error: nope}
  schemas:
    Item:
      type: object
      additionalProperties: false
      required: [id, name, note]
      properties:
        id: {type: integer}
        name: {type: string}
        note: {type: [string, 'null']}
        tag: {type: string, pattern: '^[a-z]+$', examples: [abc]}
    NewItem:
      type: object
      additionalProperties: false
      required: [name]
      properties:
        name: {type: string, minLength: 1}
`

func load(t *testing.T, doc string) *Doc {
	t.Helper()
	d, err := Load([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func jsonHeader(kv ...string) http.Header {
	h := http.Header{"Content-Type": {"application/json"}}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func TestOperations(t *testing.T) {
	d := load(t, testDoc)
	want := []string{"GET /items", "POST /items", "GET /items/special", "GET /items/{id}", "DELETE /items/{id}", "GET /text"}
	if got := d.Operations(); !slices.Equal(got, want) {
		t.Errorf("Operations() = %q, want %q", got, want)
	}
}

func TestValidateResponse(t *testing.T) {
	d := load(t, testDoc)
	item := `{"id":7,"name":"seven","note":null}`
	tests := []struct {
		name         string
		method, path string
		status       int
		header       http.Header
		body         string
		wantErr      []string // substrings of the error; nil: valid
		wantIs       error
	}{
		{name: "valid", method: "GET", path: "/items/7", status: 200, header: jsonHeader(), body: item},
		{name: "valid, nil header", method: "GET", path: "/items/7", status: 200, body: item},
		{name: "valid, optional member", method: "GET", path: "/items/7", status: 200, header: jsonHeader(),
			body: `{"id":7,"name":"seven","note":"x","tag":"abc"}`},
		{name: "valid list with headers and query", method: "GET", path: "/items?range=0-9", status: 200,
			header: jsonHeader("X-Total", "12", "Link", "<x>"), body: `[` + item + `]`},
		{name: "missing required field", method: "GET", path: "/items/7", status: 200, header: jsonHeader(),
			body: `{"id":7,"name":"seven"}`, wantErr: []string{"GET /items/{id} (/items/7) 200", "at ''", "note"}},
		{name: "extra field", method: "GET", path: "/items/7", status: 200, header: jsonHeader(),
			body: `{"id":7,"name":"seven","note":null,"color":"red"}`, wantErr: []string{"GET /items/{id}", "200", "color"}},
		{name: "wrong type", method: "GET", path: "/items/7", status: 200, header: jsonHeader(),
			body: `{"id":"7","name":"seven","note":null}`, wantErr: []string{"at '/id'", "want integer"}},
		{name: "wrong type in array", method: "GET", path: "/items", status: 200, header: jsonHeader("X-Total", "1"),
			body: `[{"id":1,"name":2,"note":null}]`, wantErr: []string{"GET /items 200", "at '/0/name'"}},
		{name: "pattern", method: "GET", path: "/items/7", status: 200, header: jsonHeader(),
			body: `{"id":7,"name":"seven","note":null,"tag":"ABC"}`, wantErr: []string{"at '/tag'"}},
		{name: "not JSON", method: "GET", path: "/items/7", status: 200, header: jsonHeader(),
			body: `{"id":7,`, wantErr: []string{"not JSON"}},
		{name: "empty JSON body", method: "GET", path: "/items/7", status: 200, header: jsonHeader(),
			body: ``, wantErr: []string{"not JSON"}},
		{name: "undocumented status", method: "GET", path: "/items/7", status: 404, header: jsonHeader(),
			body: `{"error":"x"}`, wantErr: []string{"GET /items/{id}", "404", "documented: 200"}, wantIs: ErrUnknownStatus},
		{name: "undocumented path", method: "GET", path: "/nothing", status: 200, header: jsonHeader(),
			body: `{}`, wantErr: []string{"/nothing"}, wantIs: ErrUnknownPath},
		{name: "too many segments", method: "GET", path: "/items/7/x", status: 200, header: jsonHeader(),
			body: `{}`, wantIs: ErrUnknownPath},
		{name: "undocumented method", method: "PATCH", path: "/items/7", status: 200, header: jsonHeader(),
			body: item, wantErr: []string{"PATCH", "GET, DELETE"}, wantIs: ErrUnknownMethod},
		{name: "range status", method: "GET", path: "/items", status: 418, header: jsonHeader(), body: `{"error":"teapot"}`},
		{name: "range status, bad body", method: "GET", path: "/items", status: 400, header: jsonHeader(),
			body: `{"error":1}`, wantErr: []string{"GET /items 400", "at '/error'"}},
		{name: "default", method: "POST", path: "/items", status: 500, header: jsonHeader(), body: `{"error":"boom"}`},
		{name: "literal wins", method: "GET", path: "/items/special", status: 200, header: jsonHeader(), body: `true`},
		{name: "literal wins, bad body", method: "GET", path: "/items/special", status: 200, header: jsonHeader(),
			body: item, wantErr: []string{"GET /items/special 200"}},
		{name: "template for other methods", method: "DELETE", path: "/items/special", status: 204, header: http.Header{}},
		{name: "no content", method: "DELETE", path: "/items/7", status: 204, header: http.Header{}},
		{name: "no content, with a body", method: "DELETE", path: "/items/7", status: 204, header: http.Header{},
			body: `{}`, wantErr: []string{"DELETE /items/{id} (/items/7) 204", "must be empty"}},
		{name: "missing required header", method: "GET", path: "/items", status: 200, header: jsonHeader(),
			body: `[]`, wantErr: []string{"missing header X-Total"}},
		{name: "bad header value", method: "GET", path: "/items", status: 200, header: jsonHeader("X-Total", "-1"),
			body: `[]`, wantErr: []string{"header X-Total"}},
		{name: "wrong Content-Type", method: "GET", path: "/items/7", status: 200,
			header: http.Header{"Content-Type": {"text/html"}}, body: item, wantErr: []string{"text/html"}},
		{name: "missing Content-Type", method: "GET", path: "/items/7", status: 200, header: http.Header{},
			body: item, wantErr: []string{"missing Content-Type"}},
		{name: "Content-Type parameters", method: "GET", path: "/items/7", status: 200,
			header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}, body: item},
		{name: "non-JSON media type", method: "GET", path: "/text", status: 200,
			header: http.Header{"Content-Type": {"text/plain"}}, body: "hello"},
		{name: "HEAD falls back to GET", method: "HEAD", path: "/items/7", status: 200, header: jsonHeader()},
		{name: "HEAD with a body", method: "HEAD", path: "/items/7", status: 200, header: jsonHeader(),
			body: item, wantErr: []string{"must be empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := d.ValidateResponse(tt.method, tt.path, tt.status, tt.header, []byte(tt.body))
			if tt.wantErr == nil && tt.wantIs == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %q is not %v", err, tt.wantIs)
			}
		})
	}
}

func TestCheckResponseUnrouted(t *testing.T) {
	d := load(t, testDoc)
	if err := d.CheckResponse("GET", "/nothing", 404, jsonHeader(), []byte(`{"error":"Not found"}`)); err != nil {
		t.Errorf("404 on an unknown path: %v", err)
	}
	if err := d.CheckResponse("GET", "/nothing", 404, jsonHeader(), []byte(`{"error":1}`)); err == nil {
		t.Error("a bad 404 body on an unknown path passed")
	}
	if err := d.CheckResponse("GET", "/nothing", 200, jsonHeader(), []byte(`{}`)); !errors.Is(err, ErrUnknownPath) {
		t.Errorf("200 on an unknown path: %v", err)
	}
	if err := d.ValidateResponse("GET", "/nothing", 404, jsonHeader(), []byte(`{"error":"Not found"}`)); !errors.Is(err, ErrUnknownPath) {
		t.Errorf("ValidateResponse must not use %s: %v", UnroutedExtension, err)
	}
	// Documented operations are checked as by ValidateResponse.
	if err := d.CheckResponse("GET", "/items/7", 200, jsonHeader(), []byte(`{}`)); err == nil {
		t.Error("a bad body on a documented operation passed")
	}
}

func TestValidateRequest(t *testing.T) {
	d := load(t, testDoc)
	for _, tt := range []struct {
		method, path, body string
		ok                 bool
	}{
		{"POST", "/items", `{"name":"one"}`, true},
		{"POST", "/items", `{"name":""}`, false},
		{"POST", "/items", `{"name":"one","x":1}`, false},
		{"POST", "/items", `{}`, false},
		{"POST", "/items", ``, false},
		{"POST", "/items", `{"name":`, false},
		{"GET", "/items", ``, true},
		{"GET", "/items", `{}`, false},
		{"PUT", "/items", `{}`, false},
	} {
		err := d.ValidateRequest(tt.method, tt.path, []byte(tt.body))
		if (err == nil) != tt.ok {
			t.Errorf("ValidateRequest(%s %s, %q) = %v, want ok=%v", tt.method, tt.path, tt.body, err, tt.ok)
		}
	}
}

func TestCheckExamples(t *testing.T) {
	d := load(t, testDoc)
	n, err := d.CheckExamples()
	if err != nil {
		t.Fatal(err)
	}
	// list example, request example, Error example, path parameter, tag's examples
	if n != 5 {
		t.Errorf("checked %d examples, want 5", n)
	}

	bad := strings.Replace(testDoc, "example: [{id: 1, name: one, note: null}]", "example: [{id: 1, name: one}]", 1)
	bad = strings.Replace(bad, "examples: [abc]", "examples: [ABC]", 1)
	bad = strings.Replace(bad, "one: {value: {name: one}}", "one: {value: {name: 1}}", 1)
	_, err = load(t, bad).CheckExamples()
	if err == nil {
		t.Fatal("bad examples passed")
	}
	for _, s := range []string{
		"/paths/~1items/get/responses/200/content/application~1json/example",
		"/components/schemas/Item/properties/tag",
		"/paths/~1items/post/requestBody/content/application~1json/examples/one/value",
	} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not name %s", err, s)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	for name, doc := range map[string]string{
		"empty":         ``,
		"not YAML":      "openapi: [",
		"OpenAPI 3.0":   "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
		"duplicate key": "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\npaths: {}\n",
		"bad ref": `openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /x:
    get:
      responses:
        '200': {$ref: '#/components/responses/Missing'}
`,
		"bad schema": `openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /x:
    get:
      responses:
        '200':
          description: x
          content:
            application/json:
              schema: {type: 12}
`,
		"bad status key": `openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /x:
    get:
      responses:
        '20': {description: x}
`,
	} {
		if _, err := Load([]byte(doc)); err == nil {
			t.Errorf("%s: Load succeeded", name)
		}
	}
}

// recorder is a testing.TB that records Errorf instead of failing.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestTransport(t *testing.T) {
	d := load(t, testDoc)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/items/1":
			w.Write([]byte(`{"id":1,"name":"one","note":null}`))
		case "/items/2":
			w.Write([]byte(`{"id":"2"}`))
		default:
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"error":"Not found"}`))
		}
	}))
	defer srv.Close()

	rec := &recorder{TB: t}
	client := &http.Client{Transport: d.Transport(rec, nil)}
	get := func(path string) string {
		resp, err := client.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	if body := get("/items/1"); body != `{"id":1,"name":"one","note":null}` || len(rec.errors) != 0 {
		t.Errorf("valid response: body %q, errors %q", body, rec.errors)
	}
	if body := get("/nothing"); body != `{"error":"Not found"}` || len(rec.errors) != 0 {
		t.Errorf("unrouted 404: body %q, errors %q", body, rec.errors)
	}
	if body := get("/items/2"); body != `{"id":"2"}` {
		t.Errorf("invalid response: body %q not restored", body)
	}
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "GET /items/{id}") || !strings.Contains(rec.errors[0], "at '/id'") {
		t.Errorf("invalid response: errors %q", rec.errors)
	}
}
