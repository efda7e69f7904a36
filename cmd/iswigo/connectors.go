// SPDX-License-Identifier: Apache-2.0

package main

import (
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector"
	"github.com/iswigo/iswigo/connector/sandbox"
	"github.com/iswigo/iswigo/connector/simplefin"
	"github.com/iswigo/iswigo/connector/statement"
)

// newRegistry returns the connectors this binary runs. A new connector is
// added here, explicitly (docs/connectors.md). simplefinAllowPrivate lets
// SimpleFIN setup tokens reach loopback and private addresses (tests, local
// development); statements is where the statement import connector finds
// uploaded files.
func newRegistry(sandboxStepDelay time.Duration, simplefinAllowPrivate bool, statements iswigo.StatementFileSource) (*connector.Registry, error) {
	conns := sandbox.New(sandbox.Options{StepDelay: sandboxStepDelay})
	conns = append(conns, simplefin.New(simplefin.Options{AllowPrivate: simplefinAllowPrivate}), statement.New(statements))
	return connector.NewRegistry(conns...)
}
