// SPDX-License-Identifier: Apache-2.0

package api

import (
	"github.com/iswigo/iswigo"
)

// User is the wire form of a user. EmailValidation is omitted when the
// user never gave a contact address, as in the reference's examples.
type User struct {
	UserID          string      `json:"user_id"`
	Email           string      `json:"email"`
	EmailValidation *string     `json:"email_validation,omitempty"`
	LastName        *string     `json:"last_name"`
	FirstName       *string     `json:"first_name"`
	Company         *string     `json:"company"`
	TermsOfService  iswigo.Date `json:"terms_of_service"`
}

// Profile is the wire form of the authenticated user's profile.
type Profile struct {
	User
	LastTermsOfService iswigo.Date `json:"last_terms_of_service"`
}

// Token is the answer of POST /v1/authenticate.
type Token struct {
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	AccessToken string `json:"access_token"`
}

// Validation is the answer of GET /v1/profile/validation. Token and
// TokenExpiration are present only while a code is pending, and only for
// PSD2 applications.
type Validation struct {
	Email           *string `json:"email"`
	Validated       bool    `json:"validated"`
	Token           string  `json:"token,omitempty"`
	TokenExpiration string  `json:"token_expiration,omitempty"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func userJSON(u *iswigo.User) User {
	return User{
		UserID:          u.ID,
		Email:           u.Email,
		EmailValidation: optional(u.EmailValidation),
		LastName:        optional(u.LastName),
		FirstName:       optional(u.FirstName),
		Company:         optional(u.Company),
		TermsOfService:  u.TermsOfService,
	}
}

func profileJSON(u *iswigo.User, app *iswigo.App) Profile {
	return Profile{User: userJSON(u), LastTermsOfService: app.LastTermsOfService}
}
