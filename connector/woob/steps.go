// SPDX-License-Identifier: Apache-2.0

package woob

import (
	"context"
	"fmt"

	"github.com/iswigo/iswigo"
)

// ask answers a woob question (BrowserQuestion, OTPQuestion,
// SentOTPQuestion) with the step set named after the asked value.
func (r *syncRun) ask(ctx context.Context, m message) error {
	if _, ok := r.c.provider.Inputs[m.Field]; !ok || m.Field == "default" {
		return fmt.Errorf("woob module: asks %q, which is no step of the provider", m.Field)
	}
	var answer map[string]string
	var err error
	if ms, ok := r.s.(iswigo.StepMessageSession); ok && m.Message != "" {
		answer, err = ms.AskWithMessage(ctx, m.Field, r.b.scrub(m.Message))
	} else {
		answer, err = r.s.Ask(ctx, m.Field)
	}
	if err != nil {
		return err
	}
	v := answer[m.Field]
	r.b.addSecret(v)
	return r.b.send(answerMessage{Type: "answer", Values: map[string]string{m.Field: v}})
}

// decoupled runs an app validation (AppValidation, DecoupledValidation)
// through the session's decoupled step: each poll asks the bridge to run
// the module again with "resume" set, and the bridge answers pending,
// validated, or an error.
func (r *syncRun) decoupled(ctx context.Context, m message) error {
	ds, ok := r.s.(iswigo.DecoupledSession)
	if !ok {
		return iswigo.Fail(iswigo.ErrnoSCARequired, "the module asks an app validation and this session cannot wait for one")
	}
	msg := m.Message
	if msg == "" {
		msg = "Approve the connection in your bank's app."
	}
	return ds.Decoupled(ctx, msg, r.c.r.opts.DecoupledInterval, func(ctx context.Context) (bool, error) {
		if err := r.b.send(pollMessage{Type: "poll"}); err != nil {
			return false, err
		}
		reply, err := r.b.recv(ctx)
		if err != nil {
			return false, err
		}
		switch reply.Type {
		case "pending":
			return false, nil
		case "validated":
			return true, nil
		case "error":
			return false, errorOf(reply, r.b.scrub)
		}
		return false, fmt.Errorf("%w: %q while polling an app validation", errBridge, reply.Type)
	})
}

// redirect runs a BrowserRedirect through the session's redirect step: the
// bridge gives the module iswigo's callback URL and state (its
// redirect_uri and state values, when it has them) and returns the URL to
// send the person to; the callback's parameters go back to the module as
// its auth_uri.
func (r *syncRun) redirect(ctx context.Context) error {
	rs, ok := r.s.(iswigo.RedirectSession)
	if !ok {
		return iswigo.Fail(iswigo.ErrnoSCARequired, "the module asks a redirect and this session cannot make one")
	}
	params, err := rs.Redirect(ctx, func(ctx context.Context, callbackURL, state string) (string, error) {
		r.b.addSecret(state)
		if err := r.b.send(redirectStartMessage{Type: "redirect_start", CallbackURL: callbackURL, State: state}); err != nil {
			return "", err
		}
		reply, err := r.b.recv(ctx)
		if err != nil {
			return "", err
		}
		switch reply.Type {
		case "redirect_url":
			return reply.URL, nil
		case "error":
			return "", errorOf(reply, r.b.scrub)
		}
		return "", fmt.Errorf("%w: %q instead of the redirect URL", errBridge, reply.Type)
	})
	if err != nil {
		return err
	}
	for _, v := range params {
		r.b.addSecret(v)
	}
	return r.b.send(callbackMessage{Type: "callback", Params: params})
}

// needInteractive handles woob's NeedInteractiveFor2FA: the module stopped
// before sending a challenge, since nobody is present. When the module's
// step is certain (backgroundStep) it is asked, as any connector would, so
// that the session fails with ErrnoSCARequired at once on that step;
// otherwise (a module that may also redirect or wait for an app, or has
// several steps) the sync ends with errno 10 and no step.
func (r *syncRun) needInteractive(ctx context.Context, m message) error {
	if step := r.c.backgroundStep; step != "" && !r.s.Interactive() {
		if _, err := r.s.Ask(ctx, step); err != nil {
			return err
		}
	}
	return errorOf(m, r.b.scrub)
}
