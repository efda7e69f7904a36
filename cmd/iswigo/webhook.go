// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/job"
)

// knownEventTypes are the types an endpoint may subscribe to.
var knownEventTypes = []string{iswigo.EventConnectionStatus, iswigo.EventConnectionCreated, iswigo.EventConnectionDeleted,
	iswigo.EventUserCreated, iswigo.EventUserDeleted, iswigo.EventTransactionsAdded, iswigo.EventDocumentsAdded,
	iswigo.EventSimpleFINAccessed}

func runWebhook(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("webhook: want a subcommand: add, list, remove, deliveries, replay")
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet("webhook "+sub, stderr)
	var sf storeFlags
	sf.register(fs)
	appName := fs.String("app", "", "application name")
	var hookURL, events, id, eventID, since *string
	var failed *bool
	switch sub {
	case "add":
		hookURL = fs.String("url", "", "http(s) URL receiving the events")
		events = fs.String("events", "", "comma-separated event types (default: every type)")
	case "list":
	case "remove":
		id = fs.String("id", "", "endpoint id")
	case "deliveries":
		failed = fs.Bool("failed", false, "only deliveries that failed for good")
	case "replay":
		eventID = fs.String("event", "", "event id to deliver again")
		since = fs.String("since", "", "deliver again every event created at or after this RFC 3339 time")
	default:
		return fmt.Errorf("webhook: unknown subcommand %q", sub)
	}
	db, err := parseAndOpenStore(ctx, fs, args, &sf)
	if err != nil {
		return err
	}
	defer db.Close()
	var app *iswigo.App
	if *appName != "" {
		if app, err = db.FindAppByName(ctx, *appName); err != nil {
			return fmt.Errorf("webhook %s: %s", sub, iswigo.ErrorMessage(err))
		}
	} else if sub == "add" || sub == "deliveries" {
		return fmt.Errorf("webhook %s: --app is required", sub)
	}

	switch sub {
	case "add":
		u, err := url.Parse(*hookURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--url: want an http(s) URL")
		}
		w := &iswigo.WebhookEndpoint{AppID: app.ID, URL: *hookURL}
		for _, t := range strings.FieldsFunc(*events, func(r rune) bool { return r == ',' || r == ' ' }) {
			if !contains(knownEventTypes, t) {
				return fmt.Errorf("--events: unknown event type %q (known: %s)", t, strings.Join(knownEventTypes, ", "))
			}
			w.Events = append(w.Events, t)
		}
		if err := db.CreateWebhookEndpoint(ctx, w); err != nil {
			return err
		}
		return printJSON(stdout, endpointView(w, app.Name))
	case "list":
		appID := ""
		if app != nil {
			appID = app.ID
		}
		endpoints, err := db.FindWebhookEndpoints(ctx, appID)
		if err != nil {
			return err
		}
		out := []map[string]any{}
		for _, w := range endpoints {
			a, err := db.FindAppByID(ctx, w.AppID)
			if err != nil {
				return err
			}
			out = append(out, endpointView(w, a.Name))
		}
		return printJSON(stdout, out)
	case "remove":
		if err := db.DeleteWebhookEndpoint(ctx, *id); err != nil {
			return fmt.Errorf("webhook remove: %s", iswigo.ErrorMessage(err))
		}
		return printJSON(stdout, map[string]string{"removed": *id})
	case "deliveries":
		deliveries, err := db.FindDeliveries(ctx, app.ID, *failed, 100)
		if err != nil {
			return err
		}
		for _, d := range deliveries {
			attempts := []map[string]any{}
			for _, a := range d.Attempts {
				attempts = append(attempts, map[string]any{"attempt": a.Number, "time": a.At.Format(time.RFC3339),
					"status_code": a.StatusCode, "duration_ms": a.Duration.Milliseconds(), "error": a.Error})
			}
			if err := printJSON(stdout, map[string]any{"delivery_id": d.ID, "event_id": d.EventID, "type": d.EventType,
				"url": redactURL(d.URL), "status": d.Status, "created_at": d.CreatedAt.Format(time.RFC3339), "attempts": attempts}); err != nil {
				return err
			}
		}
		return nil
	default: // replay
		if (*eventID == "") == (*since == "") {
			return fmt.Errorf("webhook replay: give exactly one of --event and --since")
		}
		var t time.Time
		if *since != "" {
			if t, err = time.Parse(time.RFC3339, *since); err != nil {
				return fmt.Errorf("--since: want an RFC 3339 time such as 2026-11-26T10:00:00Z")
			}
		}
		engine, err := job.New(db, nil, job.Config{})
		if err != nil {
			return err
		}
		n, err := db.ReplayEvents(ctx, *eventID, t, engine.EnqueueDelivery)
		if err != nil {
			return fmt.Errorf("webhook replay: %s", iswigo.ErrorMessage(err))
		}
		return printJSON(stdout, map[string]int{"deliveries": n})
	}
}

func endpointView(w *iswigo.WebhookEndpoint, app string) map[string]any {
	events := w.Events
	if events == nil {
		events = []string{}
	}
	return map[string]any{"id": w.ID, "app": app, "url": redactURL(w.URL), "events": events}
}

// redactURL hides credentials a URL may carry.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(invalid URL)"
	}
	return u.Redacted()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
