// SPDX-License-Identifier: Apache-2.0

package statement

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector/statement/parse"
)

// DefaultAccountKey is the key of the account that receives the
// transactions of files without account numbers (QIF, CSV) on a
// connection with no account yet, when the upload names none.
const DefaultAccountKey = "imported"

// Service implements iswigo.StatementService. Its fields are set once.
type Service struct {
	Connections iswigo.ConnectionService
	Bank        iswigo.BankService
	Store       iswigo.StatementStore
}

var _ iswigo.StatementService = (*Service)(nil)

// UploadStatement implements iswigo.StatementService.
func (s *Service) UploadStatement(ctx context.Context, u *iswigo.StatementUpload) (*iswigo.StatementReceipt, error) {
	c, err := s.Connections.FindConnectionByID(ctx, u.AppID, u.UserID, u.ConnectionID)
	if err != nil {
		return nil, err
	}
	if c.ProviderID != iswigo.ProviderIDStatements {
		return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid connection: statements are uploaded to statement import connections (provider %d)", iswigo.ProviderIDStatements)
	}
	opt := u.Options
	if err := checkOptions(u.Name, &opt); err != nil {
		return nil, err
	}
	if u.Profile != "" {
		p, err := s.Store.FindCSVProfile(ctx, u.AppID, u.Profile)
		if iswigo.ErrorCode(err) == iswigo.ENOTFOUND {
			return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid profile: the application has no CSV profile %q", u.Profile)
		} else if err != nil {
			return nil, err
		}
		opt.CSV = p.Mapping.Merge(opt.CSV)
	}
	accounts, err := s.connectionAccounts(ctx, c)
	if err != nil {
		return nil, err
	}
	// The account of transactions without an account number, and its
	// currency, are known before reading: the parser needs the currency.
	target, ambiguous := opt.Account, false
	if target == "" {
		switch len(accounts) {
		case 0:
			target = DefaultAccountKey
		case 1:
			target = accounts[0].Key
		default:
			ambiguous = true
		}
	}
	po := parseOptions(opt)
	if a := findAccount(accounts, target); a != nil && po.Currency == "" {
		po.Currency = a.Currency
	}
	res, err := parse.Parse(u.Data, po)
	var perr *parse.Error
	if errors.As(err, &perr) {
		return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid statement file: %s", describeParseError(perr))
	} else if err != nil {
		return nil, fmt.Errorf("parse statement: %w", err)
	}
	if len(res.Accounts) == 0 {
		return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid statement file: %s: no account or transaction in the file", res.Format)
	}
	keyless := false
	for _, a := range res.Accounts {
		key := a.Key
		if key == "" {
			keyless, key = true, target
		}
		if prev := findAccount(accounts, key); prev != nil && !ambiguous && a.Currency != "" && prev.Currency != a.Currency {
			return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid statement file: %s: the file's account %s is in %s, the connection's account %q in %s",
				res.Format, describe(a), a.Currency, key, prev.Currency)
		}
	}
	switch {
	case keyless && ambiguous:
		keys := make([]string, len(accounts))
		for i, a := range accounts {
			keys[i] = a.Key
		}
		return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid account: the file names no account and the connection has %d; choose one with ?account= (%s)",
			len(accounts), strings.Join(keys, ", "))
	case !keyless && u.Options.Account != "":
		return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid account: the file names its accounts itself (%s); ?account= is for files without account numbers (QIF, CSV)", res.Format)
	case keyless:
		opt.Account = target
	}
	opt.Currency = po.Currency
	sum := sha1.Sum(u.Data)
	f := &iswigo.StatementFile{ConnectionID: c.ID, AppID: u.AppID, UserID: u.UserID, Name: u.Name, Format: string(res.Format),
		Dialect: res.Dialect, Size: int64(len(u.Data)), SHA1: hex.EncodeToString(sum[:]),
		Accounts: len(res.Accounts), Transactions: res.Transactions(), Options: opt}
	stored, conn, dup, err := s.Store.AddStatementFile(ctx, f, u.Data)
	if err != nil {
		return nil, err
	}
	return &iswigo.StatementReceipt{File: stored, Connection: conn, Duplicate: dup}, nil
}

