// SPDX-License-Identifier: Apache-2.0

package woob

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	if mode, ok := fakeBridgeMode(); ok {
		os.Exit(fakeBridge(mode))
	}
	os.Exit(m.Run())
}
