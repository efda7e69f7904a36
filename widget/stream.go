// SPDX-License-Identifier: Apache-2.0

package widget

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/iswigo/iswigo"
)

// streamKeepAlive is how often a silent progress stream writes a comment
// line, which keeps proxies from closing it.
const streamKeepAlive = 15 * time.Second

// streamSessionChecks is how many reads of the connections pass between
// two checks of the session (2 seconds at the default PollInterval).
const streamSessionChecks = 8

// handleStream streams the states of the connections named (every one the
// session reaches when none is) as Server-Sent Events: an event "status"
// with a connection's state (as statusJSON) each time it changes, the
// first time for each. It reads them every PollInterval and ends with an
// event "end" when all are finished or in error, "ended" when the session
// ends, and "again" after StreamDuration or on Shutdown (the page opens
// another stream).
// The page reads it with fetch, so that the session id stays in a header.
func (h *Handler) handleStream(w http.ResponseWriter, r *http.Request, sc *sessionContext) error {
	var req connectionsRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	ctx := r.Context()
	conns, err := h.named(ctx, sc, req.ConnectionIDs)
	if err != nil {
		return err
	}
	ids := make([]string, len(conns))
	for i, c := range conns {
		ids[i] = c.ID
	}
	rc := http.NewResponseController(w)
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream; charset=utf-8")
	hd.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	send := func(event string, data []byte) bool {
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, data); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	last := map[string]string{}
	ticker := time.NewTicker(h.PollInterval)
	defer ticker.Stop()
	start := time.Now()
	lastCheck, lastWrite := start, start
	for {
		done := true
		for _, id := range ids {
			c, err := h.Connections.FindConnectionByID(ctx, sc.user.AppID, sc.user.ID, id)
			if iswigo.ErrorCode(err) == iswigo.ENOTFOUND {
				continue // deleted meanwhile
			} else if err != nil {
				if ctx.Err() == nil {
					h.logError(r, sc, err)
				}
				return nil
			}
			b, _ := json.Marshal(statusOfConnection(c))
			if last[id] != string(b) {
				last[id] = string(b)
				if !send("status", b) {
					return nil
				}
				lastWrite = time.Now()
			}
			if c.Running() {
				done = false
			}
		}
		if done {
			send("end", []byte("{}"))
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-h.stop:
			send("again", []byte("{}"))
			return nil
		case <-ticker.C:
		}
		now := time.Now()
		if now.Sub(start) >= h.StreamDuration {
			send("again", []byte("{}"))
			return nil
		}
		if now.Sub(lastCheck) >= streamSessionChecks*h.PollInterval {
			lastCheck = now
			if _, err := h.loadSession(ctx, sc.session.ID); iswigo.ErrorCode(err) == codeGone || iswigo.ErrorCode(err) == iswigo.EUNAUTHORIZED {
				send("ended", []byte("{}"))
				return nil
			}
		}
		if now.Sub(lastWrite) >= streamKeepAlive {
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil || rc.Flush() != nil {
				return nil
			}
			lastWrite = now
		}
	}
}
