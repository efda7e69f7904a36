// SPDX-License-Identifier: Apache-2.0

package api

import (
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/iswigo/iswigo"
)

// Media types of the transaction exports, negotiated with Accept on
// GET /v1/bank/accounts/{id}/transactions.
const (
	mediaJSON = "application/json"
	mediaCSV  = "text/csv"
	mediaOFX  = "application/x-ofx"
)

// exportPageSize is how many transactions an export reads at a time.
const exportPageSize = 500

// negotiateTransactions returns the media type to answer a transactions
// listing in: the one of application/json, text/csv and application/x-ofx
// that Accept gives the highest quality, JSON winning ties (so also for
// "*/*", an absent or unparsable Accept, and types none of these match).
func negotiateTransactions(accept string) string {
	best, bestQ := mediaJSON, -1.0
	for _, offer := range []string{mediaJSON, mediaCSV, mediaOFX} {
		if q := acceptQuality(accept, offer); q > bestQ {
			best, bestQ = offer, q
		}
	}
	if bestQ <= 0 {
		return mediaJSON
	}
	return best
}

// acceptQuality returns the quality Accept gives media type offer
// ("type/subtype"): that of the most specific matching range, 0 when none
// matches, 1 for an empty Accept.
func acceptQuality(accept, offer string) float64 {
	if strings.TrimSpace(accept) == "" {
		return 1
	}
	typ, _, _ := strings.Cut(offer, "/")
	q, specificity := 0.0, -1
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		s := -1
		switch {
		case mt == offer:
			s = 2
		case mt == typ+"/*":
			s = 1
		case mt == "*/*":
			s = 0
		}
		if s <= specificity {
			continue
		}
		pq := 1.0
		if v, ok := params["q"]; ok {
			if pq, err = strconv.ParseFloat(v, 64); err != nil || pq < 0 || pq > 1 {
				continue
			}
		}
		q, specificity = pq, s
	}
	return q
}

// exportTransactions writes every transaction of f (f.Range ignored) as
// CSV or OFX, a page at a time. Errors before the first byte are returned
// (404, 500 as JSON); after it, the response is cut off
// (http.ErrAbortHandler) so that a client cannot take a truncated file for
// a whole one.
func (s *Server) exportTransactions(w http.ResponseWriter, r *http.Request, media string, f iswigo.TransactionFilter) error {
	streamer, ok := s.Bank.(iswigo.TransactionStreamer)
	if !ok {
		return iswigo.Errorf(iswigo.EINTERNAL, "Bank service cannot stream transactions")
	}
	ctx := r.Context()
	account, err := s.Bank.FindAccountByID(ctx, f.AppID, f.UserID, f.AccountID)
	if err != nil {
		return err
	}
	span, err := streamer.SpanTransactions(ctx, f)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Accept-Range", "transactions "+strconv.Itoa(span.Count))
	if span.Count == 0 {
		h.Set("Content-Range", "*/0")
	} else {
		h.Set("Content-Range", "0-"+strconv.Itoa(span.Count-1)+"/"+strconv.Itoa(span.Count))
	}
	var enc transactionEncoder
	switch media {
	case mediaCSV:
		h.Set("Content-Type", "text/csv; charset=utf-8; header=present")
		h.Set("Content-Disposition", `attachment; filename="transactions-`+account.ID+`.csv"`)
		enc = newCSVEncoder(w)
	default:
		h.Set("Content-Type", mediaOFX)
		h.Set("Content-Disposition", `attachment; filename="transactions-`+account.ID+`.ofx"`)
		enc = newOFXEncoder(w, account, f, span, s.Now())
	}
	w.WriteHeader(http.StatusOK)
	fail := func(err error) error {
		s.logger(r).Error("export transactions", slog.String("account_id", account.ID), slog.Any("error", err))
		panic(http.ErrAbortHandler)
	}
	if err := enc.begin(); err != nil {
		return fail(err)
	}
	if err := streamer.EachTransaction(ctx, f, exportPageSize, enc.transaction); err != nil {
		return fail(err)
	}
	if err := enc.end(); err != nil {
		return fail(err)
	}
	return nil
}

// transactionEncoder writes one export format.
type transactionEncoder interface {
	begin() error
	transaction(t *iswigo.Transaction) error
	end() error
}
