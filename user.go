// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"context"
	"time"
)

// User is an end user of an application. Users of different applications
// never see each other: every lookup is scoped by AppID.
type User struct {
	ID    string
	AppID string
	// Email is the login address; EmailKey is its lower-cased form, unique
	// within the app.
	Email string
	// FirstName, LastName and Company are optional ("" = null on the wire).
	FirstName string
	LastName  string
	Company   string
	// TermsOfService is the date of the terms the user accepted (zero = never).
	TermsOfService Date
	// PasswordHash is the argon2id PHC string; never leaves the server.
	PasswordHash string
	// TokenVersion grows on every password change; tokens carrying an older
	// version are refused.
	TokenVersion int64

	// EmailValidation is the contact address being (or having been)
	// validated, "" when none was ever given.
	EmailValidation string
	// EmailValidated reports whether EmailValidation was proven with its code.
	EmailValidated bool
	// ValidationCode is the pending 6-digit code in clear (the store keeps
	// it encrypted); "" when no validation is pending.
	ValidationCode string
	// ValidationExpiresAt is when ValidationCode stops being accepted.
	ValidationExpiresAt time.Time
	// ValidationAttempts counts wrong codes since the code was issued.
	ValidationAttempts int

	CreatedAt time.Time
	UpdatedAt time.Time
}

// ValidationPending reports whether a code is waiting to be entered at now.
func (u *User) ValidationPending(now time.Time) bool {
	return u.ValidationCode != "" && !u.EmailValidated && now.Before(u.ValidationExpiresAt) && u.ValidationAttempts < MaxValidationAttempts
}

// MaxValidationAttempts is the number of wrong codes after which a code is burnt.
const MaxValidationAttempts = 5

// UserService stores users. Every method is scoped to one application.
type UserService interface {
	// CreateUser stores u, assigning ID and times. Returns ECONFLICT if the
	// email is taken in the app (case-insensitively).
	CreateUser(ctx context.Context, u *User) error
	// FindUserByID returns ENOTFOUND if the user does not exist in appID.
	FindUserByID(ctx context.Context, appID, id string) (*User, error)
	// FindUserByEmail compares case-insensitively; ENOTFOUND if absent.
	FindUserByEmail(ctx context.Context, appID, email string) (*User, error)
	// FindUsers lists the app's users oldest first, within r, with the total.
	FindUsers(ctx context.Context, appID string, r Range) ([]*User, int, error)
	// UpdateUser writes every mutable field of u. ECONFLICT if the new
	// email is taken, ENOTFOUND if u does not exist.
	UpdateUser(ctx context.Context, u *User) error
	// DeleteUser removes the user and everything it owns. ENOTFOUND if absent.
	DeleteUser(ctx context.Context, appID, id string) error
}
