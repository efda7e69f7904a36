package main

import (
	"time"

	"github.com/iswigo/iswigo/connector"
	"github.com/iswigo/iswigo/connector/sandbox"
	"github.com/iswigo/iswigo/connector/simplefin"
)

// newRegistry returns the connectors this binary runs. A new connector is
// added here, explicitly (docs/connectors.md).
func newRegistry(sandboxStepDelay time.Duration) (*connector.Registry, error) {
	connectors := sandbox.New(sandbox.Options{StepDelay: sandboxStepDelay})
	connectors = append(connectors, simplefin.New(simplefin.Options{}))
	return connector.NewRegistry(connectors...)
}
