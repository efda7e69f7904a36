// SPDX-License-Identifier: Apache-2.0

package api

import (
	"encoding/json"
	"net/http"

	"github.com/iswigo/iswigo"
)

// maxNameLength bounds first_name, last_name and company.
const maxNameLength = 255

func (s *Server) handleGetProfile(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, profileJSON(requestUser(r), requestApp(r)))
	return nil
}

// handleUpdateProfile updates the fields present in the body: first_name,
// last_name, company (string or null), terms_of_service ("YYYY-MM-DD" or
// null) and email, which starts the validation of that contact address
// without changing the login email.
func (s *Server) handleUpdateProfile(w http.ResponseWriter, r *http.Request) error {
	var req map[string]json.RawMessage
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if req == nil {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid body: expected a JSON object")
	}
	u, app := *requestUser(r), requestApp(r) // a copy: the context's user stays as loaded
	for key, dst := range map[string]*string{"first_name": &u.FirstName, "last_name": &u.LastName, "company": &u.Company} {
		v, present, err := fieldString(req, key, maxNameLength)
		if err != nil {
			return err
		} else if present {
			*dst = v
		}
	}
	if raw, ok := req["terms_of_service"]; ok {
		var d iswigo.Date
		if err := json.Unmarshal(raw, &d); err != nil {
			return iswigo.Errorf(iswigo.EINVALID, "Invalid terms_of_service: expected \"YYYY-MM-DD\" or null")
		}
		if iswigo.DateOf(s.Now()).AddDays(1).Before(d) {
			return iswigo.Errorf(iswigo.EINVALID, "Invalid terms_of_service: the date is in the future")
		}
		u.TermsOfService = d
	}
	var sendCode bool
	if raw, ok := req["email"]; ok {
		var email string
		if err := json.Unmarshal(raw, &email); err != nil {
			return iswigo.Errorf(iswigo.EINVALID, "Invalid email: expected an e-mail address")
		}
		if err := validateEmail("email", email); err != nil {
			return err
		}
		if !(u.EmailValidated && email == u.EmailValidation) {
			var err error
			if sendCode, err = s.profile().StartValidation(r.Context(), &u, app, email); err != nil {
				return err
			}
		}
	}
	if err := s.Users.UpdateUser(r.Context(), &u); err != nil {
		return err
	}
	if sendCode {
		if err := s.profile().SendCode(r.Context(), &u); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, profileJSON(&u, app))
	return nil
}
