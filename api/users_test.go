// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
)

func TestCreateUser(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		u, err := e.psd2.CreateUser(ctx, "hector.berlioz@iswigo.com", "Str0ng!Passw0rd")
		if err != nil {
			t.Fatal(err)
		}
		if !iswigo.ValidID(u.UserID) || u.Email != "hector.berlioz@iswigo.com" || u.FirstName != nil || u.EmailValidation != nil {
			t.Fatalf("created %+v", u)
		}
		// The same email, differently cased: 409 with the existing user.
		dup, err := e.psd2.CreateUser(ctx, "Hector.BERLIOZ@iswigo.com", "An0ther!Passw0rd")
		wantError(t, err, iswigo.ECONFLICT, "")
		if dup.UserID != u.UserID {
			t.Fatalf("409 body is user %s; want %s", dup.UserID, u.UserID)
		}
		// The same email in another application is another user.
		other, err := e.plain.CreateUser(ctx, "hector.berlioz@iswigo.com", "Str0ng!Passw0rd")
		if err != nil || other.UserID == u.UserID {
			t.Fatalf("other app: %+v, %v", other, err)
		}
		for _, tc := range []struct{ email, password, msg string }{
			{"not-an-email", "Str0ng!Passw0rd", "Invalid email"},
			{"Hector <h@example.com>", "Str0ng!Passw0rd", "Invalid email"},
			{"", "Str0ng!Passw0rd", "Invalid email"},
			{"a@example.com", "short", "Invalid password"},
			{"a@example.com", strings.Repeat("x", 129), "Invalid password"},
			{"a@example.com", "password123", "Invalid password"},
			{"a@example.com", "", "Invalid password"},
		} {
			_, err := e.psd2.CreateUser(ctx, tc.email, tc.password)
			wantError(t, err, iswigo.EINVALID, tc.msg)
		}
	})
}

func TestGetUsers(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		var ids []string
		for i := 0; i < 25; i++ {
			u, err := e.psd2.CreateUser(ctx, fmt.Sprintf("user%02d@example.com", i), "Str0ng!Passw0rd")
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, u.UserID)
		}
		e.plain.CreateUser(ctx, "elsewhere@example.com", "Str0ng!Passw0rd")

		status, h, body := e.raw(t, "GET", "/v1/users", signed(e.psd2App, "GET", "/v1/users", nil), nil)
		if status != 200 || h.Get("Accept-Range") != "users 20" || h.Get("Content-Range") != "0-19/25" {
			t.Fatalf("status %d, Accept-Range %q, Content-Range %q", status, h.Get("Accept-Range"), h.Get("Content-Range"))
		}
		wantLink := fmt.Sprintf(`<%s/v1/users?range=20-39>; rel="next",<%s/v1/users?range=20-39>; rel="last"`, e.http.URL, e.http.URL)
		if h.Get("Link") != wantLink {
			t.Fatalf("Link = %q; want %q", h.Get("Link"), wantLink)
		}
		if strings.Contains(string(body), "elsewhere") {
			t.Fatal("a user of another application is listed")
		}
		page, err := e.psd2.Users(ctx, iswigo.Range{From: 20, To: 39})
		if err != nil || len(page) != 5 || page[4].UserID != ids[24] {
			t.Fatalf("second page: %d users, %v", len(page), err)
		}
		// A range wider than 100 is clamped, and the headers say so.
		_, h, _ = e.raw(t, "GET", "/v1/users?range=0-500", signed(e.psd2App, "GET", "/v1/users?range=0-500", nil), nil)
		if h.Get("Content-Range") != "0-24/25" || h.Get("Accept-Range") != "users 25" || h.Get("Link") != "" {
			t.Fatalf("clamped: %q %q %q", h.Get("Content-Range"), h.Get("Accept-Range"), h.Get("Link"))
		}
		for _, bad := range []string{"range=20-10", "range=a-b", "range=-1-5", "range=5"} {
			status, _, body := e.raw(t, "GET", "/v1/users?"+bad, signed(e.psd2App, "GET", "/v1/users?"+bad, nil), nil)
			wantEnvelope(t, status, body, 400, "Invalid range")
		}
		got, err := e.psd2.User(ctx, ids[3])
		if err != nil || got.Email != "user03@example.com" {
			t.Fatalf("User = %+v, %v", got, err)
		}
		_, err = e.plain.User(ctx, ids[3])
		wantError(t, err, iswigo.ENOTFOUND, "")
		_, err = e.psd2.User(ctx, iswigo.NewID())
		wantError(t, err, iswigo.ENOTFOUND, "")
		_, err = e.psd2.User(ctx, "not-a-uuid")
		wantError(t, err, iswigo.ENOTFOUND, "")
	})
}

