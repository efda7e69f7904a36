// SPDX-License-Identifier: Apache-2.0

package api

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/iswigo/iswigo"
)

// Document is the wire form of a document. Meta is an object for an
// invoice ({"amount", "payment_date"}) and [] otherwise, as the reference shows.
type Document struct {
	DocumentID   string          `json:"document_id"`
	ConnectionID string          `json:"connection_id"`
	CreateTime   wireTime        `json:"create_time"`
	Name         string          `json:"name"`
	Extension    string          `json:"extension"`
	Mime         string          `json:"mime"`
	Size         int64           `json:"size"`
	Type         string          `json:"type"`
	Meta         json.RawMessage `json:"meta"`
	Hash         struct {
		SHA1 string `json:"sha1"`
	} `json:"hash"`
}

// invoiceMeta is the meta of an invoice.
type invoiceMeta struct {
	Amount      *money      `json:"amount"`
	PaymentDate iswigo.Date `json:"payment_date"`
}

func documentJSON(d *iswigo.Document) Document {
	out := Document{DocumentID: d.ID, ConnectionID: d.ConnectionID, CreateTime: wireTime(d.CreatedAt), Name: d.Name,
		Extension: d.Extension, Mime: d.Mime, Size: d.Size, Type: d.Type, Meta: json.RawMessage("[]")}
	if d.Amount != nil || !d.PaymentDate.IsZero() {
		m := invoiceMeta{PaymentDate: d.PaymentDate}
		if d.Amount != nil {
			a := money(*d.Amount)
			m.Amount = &a
		}
		out.Meta, _ = json.Marshal(m)
	}
	out.Hash.SHA1 = d.SHA1
	return out
}

func (s *Server) handleListDocuments(w http.ResponseWriter, r *http.Request) error {
	rng, err := requestRange(r)
	if err != nil {
		return err
	}
	u := requestUser(r)
	docs, total, err := s.Documents.FindDocuments(r.Context(), iswigo.DocumentFilter{AppID: u.AppID, UserID: u.ID,
		Type: r.URL.Query().Get("filters[type]"), Range: rng})
	if err != nil {
		return err
	}
	out := make([]Document, len(docs))
	for i, d := range docs {
		out[i] = documentJSON(d)
	}
	s.writeList(w, r, "documents", rng, total, len(out), out)
	return nil
}

func (s *Server) handleGetDocument(w http.ResponseWriter, r *http.Request) error {
	u := requestUser(r)
	d, err := s.Documents.FindDocumentByID(r.Context(), u.AppID, u.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, documentJSON(d))
	return nil
}

// handleDownloadDocument streams the file (never held whole in memory),
// with its type, length, an attachment disposition with a safe file name,
// and its SHA-1 as ETag (If-None-Match → 304).
func (s *Server) handleDownloadDocument(w http.ResponseWriter, r *http.Request) error {
	u := requestUser(r)
	d, err := s.Documents.FindDocumentByID(r.Context(), u.AppID, u.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	etag := `"` + d.SHA1 + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, no-cache")
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	f, err := s.Documents.OpenDocument(r.Context(), d)
	if err != nil {
		return err
	}
	defer f.Close()
	h.Set("Content-Type", d.Mime)
	h.Set("Content-Length", strconv.FormatInt(d.Size, 10))
	h.Set("Content-Disposition", contentDisposition(d.Name, d.Extension))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, f); err != nil {
		s.logger(r).Warn("download interrupted", "document_id", d.ID, "error", err)
	}
	return nil
}

// etagMatches reports whether an If-None-Match value names etag (or *).
func etagMatches(header, etag string) bool {
	for _, v := range strings.Split(header, ",") {
		v = strings.TrimPrefix(strings.TrimSpace(v), "W/")
		if v == "*" || v == etag {
			return true
		}
	}
	return false
}

// contentDisposition returns an RFC 6266 attachment disposition: an ASCII
// fallback file name (quotes, backslashes, slashes, controls and non-ASCII
// replaced by "_") and, whenever anything was replaced, the exact name in
// filename* (RFC 8187, UTF-8, percent-encoded).
func contentDisposition(name, ext string) string {
	full := name
	if ext != "" && !strings.HasSuffix(strings.ToLower(name), "."+strings.ToLower(ext)) {
		full += "." + ext
	}
	var ascii, encoded strings.Builder
	replaced := false
	for _, c := range full {
		if c == '"' || c == '\\' || c == '/' || c < 0x20 || c >= 0x7f {
			ascii.WriteByte('_')
			replaced = true
		} else {
			ascii.WriteRune(c)
		}
	}
	v := `attachment; filename="` + ascii.String() + `"`
	if !replaced {
		return v
	}
	const attrChar = "!#$&+-.^_`|~" // RFC 8187 attr-char besides ALPHA and DIGIT
	for _, b := range []byte(full) {
		if 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || strings.IndexByte(attrChar, b) >= 0 {
			encoded.WriteByte(b)
		} else {
			fmt.Fprintf(&encoded, "%%%02X", b)
		}
	}
	return v + "; filename*=UTF-8''" + encoded.String()
}
