// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/iswigo/iswigo"
)

var _ iswigo.AppService = (*DB)(nil)

const appColumns = `id, name, secret, psd2, last_terms_of_service, webhook_url, origins, created_at, updated_at, redirect_uris,
	display_name, logo_url, terms_url, privacy_url, accent_color`

// CreateApp implements iswigo.AppService.
func (db *DB) CreateApp(ctx context.Context, app *iswigo.App) error {
	if !iswigo.ValidAppName(app.Name) {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid application name: 1 to 64 letters, digits, '-', '_' or '.'")
	}
	if app.Secret == "" {
		return iswigo.Errorf(iswigo.EINVALID, "Application secret required")
	}
	app.ID = iswigo.NewID()
	now := db.Now().UTC()
	app.CreatedAt, app.UpdatedAt = now, now
	secret, err := db.Cipher.Encrypt(ctx, []byte(app.Secret), appSecretAAD(app.ID))
	if err != nil {
		return fmt.Errorf("encrypt app secret: %w", err)
	}
	b := app.Branding
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO apps (`+appColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			app.ID, app.Name, secret, app.PSD2, dateOrNull(app.LastTermsOfService), app.WebhookURL,
			strings.Join(app.Origins, " "), now.UnixMicro(), now.UnixMicro(), strings.Join(app.RedirectURIs, " "),
			b.DisplayName, b.LogoURL, b.TermsURL, b.PrivacyURL, b.AccentColor)
		return err
	})
	if isUniqueViolation(err) {
		return iswigo.Errorf(iswigo.ECONFLICT, "Application name %q is already taken", app.Name)
	} else if err != nil {
		return fmt.Errorf("create app: %w", err)
	}
	return nil
}

// FindAppByName implements iswigo.AppService.
func (db *DB) FindAppByName(ctx context.Context, name string) (*iswigo.App, error) {
	return db.findApp(ctx, `name = $1`, name)
}

// FindAppByID implements iswigo.AppService.
func (db *DB) FindAppByID(ctx context.Context, id string) (*iswigo.App, error) {
	return db.findApp(ctx, `id = $1`, id)
}

func (db *DB) findApp(ctx context.Context, where string, arg string) (*iswigo.App, error) {
	apps, err := db.queryApps(ctx, `SELECT `+appColumns+` FROM apps WHERE `+where, arg)
	if err != nil {
		return nil, err
	} else if len(apps) == 0 {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Application not found")
	}
	return apps[0], nil
}

// FindApps implements iswigo.AppService.
func (db *DB) FindApps(ctx context.Context) ([]*iswigo.App, error) {
	return db.queryApps(ctx, `SELECT `+appColumns+` FROM apps ORDER BY name`)
}

func (db *DB) queryApps(ctx context.Context, query string, args ...any) ([]*iswigo.App, error) {
	rows, err := db.queryRead(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query apps: %w", err)
	}
	defer rows.Close()
	var apps []*iswigo.App
	for rows.Next() {
		var (
			app     iswigo.App
			secret  []byte
			terms   sql.NullString
			origins string
			redirs  string
			created sql.NullInt64
			updated sql.NullInt64
		)
		if err := rows.Scan(&app.ID, &app.Name, &secret, &app.PSD2, &terms, &app.WebhookURL, &origins, &created, &updated, &redirs,
			&app.Branding.DisplayName, &app.Branding.LogoURL, &app.Branding.TermsURL, &app.Branding.PrivacyURL, &app.Branding.AccentColor); err != nil {
			return nil, fmt.Errorf("scan app: %w", err)
		}
		plain, err := db.Cipher.Decrypt(ctx, secret, appSecretAAD(app.ID))
		if err != nil {
			return nil, fmt.Errorf("decrypt secret of app %s: %w", app.ID, err)
		}
		app.Secret = string(plain)
		if app.LastTermsOfService, err = parseDate(terms); err != nil {
			return nil, fmt.Errorf("app %s terms: %w", app.ID, err)
		}
		app.Origins = strings.Fields(origins)
		app.RedirectURIs = strings.Fields(redirs)
		app.CreatedAt, app.UpdatedAt = timeFromMicros(created), timeFromMicros(updated)
		apps = append(apps, &app)
	}
	return apps, rows.Err()
}

// UpdateApp implements iswigo.AppService.
func (db *DB) UpdateApp(ctx context.Context, app *iswigo.App) error {
	if app.Secret == "" {
		return iswigo.Errorf(iswigo.EINVALID, "Application secret required")
	}
	secret, err := db.Cipher.Encrypt(ctx, []byte(app.Secret), appSecretAAD(app.ID))
	if err != nil {
		return fmt.Errorf("encrypt app secret: %w", err)
	}
	now := db.Now().UTC()
	b := app.Branding
	var n int64
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE apps SET secret = $2, psd2 = $3, last_terms_of_service = $4,
			webhook_url = $5, origins = $6, updated_at = $7, redirect_uris = $8,
			display_name = $9, logo_url = $10, terms_url = $11, privacy_url = $12, accent_color = $13 WHERE id = $1`,
			app.ID, secret, app.PSD2, dateOrNull(app.LastTermsOfService), app.WebhookURL,
			strings.Join(app.Origins, " "), now.UnixMicro(), strings.Join(app.RedirectURIs, " "),
			b.DisplayName, b.LogoURL, b.TermsURL, b.PrivacyURL, b.AccentColor)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("update app: %w", err)
	} else if n == 0 {
		return iswigo.Errorf(iswigo.ENOTFOUND, "Application not found")
	}
	app.UpdatedAt = now
	return nil
}

func appSecretAAD(id string) []byte { return []byte("apps.secret:" + id) }

// errNoRows reports whether err is sql.ErrNoRows.
func errNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
