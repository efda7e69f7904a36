// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/iswigo/iswigo/api"
	"github.com/iswigo/iswigo/auth"
	"github.com/iswigo/iswigo/blobstore"
	"github.com/iswigo/iswigo/connector/statement"
	"github.com/iswigo/iswigo/job"
	"github.com/iswigo/iswigo/mail"
	"github.com/iswigo/iswigo/metrics"
	"github.com/iswigo/iswigo/profile"
	"github.com/iswigo/iswigo/widget"
)

// serveConfig is the configuration of "iswigo serve".
type serveConfig struct {
	store       storeFlags
	addr        string
	publicURL   string
	smtpURL     string
	mailFrom    string
	demo        bool
	logFormat   string
	logLevel    string
	shutdownMax time.Duration

	blobURL          string
	widgetURL        string
	widgetAddr       string
	funnelLifetime   time.Duration
	simplefinTTL     time.Duration
	simplefinPrivate bool
	metricsAddr      string
	trustedProxies   string
	allowPrivateHook bool
	webhookAttempts  int
	webhookRetryBase time.Duration
	eventRetention   time.Duration
	role             string
	syncInterval     time.Duration
	stepTimeout      time.Duration
	syncRetries      int
	syncRetryBase    time.Duration
	syncWorkers      int
	jobTimeout       time.Duration
	rescueAfter      time.Duration
	scanInterval     time.Duration
	sandboxStepDelay time.Duration
	redirectTimeout  time.Duration
	decoupledTimeout time.Duration
	consentWarning   time.Duration
	enableBanking    enableBankingFlags
	workerName       string
	workerLease      time.Duration
	woob             woobFlags
	memory           memoryFlags
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", stderr)
	var cfg serveConfig
	cfg.store.register(fs)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&cfg.publicURL, "public-url", "", "base of absolute links (default http://<addr>)")
	fs.StringVar(&cfg.smtpURL, "smtp-url", "", "smtp://user:pass@host:port or smtps://…; empty = write mail to <data>/outbox")
	fs.StringVar(&cfg.mailFrom, "mail-from", "", "sender address of e-mails (default iswigo@localhost)")
	fs.BoolVar(&cfg.demo, "demo", false, "create a demo application and user on first start and print how to call the API")
	fs.StringVar(&cfg.logFormat, "log-format", "json", "log format: json or text")
	fs.StringVar(&cfg.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	fs.DurationVar(&cfg.shutdownMax, "shutdown-timeout", 30*time.Second, "how long in-flight requests may take to finish on SIGINT/SIGTERM")
	fs.StringVar(&cfg.blobURL, "blob-url", "", "where document files go: file://DIR (default file://<data>/blobs), s3://, gs://, azblob://, mem://")
	fs.StringVar(&cfg.widgetURL, "widget-url", "", "base URL of the funnel pages in funnel URIs (default <public-url>/widget/); a proxy in front must keep the /widget/ path")
	fs.StringVar(&cfg.widgetAddr, "widget-addr", "", "also serve the funnel at the root of this address (its own host name); funnel URIs then default to http://<widget-addr>/")
	fs.DurationVar(&cfg.funnelLifetime, "funnel-lifetime", time.Hour, "how long a funnel session lives")
	fs.DurationVar(&cfg.simplefinTTL, "simplefin-token-lifetime", 24*time.Hour, "how long a SimpleFIN setup token may be claimed")
	fs.BoolVar(&cfg.simplefinPrivate, "simplefin-allow-private", false, "let SimpleFIN Bridge connections reach loopback, private and link-local addresses (tests, local development)")
	fs.StringVar(&cfg.trustedProxies, "trusted-proxies", "", "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For is believed (rate limits per client, logs)")
	fs.StringVar(&cfg.metricsAddr, "metrics-addr", "", "serve /metrics on this address instead of the API's")
	fs.BoolVar(&cfg.allowPrivateHook, "allow-private-webhooks", false, "let webhooks reach loopback, private and link-local addresses (tests, local development)")
	fs.IntVar(&cfg.webhookAttempts, "webhook-attempts", 12, "attempts of a webhook delivery before it is marked failed")
	fs.DurationVar(&cfg.webhookRetryBase, "webhook-retry-base", 30*time.Second, "first delay between webhook attempts; doubles each time, up to 24h")
	fs.DurationVar(&cfg.eventRetention, "event-retention", 0, "how long events are kept (0: forever), e.g. 2160h for 90 days")
	fs.StringVar(&cfg.role, "role", "all", "api (serve requests, queue jobs), worker (run jobs), or all")
	fs.DurationVar(&cfg.syncInterval, "sync-interval", 24*time.Hour, "how often connections with automatic synchronization are synced (each connection at its own slot of the interval)")
	fs.DurationVar(&cfg.stepTimeout, "step-timeout", 5*time.Minute, "how long a sync waits for the answer to an additional step (then errno 5)")
	fs.IntVar(&cfg.syncRetries, "sync-retries", 3, "retries of a sync failing with errno 1 or 4, with exponential back-off")
	fs.DurationVar(&cfg.syncRetryBase, "sync-retry-base", 30*time.Second, "first retry delay of a failed sync; doubles at each retry")
	fs.IntVar(&cfg.syncWorkers, "sync-workers", 20, "syncs run at once by this process")
	fs.DurationVar(&cfg.jobTimeout, "job-timeout", 30*time.Minute, "longest a sync may run, step wait included")
	fs.DurationVar(&cfg.rescueAfter, "job-rescue-after", 0, "how long a running job may go unfinished before it is deemed lost and retried (default job-timeout + 1m; must exceed job-timeout)")
	fs.DurationVar(&cfg.scanInterval, "sync-scan-interval", time.Minute, "how often due background syncs are queued and lost ones re-queued")
	fs.StringVar(&cfg.workerName, "worker-name", "", "this process's name across restarts, unique among the processes running jobs (default <host name>:<absolute data directory>)")
	fs.DurationVar(&cfg.workerLease, "worker-lease", 30*time.Second, "how long the jobs of a process that stopped renewing its lease wait before other processes retry them")
	fs.DurationVar(&cfg.sandboxStepDelay, "sandbox-step-delay", 0, "pause between the sandbox banks' progress steps (default 300ms with --demo)")
	fs.DurationVar(&cfg.redirectTimeout, "redirect-timeout", 15*time.Minute, "how long a sync waits for the person to come back from a bank's authorization page (then errno 5)")
	fs.DurationVar(&cfg.decoupledTimeout, "decoupled-timeout", 5*time.Minute, "how long a sync waits for an approval in the bank's app (then errno 5)")
	fs.DurationVar(&cfg.consentWarning, "consent-warning", 7*24*time.Hour, "how long before a consent lapses the connection.consent_expiring event fires")
	cfg.enableBanking.register(fs)
	cfg.woob.register(fs)
	cfg.memory.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if cfg.role != "api" && cfg.role != "worker" && cfg.role != "all" {
		return fmt.Errorf("--role: want api, worker or all, got %q", cfg.role)
	}
	if cfg.demo && !flagSet(fs, "sandbox-step-delay") {
		cfg.sandboxStepDelay = 300 * time.Millisecond
	}
	proxies, err := parsePrefixes(cfg.trustedProxies)
	if err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	logger, err := newLogger(stderr, cfg.logFormat, cfg.logLevel)
	if err != nil {
		return err
	}
	if err := cfg.memory.apply(logger); err != nil {
		return err
	}

	db, err := openStore(ctx, cfg.store)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SyncInterval, db.StepTimeout = cfg.syncInterval, cfg.stepTimeout
	if cfg.blobURL == "" {
		dir, err := filepath.Abs(filepath.Join(cfg.store.data, "blobs"))
		if err != nil {
			return err
		}
		cfg.blobURL = "file://" + dir
	}
	files, err := blobstore.Open(ctx, cfg.blobURL)
	if err != nil {
		return err
	}
	defer files.Close()
	db.Files = files
	registry, err := newRegistry(cfg.sandboxStepDelay, cfg.simplefinPrivate, db)
	if err != nil {
		return err
	}
	registry.Logger = logger
	db.RedirectTimeout, db.DecoupledTimeout, db.UnattendedLimit = cfg.redirectTimeout, cfg.decoupledTimeout, registry.UnattendedDailyLimit
	if cfg.workerName == "" {
		host, _ := os.Hostname()
		dir, err := filepath.Abs(cfg.store.data)
		if err != nil {
			return err
		}
		cfg.workerName = host + ":" + dir
	}
	m := metrics.New()
	m.RegisterDB("write", db.WriteDB())
	engine, err := job.New(db, registry, job.Config{
		Work: cfg.role != "api", Workers: cfg.syncWorkers, SyncRetries: cfg.syncRetries, RetryBase: cfg.syncRetryBase,
		JobTimeout: cfg.jobTimeout, RescueAfter: cfg.rescueAfter, ScanInterval: cfg.scanInterval, WorkerName: cfg.workerName, LeaseLapse: cfg.workerLease, WebhookAttempts: cfg.webhookAttempts, WebhookRetryBase: cfg.webhookRetryBase,
		AllowPrivateWebhooks: cfg.allowPrivateHook, EventRetention: cfg.eventRetention, Metrics: m, Logger: logger,
		ConsentWarning: cfg.consentWarning,
	})
	if err != nil {
		return err
	}
	tokens := auth.NewTokenService(db, auth.TokenOptions{Logger: logger})
	if err := tokens.EnsureKey(ctx); err != nil {
		return fmt.Errorf("signing key: %w", err)
	}
	mailer, err := mail.Open(cfg.smtpURL, cfg.mailFrom, filepath.Join(cfg.store.data, "outbox"), logger)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	publicURL := strings.TrimSuffix(cfg.publicURL, "/")
	if publicURL == "" {
		publicURL = "http://" + ln.Addr().String()
	}
	db.CallbackURL = publicURL + "/callback"
	if err := addCatalogs(ctx, registry, db, cfg, logger); err != nil {
		return err
	}
	if err := addWoobCatalog(ctx, registry, db, cfg, logger); err != nil {
		return err
	}
	go registry.Run(ctx)
	if cfg.demo {
		if err := setUpDemo(ctx, db, stdout, publicURL); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}

	statements := &statement.Service{Connections: db, Bank: db, Store: db}
	srv := &api.Server{
		Apps: db, Users: db, Limiter: db, Tokens: tokens, Mailer: mailer, Statements: statements,
		Providers: registry, Connections: db, Bank: db, Events: db, Funnel: db, Documents: db, Callbacks: db,
		SimpleFIN: db, SimpleFINTokenLifetime: cfg.simplefinTTL,
		ReadyChecks: map[string]func(context.Context) error{"database": db.Ready, "jobs": engine.Ready},
		Metrics:     m, Logger: logger, PublicURL: publicURL, HealthOnly: cfg.role == "worker",
		WidgetURL: cfg.widgetURL, FunnelLifetime: cfg.funnelLifetime, TrustedProxies: proxies,
	}
	newFunnel := func(basePath string) *widget.Handler {
		return &widget.Handler{Statements: statements, Usage: db, Sessions: db, Apps: db, Users: db, Providers: registry, Connections: db, Bank: db, Documents: db,
			Profile: &profile.Service{Users: db, Mailer: mailer, Limiter: db}, Logger: logger, BasePath: basePath,
			SimpleFIN: db, SimpleFINPublicURL: publicURL, SimpleFINTokenLifetime: cfg.simplefinTTL}
	}
	funnel := newFunnel("/widget/")
	srv.Widget = funnel
	m.RegisterJobs(engine.CountJobs, logger)
	if cfg.metricsAddr == "" {
		srv.MetricsHandler = m.Handler()
	} else {
		mln, err := net.Listen("tcp", cfg.metricsAddr)
		if err != nil {
			return fmt.Errorf("--metrics-addr: %w", err)
		}
		metricsServer := &http.Server{Handler: m.Handler(), ReadHeaderTimeout: 10 * time.Second}
		go metricsServer.Serve(mln)
		defer metricsServer.Close()
		logger.Info("metrics listening", "addr", mln.Addr().String())
	}
	if err := engine.Start(ctx); err != nil {
		return fmt.Errorf("job engine: %w", err)
	}
	// Last: Wrap freezes the API's routes.
	if cfg.widgetAddr != "" && cfg.role != "worker" {
		wln, err := net.Listen("tcp", cfg.widgetAddr)
		if err != nil {
			return fmt.Errorf("--widget-addr: %w", err)
		}
		if srv.WidgetURL == "" {
			srv.WidgetURL = "http://" + wln.Addr().String() + "/"
		}
		rootFunnel := newFunnel("/")
		rootFunnel.PublicURL = srv.WidgetURL
		widgetServer := &http.Server{Handler: srv.Wrap(rootFunnel), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second,
			MaxHeaderBytes: api.MaxHeaderBytes}
		widgetServer.RegisterOnShutdown(rootFunnel.Shutdown)
		go widgetServer.Serve(api.Listener(wln))
		defer func() {
			ctx, cancel := context.WithTimeout(context.Background(), cfg.shutdownMax)
			defer cancel()
			widgetServer.Shutdown(ctx)
		}()
		logger.Info("funnel listening", "addr", wln.Addr().String(), "widget_url", srv.WidgetURL)
	}
	funnel.PublicURL = srv.WidgetURL
	if funnel.PublicURL == "" {
		funnel.PublicURL = publicURL + "/widget/"
	}
	httpServer := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    api.MaxHeaderBytes,
		ErrorLog:          nil,
	}
	httpServer.RegisterOnShutdown(funnel.Shutdown) // progress streams end at once
	errc := make(chan error, 1)
	go func() { errc <- httpServer.Serve(api.Listener(ln)) }()
	logger.Info("listening", "addr", ln.Addr().String(), "public_url", publicURL, "database", string(db.Dialect()), "role", cfg.role)

	select {
	case err := <-errc:
		return err
	case err := <-engine.Lost():
		// Others may run this process's jobs now: exit without finishing them.
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.shutdownMax)
	defer cancel()
	shutdownErr := httpServer.Shutdown(shutdownCtx)
	// Stopped even when requests outlived the timeout: running syncs are
	// released for retry (with the timeout spent, at once).
	if err := engine.Stop(shutdownCtx); err != nil {
		logger.Error("job engine stop", "error", err)
	}
	if shutdownErr != nil {
		return fmt.Errorf("shutdown: %w", shutdownErr)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}

// flagSet reports whether the flag was given on the command line or in the environment.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// parsePrefixes parses "10.0.0.0/8, 192.0.2.7": CIDRs or single addresses.
func parsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' }) {
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, err
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, err
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}
