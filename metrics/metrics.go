// SPDX-License-Identifier: Apache-2.0

// Package metrics exposes iswigo's measurements to Prometheus: HTTP
// requests by route pattern and status, latencies, syncs by outcome and
// errno, sync durations, jobs by state, webhook deliveries by outcome and
// database pool usage. It implements iswigo.Metrics.
package metrics

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is the process's registry and its series.
type Metrics struct {
	registry *prometheus.Registry

	requests        *prometheus.CounterVec
	requestDuration *prometheus.HistogramVec
	syncs           *prometheus.CounterVec
	syncDuration    *prometheus.HistogramVec
	deliveries      *prometheus.CounterVec
	deliveryLatency prometheus.Histogram

	// series caches the request series by method, route and status, so
	// that counting a request costs one map lookup instead of two label
	// hashes and lookups under the vectors' locks. At most maxCachedSeries
	// entries; past them, the vectors are asked each time.
	series      sync.Map // requestKey → *requestSeries
	seriesCount atomic.Int64
}

type requestKey struct {
	method, route string
	status        int
}

type requestSeries struct {
	count    prometheus.Counter
	duration prometheus.Observer
}

// maxCachedSeries bounds the request series cache: the routes are few,
// but a client chooses the method of an unmatched request.
const maxCachedSeries = 1024

var _ iswigo.Metrics = (*Metrics)(nil)

// New returns the metrics of a process, with the Go and process collectors.
func New() *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "iswigo_http_requests_total",
		Help: "HTTP requests by method, route pattern and status."}, []string{"method", "route", "status"})
	m.requestDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "iswigo_http_request_duration_seconds",
		Help: "HTTP request latency by route pattern.", Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10}},
		[]string{"method", "route"})
	m.syncs = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "iswigo_syncs_total",
		Help: "Connection syncs by outcome (finished, retry, error) and errno (0 for success)."}, []string{"outcome", "errno"})
	m.syncDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "iswigo_sync_duration_seconds",
		Help: "Duration of connection syncs, step waits included.", Buckets: prometheus.ExponentialBuckets(0.05, 2, 14)},
		[]string{"outcome"})
	m.deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "iswigo_webhook_deliveries_total",
		Help: "Webhook delivery attempts by resulting delivery status (delivered, pending = will retry, failed)."}, []string{"outcome"})
	m.deliveryLatency = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "iswigo_webhook_delivery_duration_seconds",
		Help: "Duration of webhook delivery attempts.", Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12)})
	m.registry.MustRegister(m.requests, m.requestDuration, m.syncs, m.syncDuration, m.deliveries, m.deliveryLatency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveRequest implements iswigo.Metrics. route is the matched pattern
// ("" for unknown routes, reported as "unmatched") so label values stay few.
func (m *Metrics) ObserveRequest(method, route string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	key := requestKey{method, route, status}
	v, ok := m.series.Load(key)
	if !ok {
		rs := &requestSeries{count: m.requests.WithLabelValues(method, route, strconv.Itoa(status)),
			duration: m.requestDuration.WithLabelValues(method, route)}
		if m.seriesCount.Load() < maxCachedSeries {
			if _, loaded := m.series.LoadOrStore(key, rs); !loaded {
				m.seriesCount.Add(1)
			}
		}
		v = rs
	}
	rs := v.(*requestSeries)
	rs.count.Inc()
	rs.duration.Observe(d.Seconds())
}

// ObserveSync implements iswigo.Metrics.
func (m *Metrics) ObserveSync(outcome string, errno iswigo.Errno, d time.Duration) {
	m.syncs.WithLabelValues(outcome, strconv.Itoa(int(errno))).Inc()
	m.syncDuration.WithLabelValues(outcome).Observe(d.Seconds())
}

// ObserveDelivery implements iswigo.Metrics.
func (m *Metrics) ObserveDelivery(status string, d time.Duration) {
	m.deliveries.WithLabelValues(status).Inc()
	m.deliveryLatency.Observe(d.Seconds())
}

// RegisterDB exports the statistics of a database pool, labelled name.
func (m *Metrics) RegisterDB(name string, db *sql.DB) {
	m.registry.MustRegister(collectors.NewDBStatsCollector(db, name))
}

// RegisterJobs exports the number of jobs by kind and state, read by
// count at each scrape (bounded by timeout).
func (m *Metrics) RegisterJobs(count func(ctx context.Context) (map[[2]string]int, error), logger *slog.Logger) {
	m.registry.MustRegister(&jobCollector{count: count, logger: logger,
		desc: prometheus.NewDesc("iswigo_jobs", "Jobs by kind and state (available, running, retryable, scheduled…).", []string{"kind", "state"}, nil)})
}

type jobCollector struct {
	count  func(ctx context.Context) (map[[2]string]int, error)
	logger *slog.Logger
	desc   *prometheus.Desc
}

func (c *jobCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *jobCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := c.count(ctx)
	if err != nil {
		c.logger.Warn("count jobs for metrics", "error", err)
		return
	}
	for k, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), k[0], k[1])
	}
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}
