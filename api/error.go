// SPDX-License-Identifier: Apache-2.0

package api

import (
	"net/http"
	"strconv"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/internal/httpwire"
)

// ErrorBody is the wire form of every error: {"error":{"code":N,"description":"..."}}.
type ErrorBody struct {
	Error struct {
		Code        int    `json:"code"`
		Description string `json:"description"`
	} `json:"error"`
}

// writeError writes err in the error envelope. Internal errors are logged
// with the request id and shown as "Internal server error".
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := iswigo.ErrorCode(err), iswigo.ErrorMessage(err)
	if code == iswigo.EINTERNAL {
		s.logger(r).Error("internal error", "error", err)
	}
	var e *iswigo.Error
	if ok := asError(err, &e); ok && e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	var body ErrorBody
	body.Error.Code = httpwire.StatusOf(code)
	body.Error.Description = msg
	writeJSON(w, body.Error.Code, body)
}
