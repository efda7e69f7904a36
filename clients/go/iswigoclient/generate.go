// SPDX-License-Identifier: Apache-2.0

// Package iswigoclient is a Go client of the Iswigo API generated from
// api/openapi.yaml by oapi-codegen (client.gen.go), plus the request
// signature every /v1 call needs (signature.go). CI regenerates it and
// fails when the committed file differs, then runs the README walk-through
// with it against a real server (walkthrough_test.go).
//
// Integrators generate their own copy the same way (docs/clients.md); this
// package proves the document generates a client that compiles and works.
package iswigoclient

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2 -config oapi-codegen.yaml -o client.gen.go ../../../api/openapi.yaml
