// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
)

var _ iswigo.UserService = (*DB)(nil)

const userColumns = `id, app_id, email, first_name, last_name, company, terms_of_service, password_hash,
	token_version, email_validation, email_validated, validation_code, validation_expires_at,
	validation_attempts, created_at, updated_at`

// emailKey is the form in which emails are compared: case-insensitively.
func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CreateUser implements iswigo.UserService.
func (db *DB) CreateUser(ctx context.Context, u *iswigo.User) error {
	u.ID = iswigo.NewID()
	now := db.Now().UTC()
	u.CreatedAt, u.UpdatedAt = now, now
	code, err := db.sealValidationCode(ctx, u)
	if err != nil {
		return err
	}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO users (id, app_id, email, email_key, first_name, last_name, company,
			terms_of_service, password_hash, token_version, email_validation, email_validated, validation_code,
			validation_expires_at, validation_attempts, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
			u.ID, u.AppID, u.Email, emailKey(u.Email), nullString(u.FirstName), nullString(u.LastName),
			nullString(u.Company), dateOrNull(u.TermsOfService), u.PasswordHash, u.TokenVersion,
			nullString(u.EmailValidation), u.EmailValidated, code, microsOrNull(u.ValidationExpiresAt),
			u.ValidationAttempts, now.UnixMicro(), now.UnixMicro())
		if err != nil {
			return err
		}
		return db.insertEvent(ctx, tx, u.AppID, u.ID, iswigo.EventUserCreated, userEventData{u.ID})
	})
	if isUniqueViolation(err) {
		return iswigo.Errorf(iswigo.ECONFLICT, "User already exists")
	} else if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	return nil
}

// FindUserByID implements iswigo.UserService.
func (db *DB) FindUserByID(ctx context.Context, appID, id string) (*iswigo.User, error) {
	if !iswigo.ValidID(id) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "User not found")
	}
	id = strings.ToLower(id)
	now := time.Now()
	if u, ok := db.users.get(appID, id, now, db.userCacheTTL()); ok {
		return u, nil
	}
	epoch := db.users.begin()
	u, err := db.findUser(ctx, `app_id = $1 AND id = $2`, appID, id)
	if err == nil {
		db.users.put(u, epoch, now)
	}
	return u, err
}

// FindUserByEmail implements iswigo.UserService.
func (db *DB) FindUserByEmail(ctx context.Context, appID, email string) (*iswigo.User, error) {
	return db.findUser(ctx, `app_id = $1 AND email_key = $2`, appID, emailKey(email))
}

func (db *DB) findUser(ctx context.Context, where string, args ...any) (*iswigo.User, error) {
	users, err := db.queryUsers(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, args...)
	if err != nil {
		return nil, err
	} else if len(users) == 0 {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "User not found")
	}
	return users[0], nil
}

// FindUsers implements iswigo.UserService.
func (db *DB) FindUsers(ctx context.Context, appID string, r iswigo.Range) ([]*iswigo.User, int, error) {
	var total int
	if err := db.queryRowRead(ctx, `SELECT COUNT(*) FROM users WHERE app_id = $1`, appID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count users: %w", err)
	}
	if r.From >= total {
		return []*iswigo.User{}, total, nil
	}
	users, err := db.queryUsers(ctx, `SELECT `+userColumns+` FROM users WHERE app_id = $1 ORDER BY id LIMIT $2 OFFSET $3`,
		appID, r.Limit(), r.From)
	return users, total, err
}

func (db *DB) queryUsers(ctx context.Context, query string, args ...any) ([]*iswigo.User, error) {
	rows, err := db.queryRead(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query users: %w", err)
	}
	defer rows.Close()
	users := []*iswigo.User{}
	for rows.Next() {
		var (
			u                           iswigo.User
			first, last, company, terms sql.NullString
			validation                  sql.NullString
			code                        []byte
			expires, created, updated   sql.NullInt64
		)
		if err := rows.Scan(&u.ID, &u.AppID, &u.Email, &first, &last, &company, &terms, &u.PasswordHash,
			&u.TokenVersion, &validation, &u.EmailValidated, &code, &expires, &u.ValidationAttempts,
			&created, &updated); err != nil {
			return nil, fmt.Errorf("scan user: %w", err)
		}
		u.FirstName, u.LastName, u.Company, u.EmailValidation = first.String, last.String, company.String, validation.String
		if u.TermsOfService, err = parseDate(terms); err != nil {
			return nil, fmt.Errorf("user %s terms: %w", u.ID, err)
		}
		if len(code) > 0 {
			plain, err := db.Cipher.Decrypt(ctx, code, validationCodeAAD(u.ID))
			if err != nil {
				return nil, fmt.Errorf("decrypt validation code of user %s: %w", u.ID, err)
			}
			u.ValidationCode = string(plain)
		}
		u.ValidationExpiresAt, u.CreatedAt, u.UpdatedAt = timeFromMicros(expires), timeFromMicros(created), timeFromMicros(updated)
		users = append(users, &u)
	}
	return users, rows.Err()
}

