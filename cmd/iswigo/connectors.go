package main

import (
	"time"

	"github.com/iswigo/iswigo/connector"
	"github.com/iswigo/iswigo/connector/sandbox"
)

// newRegistry returns the connectors this binary runs. A new connector is
// added here, explicitly (docs/connectors.md).
func newRegistry(sandboxStepDelay time.Duration) (*connector.Registry, error) {
	return connector.NewRegistry(sandbox.New(sandbox.Options{StepDelay: sandboxStepDelay})...)
}
