// SPDX-License-Identifier: Apache-2.0

// Package httpwire holds what the API and the funnel's JSON endpoints share
// on the wire: the HTTP status of each error code and the UTF-8 check of
// JSON bodies. It imports only the root package.
package httpwire

import (
	"net/http"

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

// StatusOf returns the HTTP status of an error code, 500 when unknown.
func StatusOf(code string) int {
	if v, ok := codes[code]; ok {
		return v
	}
	return http.StatusInternalServerError
}

// CodeOf returns the error code of an HTTP status (the reverse of
// StatusOf), EINTERNAL when unknown.
func CodeOf(status int) string {
	for k, v := range codes {
		if v == status {
			return k
		}
	}
	return iswigo.EINTERNAL
}
