// SPDX-License-Identifier: Apache-2.0

package woob

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/iswigo/iswigo"
)

// Catalog publishes every installed woob module with the bank or document
// capability as a provider (iswigo.ProviderCatalog, family "woob", key the
// module name). Safe for concurrent use.
type Catalog struct {
	r *runner
}

var _ iswigo.ProviderCatalog = (*Catalog)(nil)

// New returns the woob catalogue. It runs nothing yet: List starts a
// bridge. Python and DataDir are required.
func New(opts Options) (*Catalog, error) {
	if opts.Python == "" || opts.DataDir == "" {
		return nil, errors.New("woob: the interpreter and the data directory are required")
	}
	return &Catalog{r: &runner{opts: opts.withDefaults()}}, nil
}

// Family implements iswigo.ProviderCatalog.
func (c *Catalog) Family() string { return Family }

// RefreshInterval implements iswigo.ProviderCatalog.
func (c *Catalog) RefreshInterval() time.Duration { return c.r.opts.RefreshInterval }

// List implements iswigo.ProviderCatalog: one bridge lists the installed
// modules (those of Options.Modules only, when set). A module that does
// not load, or whose form cannot be expressed, is left out (and logged).
// No module installed (woob update never run) is an empty list, not an
// error.
func (c *Catalog) List(ctx context.Context) ([]iswigo.CatalogEntry, error) {
	modules, err := c.modules(ctx)
	if err != nil {
		return nil, err
	}
	entries := make([]iswigo.CatalogEntry, 0, len(modules))
	for _, m := range modules {
		p, steps, err := providerOf(m)
		if err != nil {
			c.r.opts.Logger.Warn("woob module left out", "module", m.Name, "reason", err.Error())
			continue
		}
		entries = append(entries, iswigo.CatalogEntry{Key: m.Name, Provider: p, Connector: c.connector(m, p, steps)})
	}
	return entries, nil
}

// modules runs the bridge's list command.
func (c *Catalog) modules(ctx context.Context) ([]message, error) {
	b, err := c.r.start(ctx, c.r.toolMemoryLimit())
	if err != nil {
		return nil, fmt.Errorf("woob: list modules: %w", err)
	}
	defer b.close()
	if err := b.send(listCommand{Type: "list", Data: c.r.opts.DataDir, Modules: c.r.opts.Modules}); err != nil {
		return nil, err
	}
	var modules []message
	for {
		m, err := b.recv(ctx)
		if err != nil {
			return nil, fmt.Errorf("woob: list modules: %w", err)
		}
		switch m.Type {
		case "module":
			modules = append(modules, m)
		case "skipped":
			c.r.opts.Logger.Warn("woob module does not load", "module", m.Name, "reason", m.Reason)
		case "done":
			return modules, nil
		case "error":
			return nil, fmt.Errorf("woob: list modules: %s: %s", m.Kind, m.Message)
		default:
			return nil, fmt.Errorf("woob: list modules: %w: unexpected %q", errBridge, m.Type)
		}
	}
}

// Connector returns the connector of one module, its provider as List
// publishes it (ID 0). For tests and tools that skip the registry.
func (c *Catalog) Connector(ctx context.Context, module string) (iswigo.Connector, error) {
	modules, err := c.modules(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range modules {
		if m.Name == module {
			p, steps, err := providerOf(m)
			if err != nil {
				return nil, err
			}
			return c.connector(m, p, steps), nil
		}
	}
	return nil, fmt.Errorf("woob: module %q is not installed", module)
}

func (c *Catalog) connector(m message, p iswigo.Provider, steps []string) *moduleConnector {
	return &moduleConnector{r: c.r, module: m.Name, provider: p, backgroundStep: backgroundStep(m, steps)}
}

// backgroundStep returns the step a module's NeedInteractiveFor2FA stands
// for in a background sync, "" when that is not certain. woob raises it
// before the challenge, without saying which: only a module whose one
// interaction is its one form step (no second step set, no redirect
// through auth_uri, no app validation through resume) names it. Any other
// gets errno 10 with no step, rather than a step it may not ask.
func backgroundStep(m message, steps []string) string {
	if len(steps) != 1 {
		return ""
	}
	for _, v := range m.Config {
		if v.ID == "auth_uri" || v.ID == "resume" {
			return ""
		}
	}
	return steps[0]
}