// FindStatementFiles implements iswigo.StatementService.
func (s *Service) FindStatementFiles(ctx context.Context, appID, userID, connectionID string, r iswigo.Range) ([]*iswigo.StatementFile, int, error) {
	if _, err := s.Connections.FindConnectionByID(ctx, appID, userID, connectionID); err != nil {
		return nil, 0, err
	}
	return s.Store.FindStatementFiles(ctx, appID, userID, connectionID, r)
}

// connectionAccounts returns the accounts of c.
func (s *Service) connectionAccounts(ctx context.Context, c *iswigo.Connection) ([]*iswigo.Account, error) {
	var out []*iswigo.Account
	for from := 0; ; from += iswigo.MaxRangeSize {
		page, total, err := s.Bank.FindAccounts(ctx, c.AppID, c.UserID, iswigo.Range{From: from, To: from + iswigo.MaxRangeSize - 1})
		if err != nil {
			return nil, err
		}
		for _, a := range page {
			if a.ConnectionID == c.ID {
				out = append(out, a)
			}
		}
		if from+iswigo.MaxRangeSize >= total {
			return out, nil
		}
	}
}

func findAccount(accounts []*iswigo.Account, key string) *iswigo.Account {
	i := slices.IndexFunc(accounts, func(a *iswigo.Account) bool { return a.Key == key })
	if i < 0 {
		return nil
	}
	return accounts[i]
}

// describeParseError is the parser's message; an error of detection,
// which names no format, says only where and why.
func describeParseError(e *parse.Error) string {
	switch {
	case e.Format != "":
		return e.Error()
	case e.Element != "":
		return fmt.Sprintf("element %s: %s", e.Element, e.Reason)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	return e.Reason
}

// describe names a file's account for an error message.
func describe(a *parse.Account) string {
	if a.Key != "" {
		return fmt.Sprintf("%q", a.Key)
	}
	return "(without number)"
}

// Limits of the upload's parameters.
const (
	maxNameLength   = 255
	maxParamLength  = 100
	maxWordingCols  = 20
	maxAccountLabel = 100
)

// checkOptions validates an upload's name and parameters, normalizing
// them (upper-case currency, "tab" delimiter) in place.
func checkOptions(name string, o *iswigo.StatementOptions) error {
	if len([]rune(name)) > maxNameLength || strings.ContainsFunc(name, unicode.IsControl) {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid name: at most %d characters, no control character", maxNameLength)
	}
	if o.Format != "" && !slices.Contains(parse.Formats, parse.Format(o.Format)) {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid format: want ofx, camt, mt940, qif or csv")
	}
	switch o.DateOrder {
	case "", "dmy", "mdy", "ymd":
	default:
		return iswigo.Errorf(iswigo.EINVALID, "Invalid date_order: want dmy, mdy or ymd")
	}
	o.Currency = strings.ToUpper(o.Currency)
	if o.Currency != "" && (len(o.Currency) != 3 || strings.ContainsFunc(o.Currency, func(r rune) bool { return r < 'A' || r > 'Z' })) {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid currency: want an ISO 4217 code such as EUR")
	}
	if len([]rune(o.Account)) > maxAccountLabel || strings.ContainsFunc(o.Account, unicode.IsControl) || strings.TrimSpace(o.Account) != o.Account {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid account: at most %d characters, no control character or surrounding space", maxAccountLabel)
	}
	m := &o.CSV
	if m.Delimiter == "tab" {
		m.Delimiter = "\t"
	}
	switch m.Delimiter {
	case "", ",", ";", "\t":
	default:
		return iswigo.Errorf(iswigo.EINVALID, "Invalid delimiter: want , ; or tab")
	}
	switch m.Decimal {
	case "", ",", ".":
	default:
		return iswigo.Errorf(iswigo.EINVALID, "Invalid decimal: want , or .")
	}
	if len(m.WordingCols) > maxWordingCols {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid wording_cols: at most %d columns", maxWordingCols)
	}
	for field, v := range map[string]string{"date_col": m.DateCol, "amount_col": m.AmountCol, "debit_col": m.DebitCol,
		"credit_col": m.CreditCol, "date_format": m.DateFormat, "wording_cols": strings.Join(m.WordingCols, ",")} {
		if len(v) > maxParamLength*maxWordingCols || (field != "wording_cols" && len(v) > maxParamLength) {
			return iswigo.Errorf(iswigo.EINVALID, "Invalid %s: too long", field)
		}
	}
	return nil
}
