// SPDX-License-Identifier: Apache-2.0

package api

import "testing"

func TestContentDisposition(t *testing.T) {
	for _, tc := range []struct{ name, ext, want string }{
		{"Facture du 2020-05-04", "pdf", `attachment; filename="Facture du 2020-05-04.pdf"`},
		{"statement.PDF", "pdf", `attachment; filename="statement.PDF"`},
		{"Relevé de compte", "pdf", `attachment; filename="Relev_ de compte.pdf"; filename*=UTF-8''Relev%C3%A9%20de%20compte.pdf`},
		{`a/b "c"`, "pdf", `attachment; filename="a_b _c_.pdf"; filename*=UTF-8''a%2Fb%20%22c%22.pdf`},
		{"evil\r\nSet-Cookie: x", "pdf", `attachment; filename="evil__Set-Cookie: x.pdf"; filename*=UTF-8''evil%0D%0ASet-Cookie%3A%20x.pdf`},
	} {
		if got := contentDisposition(tc.name, tc.ext); got != tc.want {
			t.Errorf("contentDisposition(%q) = %s\nwant %s", tc.name, got, tc.want)
		}
	}
}
