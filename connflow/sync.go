// SPDX-License-Identifier: Apache-2.0

package connflow

import (
	"context"

	"github.com/iswigo/iswigo"
)

// Sync queues an interactive synchronization of connection id, with the
// person present, unless one is queued or running, and returns the
// connection's status either way. Any application may (no PSD2 rule).
func (s *Service) Sync(ctx context.Context, a Actor, id string) (*iswigo.Connection, error) {
	if a.Scope != nil {
		if _, err := s.Connection(ctx, a, id); err != nil {
			return nil, err
		}
	}
	return s.Connections.RequestSync(ctx, a.User.AppID, a.User.ID, s.syncRequest(a, id))
}

// SyncAll queues, as Sync, a synchronization of each connection of ids,
// or of every connection a reaches when ids is empty (see Named),
// and returns their statuses. A connection deleted meanwhile is left out.
func (s *Service) SyncAll(ctx context.Context, a Actor, ids []string) ([]*iswigo.Connection, error) {
	conns, err := s.Named(ctx, a, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*iswigo.Connection, 0, len(conns))
	for _, c := range conns {
		c, err := s.Connections.RequestSync(ctx, a.User.AppID, a.User.ID, s.syncRequest(a, c.ID))
		if iswigo.ErrorCode(err) == iswigo.ENOTFOUND {
			continue // deleted meanwhile
		} else if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func (s *Service) syncRequest(a Actor, id string) iswigo.SyncRequest {
	return iswigo.SyncRequest{ConnectionID: id, Interactive: true, PSUIPAddress: a.Person.IPAddress,
		PSUUserAgent: a.Person.UserAgent, RedirectURI: a.Person.ReturnURL}
}