// UpdateUser implements iswigo.UserService.
func (db *DB) UpdateUser(ctx context.Context, u *iswigo.User) error {
	code, err := db.sealValidationCode(ctx, u)
	if err != nil {
		return err
	}
	now := db.Now().UTC()
	var n int64
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET email = $3, email_key = $4, first_name = $5, last_name = $6,
			company = $7, terms_of_service = $8, password_hash = $9, token_version = $10, email_validation = $11,
			email_validated = $12, validation_code = $13, validation_expires_at = $14, validation_attempts = $15,
			updated_at = $16 WHERE app_id = $1 AND id = $2`,
			u.AppID, u.ID, u.Email, emailKey(u.Email), nullString(u.FirstName), nullString(u.LastName),
			nullString(u.Company), dateOrNull(u.TermsOfService), u.PasswordHash, u.TokenVersion,
			nullString(u.EmailValidation), u.EmailValidated, code, microsOrNull(u.ValidationExpiresAt),
			u.ValidationAttempts, now.UnixMicro())
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		return db.notifyUserChanged(ctx, tx, u.ID)
	})
	db.users.invalidate(u.ID)
	if isUniqueViolation(err) {
		return iswigo.Errorf(iswigo.ECONFLICT, "User already exists")
	} else if err != nil {
		return fmt.Errorf("update user: %w", err)
	} else if n == 0 {
		return iswigo.Errorf(iswigo.ENOTFOUND, "User not found")
	}
	u.UpdatedAt = now
	return nil
}

// DeleteUser implements iswigo.UserService. Everything the user owns goes
// with it (foreign keys cascade).
func (db *DB) DeleteUser(ctx context.Context, appID, id string) error {
	var n int64
	var files []string
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if files, err = fileKeys(ctx, tx, `user_id = $1`, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM users WHERE app_id = $1 AND id = $2`, appID, id)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		if err := db.notifyUserChanged(ctx, tx, strings.ToLower(id)); err != nil {
			return err
		}
		return db.insertEvent(ctx, tx, appID, "", iswigo.EventUserDeleted, userEventData{id})
	})
	db.users.invalidate(strings.ToLower(id))
	if err != nil {
		return fmt.Errorf("delete user: %w", err)
	} else if n == 0 {
		return iswigo.Errorf(iswigo.ENOTFOUND, "User not found")
	}
	if len(files) > 0 {
		if err := db.deleteFiles(ctx, files); err != nil {
			return fmt.Errorf("user deleted, some files left for the sweep: %w", err)
		}
	}
	return nil
}

// sealValidationCode encrypts the user's pending code; nil when none.
func (db *DB) sealValidationCode(ctx context.Context, u *iswigo.User) ([]byte, error) {
	if u.ValidationCode == "" {
		return nil, nil
	}
	code, err := db.Cipher.Encrypt(ctx, []byte(u.ValidationCode), validationCodeAAD(u.ID))
	if err != nil {
		return nil, fmt.Errorf("encrypt validation code: %w", err)
	}
	return code, nil
}

// notifyUserChanged tells the other processes on PostgreSQL, at commit,
// that the user changed (see DefaultUserCacheTTL); nothing on SQLite.
func (db *DB) notifyUserChanged(ctx context.Context, tx *sql.Tx, id string) error {
	if db.dialect != Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, usersChannel, id); err != nil {
		return fmt.Errorf("notify user change: %w", err)
	}
	return nil
}

func validationCodeAAD(userID string) []byte { return []byte("users.validation_code:" + userID) }
