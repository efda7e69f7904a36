// SPDX-License-Identifier: Apache-2.0

// Command iswigo is the iswigo server and its operator's tools, in one binary.
//
//	iswigo serve [--demo]          the HTTP API
//	iswigo app create|list|show|rotate-secret|set
//	iswigo webhook add|list|remove|deliveries|replay
//	iswigo keys rotate|rotate-data-key|rewrap
//	iswigo csv-profile add|list|remove
//	iswigo migrate
//	iswigo backup --to DIR | restore --from DIR
//	iswigo woob update
//	iswigo version
//
// Every flag can also come from the environment as ISWIGO_<FLAG>, dashes
// becoming underscores (--database-url → ISWIGO_DATABASE_URL); a flag on the
// command line wins.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "iswigo:", err)
		os.Exit(1)
	}
}

const usage = `usage: iswigo <command> [flags]

commands:
  serve              serve the API (--demo: also create a demo application)
  app create         create an application (--name, --psd2, --terms)
  app list           list applications
  app show           show an application (--name)
  app rotate-secret  give an application a new secret (--name)
  app set            change an application (--name, --psd2, --terms, --webhook-url, --origins)
  webhook add        send an application's events to a URL (--app, --url, --events)
  webhook list       list webhook endpoints ([--app])
  webhook remove     remove an endpoint (--id)
  webhook deliveries show recent deliveries and their attempts (--app, [--failed])
  webhook replay     deliver events again (--event ID or --since TIME)
  csv-profile add    save a named CSV mapping for statement uploads (--app, --name, --date-col…)
  csv-profile list   list an application's CSV mappings (--app)
  csv-profile remove remove one (--app, --name)
  keys rotate        add a new token signing key
  keys rotate-data-key  add a new data-encryption key
  keys rewrap        re-wrap the data keys under a new master key (--new-master-key)
  migrate            apply database migrations
  backup             back up a SQLite data directory while the server runs (--to DIR)
  restore            restore a backup into an empty data directory (--from DIR)
  woob update        install or update woob's bank and document modules (--woob-python)
  version            print the version

Run "iswigo <command> -h" for the flags of a command.
`

// run executes one command. It is main without the process: tests call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return runServe(ctx, rest, stdout, stderr)
	case "app":
		return runApp(ctx, rest, stdout, stderr)
	case "webhook":
		return runWebhook(ctx, rest, stdout, stderr)
	case "keys":
		return runKeys(ctx, rest, stdout, stderr)
	case "csv-profile":
		return runCSVProfile(ctx, rest, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, rest, stdout, stderr)
	case "backup":
		return runBackup(ctx, rest, stdout, stderr)
	case "restore":
		return runRestore(ctx, rest, stdout, stderr)
	case "woob":
		return runWoob(ctx, rest, stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "iswigo", version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}