func TestUpdateUserEmailAndPassword(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		u, userClient := e.user(t, e.psd2, "hector.berlioz@iswigo.com")
		e.psd2.CreateUser(ctx, "taken@iswigo.com", "Str0ng!Passw0rd")

		_, err := e.psd2.UpdateUserEmail(ctx, u.UserID, "berlioz@iswigo.com", "Bad!Passw0rd")
		wantError(t, err, iswigo.EINVALID, iswigo.MsgInvalidPassword)
		_, err = e.psd2.UpdateUserEmail(ctx, u.UserID, "not an email", "Str0ng!Passw0rd")
		wantError(t, err, iswigo.EINVALID, "Invalid email")
		_, err = e.psd2.UpdateUserEmail(ctx, u.UserID, "TAKEN@iswigo.com", "Str0ng!Passw0rd")
		wantError(t, err, iswigo.ECONFLICT, "")
		_, err = e.plain.UpdateUserEmail(ctx, u.UserID, "berlioz@iswigo.com", "Str0ng!Passw0rd")
		wantError(t, err, iswigo.ENOTFOUND, "")
		got, err := e.psd2.UpdateUserEmail(ctx, u.UserID, "berlioz@iswigo.com", "Str0ng!Passw0rd")
		if err != nil || got.Email != "berlioz@iswigo.com" {
			t.Fatalf("UpdateUserEmail = %+v, %v", got, err)
		}
		if _, err := e.psd2.Authenticate(ctx, "berlioz@iswigo.com", "Str0ng!Passw0rd"); err != nil {
			t.Fatalf("login with the new email: %v", err)
		}
		// The token survives an email change...
		if _, err := userClient.Profile(ctx); err != nil {
			t.Fatal(err)
		}

		_, err = e.psd2.UpdateUserPassword(ctx, u.UserID, "Bad!Passw0rd", "VeryStr0ng!Passw0rd")
		wantError(t, err, iswigo.EINVALID, iswigo.MsgInvalidPassword)
		_, err = e.psd2.UpdateUserPassword(ctx, u.UserID, "Str0ng!Passw0rd", "12345678")
		wantError(t, err, iswigo.EINVALID, "Invalid new_password")
		if _, err := e.psd2.UpdateUserPassword(ctx, u.UserID, "Str0ng!Passw0rd", "VeryStr0ng!Passw0rd"); err != nil {
			t.Fatal(err)
		}
		// ...but not a password change.
		_, err = userClient.Profile(ctx)
		wantError(t, err, iswigo.EUNAUTHORIZED, iswigo.MsgInvalidToken)
		_, err = e.psd2.Authenticate(ctx, "berlioz@iswigo.com", "Str0ng!Passw0rd")
		wantError(t, err, iswigo.EINVALID, iswigo.MsgInvalidGrant)
		tok, err := e.psd2.Authenticate(ctx, "berlioz@iswigo.com", "VeryStr0ng!Passw0rd")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.psd2.WithToken(tok.AccessToken).Profile(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestDeleteUser(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		u, c := e.user(t, e.psd2, "gone@example.com")
		other, otherClient := e.user(t, e.psd2, "other@example.com")
		// Only the user itself may delete it; another user's id is not found.
		wantError(t, c.DeleteUser(ctx, other.UserID), iswigo.ENOTFOUND, "")
		// Without a token: 401.
		wantError(t, e.psd2.DeleteUser(ctx, u.UserID), iswigo.EUNAUTHORIZED, iswigo.MsgInvalidToken)
		if err := c.DeleteUser(ctx, u.UserID); err != nil {
			t.Fatal(err)
		}
		_, err := e.psd2.User(ctx, u.UserID)
		wantError(t, err, iswigo.ENOTFOUND, "")
		// Its token dies with it; the other user's lives on.
		_, err = c.Profile(ctx)
		wantError(t, err, iswigo.EUNAUTHORIZED, iswigo.MsgInvalidToken)
		if _, err := otherClient.Profile(ctx); err != nil {
			t.Fatal(err)
		}
		// The email is free again.
		if _, err := e.psd2.CreateUser(ctx, "gone@example.com", "Str0ng!Passw0rd"); err != nil {
			t.Fatal(err)
		}
		status, _, body := e.raw(t, "DELETE", "/v1/users/"+u.UserID, signed(e.psd2App, "DELETE", "/v1/users/"+u.UserID, nil), nil)
		wantEnvelope(t, status, body, http.StatusUnauthorized, iswigo.MsgInvalidToken)
	})
}

var _ = api.User{}
