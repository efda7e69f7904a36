// SPDX-License-Identifier: Apache-2.0

package job_test

import (
	"testing"

	"github.com/iswigo/iswigo/auth"
	"github.com/iswigo/iswigo/job"
)

// TestWebhookWorkedExample pins the worked example of docs/webhooks.md.
func TestWebhookWorkedExample(t *testing.T) {
	body := []byte(`{"event_id":"0199f1c2-6a1b-7c3d-9e4f-5a6b7c8d9e0f","create_time":"2026-11-26T16:46:27+00:00","type":"connection.status","data":{"connection_id":"2f26fc34-a432-47cb-9d67-e5cb0b8b86f9","user_id":"26f12881-9960-49b0-8d0c-2bb1530e703c","status":"finished","step":null,"progression":null}}`)
	if got := auth.Signature("my-s3cr3t-key", "POST", "/hooks/iswigo?source=prod", body); got != "$5$c2bdb63780e62187d2f5d035b828c99ce2aa61ea21663fc1a6183f056cdd8541" {
		t.Errorf("X-Iswigo-Signature = %s", got)
	}
	if got := job.WebhookHMAC("my-s3cr3t-key", "1795711587", body); got != "dfdf7efc2b221ad54c89051f6aa18aee29632863c0cade8182092b838fdc016f" {
		t.Errorf("X-Iswigo-Signature-256 = %s", got)
	}
}
