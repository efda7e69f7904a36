// SPDX-License-Identifier: Apache-2.0

package enablebanking

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/iswigo/iswigo"
)

// TestBearer: RS256 with kid = application id, the documented claims, an
// hour of life, reused until five minutes before it expires.
func TestBearer(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	c := &client{cfg: Config{AppID: "app-1", Key: key, Now: func() time.Time { return now }}}
	first, err := c.bearer()
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Parse(first, func(*jwt.Token) (any, error) { return &key.PublicKey, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	claims := tok.Claims.(jwt.MapClaims)
	if tok.Header["kid"] != "app-1" || claims["iss"] != "enablebanking.com" || claims["aud"] != "api.enablebanking.com" ||
		claims["iat"] != float64(now.Unix()) || claims["exp"] != float64(now.Add(time.Hour).Unix()) {
		t.Fatalf("token: header %v claims %v", tok.Header, claims)
	}
	now = now.Add(54 * time.Minute)
	if again, _ := c.bearer(); again != first {
		t.Fatal("token not reused 54 minutes later")
	}
	now = now.Add(2 * time.Minute)
	if again, _ := c.bearer(); again == first {
		t.Fatal("token reused 4 minutes before it expires")
	}
}

// TestFailure: Enable Banking's answers to errnos; messages carry the
// status and code only.
func TestFailure(t *testing.T) {
	for _, c := range []struct {
		err  error
		want iswigo.Errno
	}{
		{&apiError{Status: 401}, iswigo.ErrnoAuthExpired},
		{&apiError{Status: 403, Code: "UNAUTHORIZED_ACCESS"}, iswigo.ErrnoAuthExpired},
		{&apiError{Status: 422, Code: "EXPIRED_SESSION"}, iswigo.ErrnoAuthExpired},
		{&apiError{Status: 422, Code: "CLOSED_SESSION"}, iswigo.ErrnoAuthExpired},
		{&apiError{Status: 429}, iswigo.ErrnoUnavailable},
		{&apiError{Status: 400, Code: "ASPSP_RATE_LIMIT_EXCEEDED"}, iswigo.ErrnoUnavailable},
		{&apiError{Status: 400, Code: "ASPSP_ERROR"}, iswigo.ErrnoUnavailable},
		{&apiError{Status: 503}, iswigo.ErrnoUnavailable},
		{&transportError{fmt.Errorf("connection refused")}, iswigo.ErrnoUnavailable},
		{&apiError{Status: 422, Code: "WRONG_AUTHORIZATION_CODE"}, iswigo.ErrnoWrongStepAnswer},
		{&apiError{Status: 400, Code: "WRONG_REQUEST_PARAMETERS"}, iswigo.ErrnoBug},
		{&apiError{Status: http.StatusTeapot}, iswigo.ErrnoBug},
	} {
		err := failure("op", c.err)
		if got := iswigo.ErrnoOf(err); got != c.want {
			t.Errorf("%v: errno %d, want %d", c.err, got, c.want)
		}
	}
}

// TestBooked: sign from the indicator, entry_reference as provider id,
// wording from counterparty and remittance, pending ones left out,
// trailing zeros tolerated.
func TestBooked(t *testing.T) {
	debit := transaction{EntryReference: "E1", TransactionAmount: amountType{"EUR", "12.500"}, CreditDebitIndicator: "DBIT",
		Status: "BOOK", BookingDate: "2026-11-02", ValueDate: "2026-11-03", TransactionDate: "2026-11-01",
		Creditor: &party{Name: "SNCF"}, RemittanceInformation: []string{"CB  SNCF", "PARIS"}, TransactionID: "changes"}
	got, ok := debit.booked()
	if !ok || got.Amount.Minor != -1250 || got.ProviderID != "E1" || got.Wording != "SNCF CB SNCF PARIS" ||
		got.OperationDate.String() != "2026-11-01" || got.AccountingDate.String() != "2026-11-02" || got.ValueDate.String() != "2026-11-03" {
		t.Fatalf("debit: %+v %v", got, ok)
	}
	credit := transaction{TransactionAmount: amountType{"EUR", "-3"}, CreditDebitIndicator: "CRDT", Status: "BOOK",
		BookingDate: "2026-11-02", Debtor: &party{Name: "ACME"}}
	if got, ok := credit.booked(); !ok || got.Amount.Minor != 300 || got.ProviderID != "" || got.Wording != "ACME" {
		t.Fatalf("credit: %+v %v", got, ok)
	}
	for _, bad := range []transaction{
		{TransactionAmount: amountType{"EUR", "1"}, CreditDebitIndicator: "DBIT", Status: "PDNG", BookingDate: "2026-11-02"},
		{TransactionAmount: amountType{"EUR", "1"}, CreditDebitIndicator: "", Status: "BOOK", BookingDate: "2026-11-02"},
		{TransactionAmount: amountType{"EUR", "1.234"}, CreditDebitIndicator: "DBIT", Status: "BOOK", BookingDate: "2026-11-02"},
		{TransactionAmount: amountType{"EUR", "1"}, CreditDebitIndicator: "DBIT", Status: "BOOK"},
	} {
		if got, ok := bad.booked(); ok {
			t.Errorf("%+v booked as %+v", bad, got)
		}
	}
}
