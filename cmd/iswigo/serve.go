package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/iswigo/iswigo/api"
	"github.com/iswigo/iswigo/auth"
	"github.com/iswigo/iswigo/mail"
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
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	logger, err := newLogger(stderr, cfg.logFormat, cfg.logLevel)
	if err != nil {
		return err
	}

	db, err := openStore(ctx, cfg.store)
	if err != nil {
		return err
	}
	defer db.Close()
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
	if cfg.demo {
		if err := setUpDemo(ctx, db, stdout, publicURL); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}

	srv := &api.Server{
		Apps: db, Users: db, Limiter: db, Tokens: tokens, Mailer: mailer,
		Ready: db.Ready, Logger: logger, PublicURL: publicURL,
	}
	httpServer := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          nil,
	}
	errc := make(chan error, 1)
	go func() { errc <- httpServer.Serve(ln) }()
	logger.Info("listening", "addr", ln.Addr().String(), "public_url", publicURL, "database", string(db.Dialect()))

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.shutdownMax)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}
