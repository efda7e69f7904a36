// SPDX-License-Identifier: Apache-2.0

package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/internal/httpwire"
)

// MaxBodyBytes is the largest request body accepted (413 beyond).
const MaxBodyBytes = 1 << 20

func asError(err error, target **iswigo.Error) bool { return errors.As(err, target) }

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(`{"error":{"code":500,"description":"Internal server error"}}`)
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

// decodeJSON decodes the request body (already read and size-checked by
// the middleware) into v. It requires Content-Type: application/json
// (EUNSUPPORTED otherwise), rejects malformed JSON and trailing data
// (EINVALID), and ignores unknown fields. A wrongly typed field is named.
func decodeJSON(r *http.Request, v any) error {
	body := requestBody(r)
	if err := requireJSONContentType(r); err != nil {
		return err
	}
	if err := httpwire.CheckJSONUTF8(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		var iswigoErr *iswigo.Error
		switch {
		case errors.As(err, &iswigoErr):
			return err
		case errors.As(err, &typeErr) && typeErr.Field != "":
			return iswigo.Errorf(iswigo.EINVALID, "Invalid %s: expected a %s", typeErr.Field, jsonTypeName(typeErr.Type.Kind().String()))
		case errors.Is(err, io.EOF):
			return iswigo.Errorf(iswigo.EINVALID, "Request body required")
		default:
			return iswigo.Errorf(iswigo.EINVALID, "Malformed JSON body")
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return iswigo.Errorf(iswigo.EINVALID, "Malformed JSON body: unexpected data after the JSON value")
	}
	return nil
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "map", "struct", "ptr":
		return "object"
	default:
		return "number"
	}
}

// requireJSONContentType returns EUNSUPPORTED unless a non-empty body is
// declared application/json.
func requireJSONContentType(r *http.Request) error {
	if len(requestBody(r)) == 0 {
		return nil
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return iswigo.Errorf(iswigo.EUNSUPPORTED, "Content-Type must be application/json")
	}
	return nil
}

// fieldString reads an optional string-or-null field of a JSON object
// decoded as raw messages. present is false when the key is absent.
func fieldString(m map[string]json.RawMessage, key string, maxLen int) (value string, present bool, err error) {
	raw, ok := m[key]
	if !ok {
		return "", false, nil
	}
	if string(raw) == "null" {
		return "", true, nil
	}
	if err := json.Unmarshal(raw, &value); err != nil {
		return "", true, iswigo.Errorf(iswigo.EINVALID, "Invalid %s: expected a string or null", key)
	}
	if len([]rune(value)) > maxLen {
		return "", true, iswigo.Errorf(iswigo.EINVALID, "Invalid %s: at most %d characters", key, maxLen)
	}
	return value, true, nil
}

var _ = fmt.Sprintf
