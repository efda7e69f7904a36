// SPDX-License-Identifier: Apache-2.0

package api

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/iswigo/iswigo/internal/openapicheck"
	"sigs.k8s.io/yaml"
)

func loadOpenAPI(t *testing.T) *openapicheck.Doc {
	t.Helper()
	d, err := openapicheck.Load(openAPIDocument)
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	return d
}

// TestOpenAPIRoutes checks that openapi.yaml documents exactly the routes
// the server serves.
func TestOpenAPIRoutes(t *testing.T) {
	d := loadOpenAPI(t)
	ops := d.Operations()
	routes := (&Server{}).Routes()
	for _, r := range routes {
		if !slices.Contains(ops, r) {
			t.Errorf("route %s is not in openapi.yaml", r)
		}
	}
	for _, op := range ops {
		if !slices.Contains(routes, op) {
			t.Errorf("openapi.yaml documents %s, which is not a route", op)
		}
	}
}

// TestOpenAPIExamples checks every example of openapi.yaml against its
// schema, so that the examples cannot drift.
func TestOpenAPIExamples(t *testing.T) {
	d := loadOpenAPI(t)
	n, err := d.CheckExamples()
	if err != nil {
		t.Error(err)
	}
	if n < 30 {
		t.Errorf("only %d examples checked", n)
	}
}

// TestOpenAPISecurity checks that each operation's security requirement
// and authentication errors match the route's auth level, and that every
// operation documents the errors that the middleware may give any route.
func TestOpenAPISecurity(t *testing.T) {
	var doc struct {
		Security []map[string][]string                 `json:"security"`
		Paths    map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := yaml.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	for _, rt := range (&Server{}).routes() {
		name := rt.method + " " + rt.pattern
		raw, ok := doc.Paths[rt.pattern][strings.ToLower(rt.method)]
		if !ok {
			continue // reported by TestOpenAPIRoutes
		}
		var op yamlOperation
		if err := json.Unmarshal(raw, &op); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if op.OperationID == "" || op.Summary == "" || op.Description == "" {
			t.Errorf("%s: operationId, summary and description are required", name)
		}
		security := doc.Security
		if op.Security != nil {
			security = *op.Security
		}
		var schemes []string
		for _, req := range security {
			for s := range req {
				schemes = append(schemes, s)
			}
		}
		slices.Sort(schemes)
		want := map[authLevel][]string{
			public:         nil,
			signed:         {"appName", "appSignature"},
			userAuth:       {"appName", "appSignature", "userToken"},
			simplefinOpen:  nil,
			simplefinBasic: {"simplefinBasic"},
		}[rt.auth]
		if len(security) > 1 || !slices.Equal(schemes, want) {
			t.Errorf("%s: security %v, want one requirement with %v", name, security, want)
		}
		statuses := []string{"413", "500"}
		if rt.auth != public && rt.auth != simplefinOpen && rt.auth != simplefinBasic {
			statuses = append(statuses, "400", "401")
			if _, jsonBody := bodyLimit(rt); jsonBody {
				statuses = append(statuses, "415")
			}
		}
		for _, s := range statuses {
			if _, ok := op.Responses[s]; !ok {
				t.Errorf("%s: response %s not documented", name, s)
			}
		}
	}
}

type yamlOperation struct {
	OperationID string                 `json:"operationId"`
	Summary     string                 `json:"summary"`
	Description string                 `json:"description"`
	Security    *[]map[string][]string `json:"security"`
	Responses   map[string]any         `json:"responses"`
}
