// SPDX-License-Identifier: Apache-2.0

package api

import (
	"net/http"
	"strconv"

	"github.com/iswigo/iswigo"
)

// codes is the only map from error codes to HTTP statuses.
var codes = map[string]int{
	iswigo.ECONFLICT:     http.StatusConflict,
	iswigo.EFORBIDDEN:    http.StatusForbidden,
	iswigo.EINTERNAL:     http.StatusInternalServerError,
	iswigo.EINVALID:      http.StatusBadRequest,
	iswigo.ENOTFOUND:     http.StatusNotFound,
	iswigo.ETOOMANY:      http.StatusTooManyRequests,
	iswigo.EUNAUTHORIZED: http.StatusUnauthorized,
	iswigo.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	iswigo.EUNSUPPORTED:  http.StatusUnsupportedMediaType,
	iswigo.ENOTALLOWED:   http.StatusMethodNotAllowed,
	iswigo.EUNAVAILABLE:  http.StatusServiceUnavailable,
	iswigo.EGONE:         http.StatusGone,
	iswigo.ETOOLONG:      http.StatusRequestURITooLong,
}

// ErrorStatusCode returns the HTTP status of an error code.
func ErrorStatusCode(code string) int {
	if v, ok := codes[code]; ok {
		return v
	}
	return http.StatusInternalServerError
}

// FromErrorStatusCode returns the error code of an HTTP status (the
// reverse of ErrorStatusCode), EINTERNAL when unknown.
func FromErrorStatusCode(status int) string {
	for k, v := range codes {
		if v == status {
			return k
		}
	}
	return iswigo.EINTERNAL
}

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
	body.Error.Code = ErrorStatusCode(code)
	body.Error.Description = msg
	writeJSON(w, body.Error.Code, body)
}
