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
// added here, explicitly (docs/connectors.md). statements is where the
// statement import connector finds uploaded files; simplefinAllowPrivate
// lets SimpleFIN setup tokens reach loopback and private addresses (tests,
// local development).
func newRegistry(sandboxStepDelay time.Duration, statements iswigo.StatementFileSource, simplefinAllowPrivate bool) (*connector.Registry, error) {
	conns := sandbox.New(sandbox.Options{StepDelay: sandboxStepDelay})
	conns = append(conns, statement.New(statements), simplefin.New(simplefin.Options{AllowPrivate: simplefinAllowPrivate}))
	return connector.NewRegistry(conns...)
}
