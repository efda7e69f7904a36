// SPDX-License-Identifier: Apache-2.0

package connflow

import (
	"context"

	"github.com/iswigo/iswigo"
)

// Step returns the provider of connection c and the input set its
// synchronization waits for. EINVALID "Step not available" unless c is
// "waiting user" on a step the provider describes with inputs (a redirect
// step is answered by the callback, a decoupled one by nobody).
func (s *Service) Step(ctx context.Context, c *iswigo.Connection) (*iswigo.Provider, iswigo.InputSet, error) {
	if c.Status != iswigo.StatusWaitingUser {
		return nil, iswigo.InputSet{}, iswigo.Errorf(iswigo.EINVALID, iswigo.MsgStepNotAvailable)
	}
	p, err := s.Providers.FindProviderByID(ctx, c.ProviderID)
	if err != nil {
		return nil, iswigo.InputSet{}, err
	}
	set, ok := p.Inputs[c.Step]
	if !ok {
		return nil, iswigo.InputSet{}, iswigo.Errorf(iswigo.EINVALID, iswigo.MsgStepNotAvailable)
	}
	return p, set, nil
}

// AnswerStep answers the step connection c (found with Connection) waits
// for, under the PSD2 rule: values are validated against the step's input
// set, and only its inputs are passed on. It returns the new status.
func (s *Service) AnswerStep(ctx context.Context, a Actor, c *iswigo.Connection, values map[string]string) (*iswigo.Connection, error) {
	if err := RequirePSD2(a); err != nil {
		return nil, err
	}
	if err := owned(a, c); err != nil {
		return nil, err
	}
	_, set, err := s.Step(ctx, c)
	if err != nil {
		return nil, err
	}
	answer, err := credentialsFor(set, values)
	if err != nil {
		return nil, err
	}
	return s.Connections.AnswerStep(ctx, a.User.AppID, a.User.ID, c.ID, answer)
}
