// SPDX-License-Identifier: Apache-2.0

package api

import (
	"net/http"

	"github.com/iswigo/iswigo"
)

func (s *Server) handleListAccounts(w http.ResponseWriter, r *http.Request) error {
	rng, err := requestRange(r)
	if err != nil {
		return err
	}
	u := requestUser(r)
	accounts, total, err := s.Bank.FindAccounts(r.Context(), u.AppID, u.ID, rng)
	if err != nil {
		return err
	}
	out := make([]Account, len(accounts))
	for i, a := range accounts {
		out[i] = accountJSON(a)
	}
	s.writeList(w, r, "accounts", rng, total, len(out), out)
	return nil
}

func (s *Server) handleGetAccount(w http.ResponseWriter, r *http.Request) error {
	u := requestUser(r)
	a, err := s.Bank.FindAccountByID(r.Context(), u.AppID, u.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, accountJSON(a))
	return nil
}

// queryDate parses an optional "YYYY-MM-DD" query parameter.
func queryDate(r *http.Request, name string) (iswigo.Date, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return iswigo.Date{}, nil
	}
	d, err := iswigo.ParseDate(v)
	if err != nil {
		return iswigo.Date{}, iswigo.Errorf(iswigo.EINVALID, "Invalid %s: expected YYYY-MM-DD", name)
	}
	return d, nil
}

// handleListTransactions lists an account's transactions newest first,
// optionally between filters[min_date] and filters[max_date] (inclusive).
func (s *Server) handleListTransactions(w http.ResponseWriter, r *http.Request) error {
	rng, err := requestRange(r)
	if err != nil {
		return err
	}
	u := requestUser(r)
	f := iswigo.TransactionFilter{AppID: u.AppID, UserID: u.ID, AccountID: r.PathValue("id"), Range: rng}
	if f.MinDate, err = queryDate(r, "filters[min_date]"); err != nil {
		return err
	}
	if f.MaxDate, err = queryDate(r, "filters[max_date]"); err != nil {
		return err
	}
	w.Header().Add("Vary", "Accept") // JSON, CSV or OFX by Accept: caches must keep them apart
	if media := negotiateTransactions(r.Header.Get("Accept")); media != mediaJSON {
		return s.exportTransactions(w, r, media, f) // CSV or OFX: the whole history between the dates (export.go)
	}
	txs, total, err := s.Bank.FindTransactions(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]Transaction, len(txs))
	for i, t := range txs {
		out[i] = transactionJSON(t)
	}
	s.writeList(w, r, "transactions", rng, total, len(out), out)
	return nil
}

func (s *Server) handleGetTransaction(w http.ResponseWriter, r *http.Request) error {
	u := requestUser(r)
	t, err := s.Bank.FindTransactionByID(r.Context(), u.AppID, u.ID, r.PathValue("id"), r.PathValue("tid"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, transactionJSON(t))
	return nil
}
