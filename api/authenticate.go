package api

import (
	"net/http"
	"strings"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/auth"
)

// handleAuthenticate exchanges an email and password for an access token.
// A wrong password and an unknown email give the same answer after the
// same work; after passwordFailureLimit failures for one email or one
// client address within the window, 429.
func (s *Server) handleAuthenticate(w http.ResponseWriter, r *http.Request) error {
	var req credentialsRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	app := requestApp(r)
	ctx := r.Context()
	keys := []string{"authenticate:email:" + app.ID + ":" + strings.ToLower(req.Email), "authenticate:ip:" + clientIP(r)}
	if err := s.checkRateLimits(ctx, keys, passwordFailureLimit, passwordFailureWindow); err != nil {
		return err
	}
	invalid := iswigo.Errorf(iswigo.EINVALID, iswigo.MsgInvalidGrant)
	u, err := s.Users.FindUserByEmail(ctx, app.ID, req.Email)
	if iswigo.ErrorCode(err) == iswigo.ENOTFOUND || req.Email == "" {
		auth.DummyCheckPassword(req.Password, *s.PasswordParams)
		s.recordFailures(ctx, r, keys)
		return invalid
	} else if err != nil {
		return err
	}
	ok, err := auth.CheckPassword(u.PasswordHash, req.Password)
	if err != nil {
		return err
	}
	if !ok {
		s.recordFailures(ctx, r, keys)
		return invalid
	}
	token, _, err := s.Tokens.Issue(ctx, app.Name, u.ID, u.TokenVersion)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Token{TokenType: "Bearer", ExpiresIn: int(iswigo.TokenLifetime.Seconds()) - 1, AccessToken: token})
	return nil
}
