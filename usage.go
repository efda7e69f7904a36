// SPDX-License-Identifier: Apache-2.0

package iswigo

import "context"

// ProviderUsageService counts an application's connections by provider,
// so that the funnel lists the providers its users use most first.
type ProviderUsageService interface {
	// ProviderUsage returns the number of connections of app appID by
	// provider id (providers without any are absent).
	ProviderUsage(ctx context.Context, appID string) (map[int]int, error)
}
