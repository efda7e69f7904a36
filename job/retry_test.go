// SPDX-License-Identifier: Apache-2.0

package job

import (
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
)

func TestRetryPolicyBacksOff(t *testing.T) {
	p := retryPolicy{base: 30 * time.Second, cap: 6 * time.Hour}
	prev := time.Duration(0)
	for attempt := 1; attempt <= 6; attempt++ {
		want := 30 * time.Second << (attempt - 1)
		d := time.Until(p.NextRetry(&rivertype.JobRow{Attempt: attempt}))
		if d < want*3/4-time.Second || d > want*5/4+time.Second {
			t.Fatalf("attempt %d: %v, want %v ±25%%", attempt, d, want)
		}
		if d <= prev/2 {
			t.Fatalf("attempt %d: %v does not grow after %v", attempt, d, prev)
		}
		prev = d
	}
	if d := time.Until(p.NextRetry(&rivertype.JobRow{Attempt: 40})); d > 6*time.Hour*5/4+time.Second {
		t.Fatalf("uncapped: %v", d)
	}
}
