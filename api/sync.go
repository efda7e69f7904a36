// SPDX-License-Identifier: Apache-2.0

package api

import (
	"net/http"

	"github.com/iswigo/iswigo"
)

// handleSyncConnection queues an interactive sync (a person is present)
// unless one is queued or running, and answers with the status.
func (s *Server) handleSyncConnection(w http.ResponseWriter, r *http.Request) error {
	u := requestUser(r)
	c, err := s.Connections.RequestSync(r.Context(), u.AppID, u.ID, iswigo.SyncRequest{ConnectionID: r.PathValue("id"),
		Interactive: true, PSUIPAddress: iswigo.ClientAddr(r), PSUUserAgent: iswigo.ClientUserAgent(r)})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statusJSON(c))
	return nil
}

// handleSyncAll queues a sync of each of the user's connections.
func (s *Server) handleSyncAll(w http.ResponseWriter, r *http.Request) error {
	u := requestUser(r)
	out := []Status{}
	for from := 0; ; from += iswigo.MaxRangeSize {
		conns, total, err := s.Connections.FindConnections(r.Context(), iswigo.ConnectionFilter{AppID: u.AppID, UserID: u.ID,
			Range: iswigo.Range{From: from, To: from + iswigo.MaxRangeSize - 1}})
		if err != nil {
			return err
		}
		for _, c := range conns {
			c, err := s.Connections.RequestSync(r.Context(), u.AppID, u.ID, iswigo.SyncRequest{ConnectionID: c.ID,
				Interactive: true, PSUIPAddress: iswigo.ClientAddr(r), PSUUserAgent: iswigo.ClientUserAgent(r)})
			if iswigo.ErrorCode(err) == iswigo.ENOTFOUND {
				continue // deleted meanwhile
			} else if err != nil {
				return err
			}
			out = append(out, statusJSON(c))
		}
		if from+iswigo.MaxRangeSize >= total {
			break
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) handleConnectionStatus(w http.ResponseWriter, r *http.Request) error {
	u := requestUser(r)
	c, err := s.Connections.FindConnectionByID(r.Context(), u.AppID, u.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statusJSON(c))
	return nil
}

// handleConnectionStep answers the step a sync waits for (PSD2 only). The
// keys are validated against the step's input set.
func (s *Server) handleConnectionStep(w http.ResponseWriter, r *http.Request) error {
	c, b, err := s.psd2ConnectionRequest(r)
	if err != nil {
		return err
	}
	u := requestUser(r)
	if c.Status != iswigo.StatusWaitingUser {
		return iswigo.Errorf(iswigo.EINVALID, iswigo.MsgStepNotAvailable)
	}
	p, err := s.Providers.FindProviderByID(r.Context(), c.ProviderID)
	if err != nil {
		return err
	}
	set, ok := p.Inputs[c.Step]
	if !ok {
		return iswigo.Errorf(iswigo.EINVALID, iswigo.MsgStepNotAvailable)
	}
	answer, err := credentialsFor(set, b.values)
	if err != nil {
		return err
	}
	if c, err = s.Connections.AnswerStep(r.Context(), u.AppID, u.ID, c.ID, answer); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statusJSON(c))
	return nil
}
