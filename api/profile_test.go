// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
)

func TestProfile(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		u, c := e.user(t, e.psd2, "hector.berlioz@iswigo.com")
		p, err := c.Profile(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p.UserID != u.UserID || p.LastTermsOfService.String() != "2019-10-01" || !p.TermsOfService.IsZero() {
			t.Fatalf("profile %+v", p)
		}
		p, err = c.UpdateProfile(ctx, updateOf(map[string]string{"first_name": "Hector", "company": "Symphonie", "terms_of_service": "2020-01-01", "email": "hector@berlioz.com"}))
		if err != nil {
			t.Fatal(err)
		}
		if *p.FirstName != "Hector" || *p.Company != "Symphonie" || p.LastName != nil || p.TermsOfService.String() != "2020-01-01" ||
			p.Email != "hector.berlioz@iswigo.com" || *p.EmailValidation != "hector@berlioz.com" {
			t.Fatalf("updated profile %+v", p)
		}
		// Absent fields are kept; null clears.
		resp, body, err := c.Do(ctx, "PUT", "/v1/profile", []byte(`{"company":null}`))
		if err != nil || resp.StatusCode != 200 || !strings.Contains(string(body), `"company":null`) || !strings.Contains(string(body), `"first_name":"Hector"`) {
			t.Fatalf("PUT company null: %d %s %v", resp.StatusCode, body, err)
		}
		for body, msg := range map[string]string{
			`{"terms_of_service":"2020-13-01"}`:                "Invalid terms_of_service",
			`{"terms_of_service":"3020-01-01"}`:                "Invalid terms_of_service",
			`{"terms_of_service":20200101}`:                    "Invalid terms_of_service",
			`{"email":"nope"}`:                                 "Invalid email",
			`{"first_name":12}`:                                "Invalid first_name",
			`{"last_name":"` + strings.Repeat("x", 256) + `"}`: "Invalid last_name",
			`[1,2]`: "Malformed JSON",
		} {
			resp, data, _ := c.Do(ctx, "PUT", "/v1/profile", []byte(body))
			wantEnvelope(t, resp.StatusCode, data, 400, msg)
		}
		// Users see only their own profile.
		_, other := e.user(t, e.psd2, "other@example.com")
		if p, _ := other.Profile(ctx); p.FirstName != nil {
			t.Fatal("another user's profile changed")
		}
	})
}

func TestValidationPSD2(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		_, c := e.user(t, e.psd2, "hector.berlioz@iswigo.com")
		v, err := c.ProfileValidation(ctx)
		if err != nil || v.Email != nil || v.Validated || v.Token != "" {
			t.Fatalf("empty validation %+v, %v", v, err)
		}
		wantError(t, c.ValidateProfile(ctx, "123456"), iswigo.EINVALID, "No validation pending")
		if _, err := c.UpdateProfile(ctx, updateOf(map[string]string{"email": "hector@berlioz.com"})); err != nil {
			t.Fatal(err)
		}
		v, err = c.ProfileValidation(ctx)
		if err != nil || *v.Email != "hector@berlioz.com" || v.Validated || len(v.Token) != 6 {
			t.Fatalf("pending validation %+v, %v", v, err)
		}
		exp, err := time.Parse(iswigo.EventTimeLayout, v.TokenExpiration)
		if err != nil || exp.Before(time.Now().Add(59*time.Minute)) || exp.After(time.Now().Add(61*time.Minute)) {
			t.Fatalf("token_expiration %q", v.TokenExpiration)
		}
		wrong := "000000"
		if v.Token == wrong {
			wrong = "111111"
		}
		// Five wrong tries burn the code: the right one no longer works.
		for i := 0; i < 5; i++ {
			wantError(t, c.ValidateProfile(ctx, wrong), iswigo.EINVALID, "Invalid validation token")
		}
		wantError(t, c.ValidateProfile(ctx, v.Token), iswigo.EINVALID, "")
		if v, _ := c.ProfileValidation(ctx); v.Token != "" || v.Validated {
			t.Fatalf("burnt code still shown: %+v", v)
		}
		// A new address gives a new code, which validates it.
		c.UpdateProfile(ctx, updateOf(map[string]string{"email": "hector@berlioz.com"}))
		v, _ = c.ProfileValidation(ctx)
		if err := c.ValidateProfile(ctx, v.Token); err != nil {
			t.Fatal(err)
		}
		v, err = c.ProfileValidation(ctx)
		if err != nil || !v.Validated || *v.Email != "hector@berlioz.com" || v.Token != "" || v.TokenExpiration != "" {
			t.Fatalf("validated %+v, %v", v, err)
		}
		// A code expires after an hour.
		c.UpdateProfile(ctx, updateOf(map[string]string{"email": "new@berlioz.com"}))
		v, _ = c.ProfileValidation(ctx)
		e.server.Now = func() time.Time { return time.Now().Add(61 * time.Minute) }
		defer func() { e.server.Now = time.Now }()
		wantError(t, c.ValidateProfile(ctx, v.Token), iswigo.EINVALID, "expired")
		if e.smtp.Pending() != 0 {
			t.Fatal("a PSD2 application's user was sent an e-mail")
		}
	})
}

func TestValidationNonPSD2(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		_, c := e.user(t, e.plain, "hector.berlioz@iswigo.com")
		if _, err := c.UpdateProfile(ctx, updateOf(map[string]string{"email": "hector@berlioz.com"})); err != nil {
			t.Fatal(err)
		}
		msg := e.smtp.Wait(t, "hector@berlioz.com", 10*time.Second)
		v, err := c.ProfileValidation(ctx)
		if err != nil || v.Token != "" || v.TokenExpiration != "" || *v.Email != "hector@berlioz.com" || v.Validated {
			t.Fatalf("non-PSD2 validation %+v, %v", v, err)
		}
		user, _ := e.db.FindUserByEmail(ctx, e.plainApp.ID, "hector.berlioz@iswigo.com")
		if !strings.Contains(msg.Body, user.ValidationCode) || len(user.ValidationCode) != 6 {
			t.Fatalf("mail body %q does not carry the code", msg.Body)
		}
		wantError(t, c.ValidateProfile(ctx, user.ValidationCode), iswigo.EFORBIDDEN, "PSD2")
	})
}

// updateOf builds a profile update from field names.
func updateOf(fields map[string]string) api.ProfileUpdate {
	var u api.ProfileUpdate
	for k, v := range fields {
		switch k {
		case "first_name":
			u.FirstName = ptr(v)
		case "last_name":
			u.LastName = ptr(v)
		case "company":
			u.Company = ptr(v)
		case "terms_of_service":
			u.TermsOfService = ptr(v)
		case "email":
			u.Email = ptr(v)
		}
	}
	return u
}
