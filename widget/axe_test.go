// SPDX-License-Identifier: Apache-2.0

package widget_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// axePath is axe-core as `npm ci` in widget/testdata/npm installs it
// (.ci/run does).
const axePath = "testdata/npm/node_modules/axe-core/axe.min.js"

var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile(axePath)
	return string(b), err
})

// axeCheck runs axe-core on the page of ctx (the WCAG 2 A and AA rules
// and best practices) and fails t with every violation. Without axe-core
// it does nothing, unless the variable CI is set: then it fails.
func axeCheck(t *testing.T, ctx context.Context, screen string) {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set and axe-core is missing (cd widget/testdata/npm && npm ci): %v", err)
		}
		return
	}
	wctx, cancel := context.WithTimeout(ctx, 2*waitTimeout)
	defer cancel()
	if _, err := chromedp.Run(wctx, chromedp.Evaluate[bool](`window.axe ? true : (function(){`+src+`; return true})()`)); err != nil {
		t.Fatalf("%s: load axe-core: %v", screen, err)
	}
	out, err := chromedp.Run(wctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
		resultTypes: ['violations']}).then(function (r) {
		return JSON.stringify(r.violations.map(function (v) {
			return {id: v.id, help: v.help, nodes: v.nodes.map(function (n) { return n.target.join(' ') + ': ' + n.failureSummary; })};
		}));
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: run axe-core: %v", screen, err)
	}
	var violations []struct {
		ID, Help string
		Nodes    []string
	}
	if err := json.Unmarshal([]byte(out), &violations); err != nil {
		t.Fatal(err)
	}
	for _, v := range violations {
		t.Errorf("%s: axe %s (%s):\n  %s", screen, v.ID, v.Help, strings.Join(v.Nodes, "\n  "))
	}
}
