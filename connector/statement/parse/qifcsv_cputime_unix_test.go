// SPDX-License-Identifier: Apache-2.0

//go:build unix

package parse

import (
	"syscall"
	"time"
)

// processCPUTime is the CPU time the test process has used (all threads,
// user and system), so that a benchmark can report a rate that a busy,
// shared machine does not skew as much as wall time.
func processCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
