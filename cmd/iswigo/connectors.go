package main

import (
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector"
	"github.com/iswigo/iswigo/connector/sandbox"
	"github.com/iswigo/iswigo/connector/statement"
)

// newRegistry returns the connectors this binary runs. A new connector is
// added here, explicitly (docs/connectors.md). statements is where the
// statement import connector finds uploaded files.
func newRegistry(sandboxStepDelay time.Duration, statements iswigo.StatementFileSource) (*connector.Registry, error) {
	conns := sandbox.New(sandbox.Options{StepDelay: sandboxStepDelay})
	conns = append(conns, statement.New(statements))
	return connector.NewRegistry(conns...)
}
