// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/iswigo/iswigo"
)

// TestRequestLogLine pins the request log line, the operators' contract:
// its keys, their order and the form of each value, for a signed route
// with a token, a signed route refused, and an unknown route.
func TestRequestLogLine(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		_, u := e.user(t, e.psd2, "log@example.com")
		if _, err := u.Accounts(ctx, iswigo.DefaultRange); err != nil {
			t.Fatal(err)
		}
		status, _, _ := e.raw(t, "GET", "/v1/bank/accounts", map[string]string{"X-Iswigo-App": "psd2-app", "X-Iswigo-Signature": "$5$bad"}, nil)
		if status != 401 {
			t.Fatalf("bad signature: status %d", status)
		}
		e.raw(t, "GET", "/nowhere?x=1", nil, nil)
		const time = `"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"`
		const head = `^\{` + time + `,"level":"INFO","msg":"request","request_id":"[0-9a-f]{24}",`
		const tail = `"bytes":\d+,"duration_ms":\d+(\.\d+)?,"remote":"127\.0\.0\.1",`
		for _, want := range []string{
			head + `"method":"GET","path":"/v1/bank/accounts","route":"GET /v1/bank/accounts","status":200,` + tail + `"app":"psd2-app"\}$`,
			head + `"method":"GET","path":"/v1/bank/accounts","route":"GET /v1/bank/accounts","status":401,` + tail + `"app":""\}$`,
			head + `"method":"GET","path":"/nowhere","route":"","status":404,` + tail + `"app":""\}$`,
		} {
			re := regexp.MustCompile(want)
			found := false
			for _, line := range strings.Split(e.logs.String(), "\n") {
				found = found || re.MatchString(line)
			}
			if !found {
				t.Errorf("no log line matches %s in\n%s", want, e.logs.String())
			}
		}
	})
}
