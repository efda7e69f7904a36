// SPDX-License-Identifier: Apache-2.0

// Package auth authenticates the callers of the Iswigo API: request
// signatures of applications, argon2id password hashes and the password
// policy of users, and the RS256 access tokens handed to users.
//
// It depends on the root package iswigo for its errors and store
// interfaces, and on nothing else of the project.
package auth
