// SPDX-License-Identifier: Apache-2.0

// Package php holds the PHP signature function of docs/clients.md
// (signature.php) and its test against the Go implementation.
package php
