// SPDX-License-Identifier: Apache-2.0

//go:build !unix

package job

// processAlive reports whether a process with this pid may exist: without
// a way to tell here, yes (the lease is then watched for renewals).
func processAlive(pid int) bool { return pid > 0 }
