// SPDX-License-Identifier: Apache-2.0

//go:build unix

package parse

import "syscall"

// processCPUSeconds is the user and system CPU time of the process so far.
func processCPUSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}
