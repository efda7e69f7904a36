// SPDX-License-Identifier: Apache-2.0

package job

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"syscall"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/auth"
	"github.com/riverqueue/river"
)

// DeliverArgs is the job that delivers one event to one URL.
type DeliverArgs struct {
	DeliveryID string `json:"delivery_id"`
}

// Kind implements river.JobArgs.
func (DeliverArgs) Kind() string { return "deliver_webhook" }

// Outbound limits of a delivery.
const (
	deliveryTimeout     = 10 * time.Second
	deliveryDialTimeout = 5 * time.Second
	maxResponseBytes    = 64 << 10
)

// EventInserted implements sqldb.Hooks: in the event's own transaction, it
// creates a delivery per receiving URL and the job that delivers it, so an
// event committed just before a crash is still delivered after restart.
func (e *Engine) EventInserted(ctx context.Context, tx *sql.Tx, ev *iswigo.Event) error {
	ids, err := e.db.CreateDeliveriesTx(ctx, tx, ev)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := e.EnqueueDelivery(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

// EnqueueDelivery inserts, in tx, the job of a delivery.
func (e *Engine) EnqueueDelivery(ctx context.Context, tx *sql.Tx, deliveryID string) error {
	_, err := e.client.InsertTx(ctx, tx, DeliverArgs{DeliveryID: deliveryID}, &river.InsertOpts{MaxAttempts: e.cfg.WebhookAttempts})
	if err != nil {
		return fmt.Errorf("insert delivery job: %w", err)
	}
	return nil
}

type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	engine *Engine
	client *http.Client
}

// Timeout implements river.Worker: a delivery never takes long.
func (w *deliverWorker) Timeout(*river.Job[DeliverArgs]) time.Duration { return 2 * deliveryTimeout }

// Work POSTs the delivery's payload, signed twice (the API's $5$ formula
// over the endpoint's path and query, and a replay-proof HMAC with a
// timestamp), and records the attempt. Any 2xx within deliveryTimeout is
// success; anything else is retried with back-off until the attempts run
// out, then the delivery is marked failed.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	e := w.engine
	d, err := e.db.FindDelivery(ctx, job.Args.DeliveryID)
	if iswigo.ErrorCode(err) == iswigo.ENOTFOUND {
		return nil // its application was deleted
	} else if err != nil {
		return err
	}
	if d.Status != iswigo.DeliveryPending {
		return nil
	}
	app, err := e.db.FindAppByID(ctx, d.AppID)
	if iswigo.ErrorCode(err) == iswigo.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	start := time.Now()
	status, sendErr := w.send(ctx, app, d, job.Attempt, start)
	a := iswigo.WebhookAttempt{Number: job.Attempt, At: start, StatusCode: status, Duration: time.Since(start)}
	ok := sendErr == nil && status >= 200 && status < 300
	if sendErr != nil {
		a.Error = sendErr.Error()
	} else if !ok {
		a.Error = "status " + strconv.Itoa(status)
	}
	final := ok || job.Attempt >= job.MaxAttempts
	newStatus := iswigo.DeliveryPending
	switch {
	case ok:
		newStatus = iswigo.DeliveryDelivered
	case final:
		newStatus = iswigo.DeliveryFailed
	}
	if err := e.db.RecordAttempt(context.WithoutCancel(ctx), d.ID, a, newStatus); err != nil {
		return err
	}
	if e.cfg.Metrics != nil {
		e.cfg.Metrics.ObserveDelivery(newStatus, a.Duration)
	}
	logger := e.cfg.Logger.With("job", "deliver_webhook", "delivery_id", d.ID, "event_id", d.EventID, "attempt", job.Attempt)
	switch {
	case ok:
		logger.Debug("webhook delivered", "status", status, "duration_ms", a.Duration.Milliseconds())
		return nil
	case final:
		logger.Warn("webhook delivery failed for good", "status", status, "error", a.Error)
		return nil
	default:
		logger.Info("webhook delivery failed, will retry", "status", status, "error", a.Error)
		return errors.New(a.Error)
	}
}

// send makes one attempt and returns the response status.
func (w *deliverWorker) send(ctx context.Context, app *iswigo.App, d *iswigo.WebhookDelivery, attempt int, now time.Time) (int, error) {
	u, err := url.Parse(d.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return 0, fmt.Errorf("invalid URL")
	}
	target := u.EscapedPath()
	if target == "" {
		target = "/"
	}
	if u.RawQuery != "" {
		target += "?" + u.RawQuery
	}
	ctx, cancel := context.WithTimeout(ctx, deliveryTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "POST", d.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return 0, err
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "iswigo-webhooks")
	req.Header.Set("X-Iswigo-App", app.Name)
	req.Header.Set("X-Iswigo-Signature", auth.Signature(app.Secret, "POST", target, d.Payload))
	req.Header.Set("X-Iswigo-Event-Id", d.EventID)
	req.Header.Set("X-Iswigo-Delivery-Attempt", strconv.Itoa(attempt))
	req.Header.Set("X-Iswigo-Timestamp", ts)
	req.Header.Set("X-Iswigo-Signature-256", WebhookHMAC(app.Secret, ts, d.Payload))
	resp, err := w.client.Do(req)
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err // the URL may carry credentials: never log it
		}
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponseBytes))
	return resp.StatusCode, nil
}

// WebhookHMAC returns the replay-proof signature of a delivery:
// hex(HMAC-SHA256(secret, timestamp + "." + body)).
func WebhookHMAC(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp))
	mac.Write([]byte("."))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// errPrivateAddress refuses a connection to a non-public address.
var errPrivateAddress = errors.New("refused: the webhook URL resolves to a loopback, private or link-local address (see --allow-private-webhooks)")

// newWebhookClient returns the HTTP client of deliveries: no redirects
// followed, connect and total timeouts, and — unless allowPrivate — no
// connection to loopback, private, link-local or unspecified addresses,
// checked on the address actually dialled (so DNS cannot rebind around it).
func newWebhookClient(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: deliveryDialTimeout}
	if !allowPrivate {
		dialer.Control = func(network, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			ip := net.ParseIP(host)
			if ip == nil || !publicIP(ip) {
				return errPrivateAddress
			}
			return nil
		}
	}
	transport := &http.Transport{
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   deliveryDialTimeout,
		ResponseHeaderTimeout: deliveryTimeout,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       30 * time.Second,
	}
	return &http.Client{
		Transport:     transport,
		Timeout:       deliveryTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// publicIP reports whether ip is a globally routable unicast address.
func publicIP(ip net.IP) bool {
	return !(ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() ||
		// 100.64.0.0/10 (carrier-grade NAT) and 0.0.0.0/8
		(ip.To4() != nil && (ip.To4()[0] == 0 || (ip.To4()[0] == 100 && ip.To4()[1]&0xc0 == 64))))
}
