package main

import (
	"time"

	"github.com/iswigo/iswigo/connector"
	"github.com/iswigo/iswigo/connector/sandbox"
	"github.com/iswigo/iswigo/connector/simplefin"
)

// newRegistry returns the connectors this binary runs. A new connector is
// added here, explicitly (docs/connectors.md).
// simplefinAllowPrivate lets SimpleFIN setup tokens reach loopback and
// private addresses (tests, local development).
func newRegistry(sandboxStepDelay time.Duration, simplefinAllowPrivate bool) (*connector.Registry, error) {
	connectors := sandbox.New(sandbox.Options{StepDelay: sandboxStepDelay})
	connectors = append(connectors, simplefin.New(simplefin.Options{AllowPrivate: simplefinAllowPrivate}))
	return connector.NewRegistry(connectors...)
}
