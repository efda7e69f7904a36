// SPDX-License-Identifier: Apache-2.0

//go:build !unix

package parse

import "time"

// processCPUTime is unknown here: benchmarks report no CPU-time rate.
func processCPUTime() time.Duration { return 0 }
