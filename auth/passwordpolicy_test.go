// SPDX-License-Identifier: Apache-2.0

package auth

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/iswigo/iswigo"
)

func TestCheckPasswordPolicyLength(t *testing.T) {
	const lengthMsg = "Invalid password: it must be 8 to 128 characters long"
	for _, tc := range []struct {
		pw string
		ok bool
	}{
		{"", false},
		{"Xk9#mQ2", false},                        // 7
		{"Xk9#mQ2v", true},                        // 8
		{"ééééééé", false},                        // 7 runes, 14 bytes
		{"éàüöçñøå", true},                        // 8 runes
		{"日本語のパスワ", false},                        // 7 runes, 21 bytes
		{"日本語のパスワード", true},                       // 9 runes
		{strings.Repeat("Xk9#", 32), true},        // 128
		{strings.Repeat("Xk9#", 32) + "a", false}, // 129
		{strings.Repeat("é", 128), true},          // 128 runes, 256 bytes
		{strings.Repeat("é", 129), false},         // 129 runes
		{strings.Repeat("😀", 128), true},          // 4-byte runes
		{"        ", true},                        // spaces are characters; not in the list
	} {
		err := CheckPasswordPolicy(tc.pw)
		if tc.ok {
			if err != nil {
				t.Errorf("%q (%d runes): %v", tc.pw, utf8.RuneCountInString(tc.pw), err)
			}
			continue
		}
		if iswigo.ErrorCode(err) != iswigo.EINVALID || iswigo.ErrorMessage(err) != lengthMsg {
			t.Errorf("%q (%d runes): got %v, want EINVALID %q", tc.pw, utf8.RuneCountInString(tc.pw), err, lengthMsg)
		}
	}
}

func TestCheckPasswordPolicyCommon(t *testing.T) {
	const commonMsg = "Invalid password: it is too common"
	for _, pw := range []string{"password", "PASSWORD", "Password1", "12345678", "qwertyui", "iloveyou1", "password1", "ILoveYou1", "1qaz2wsx", "P@ssw0rd", "trustno1", "sunshine", "Summer2024", "Welcome1!", "CONTRASEÑA"} {
		err := CheckPasswordPolicy(pw)
		if iswigo.ErrorCode(err) != iswigo.EINVALID || iswigo.ErrorMessage(err) != commonMsg {
			t.Errorf("%q: got %v, want EINVALID %q", pw, err, commonMsg)
		}
	}
	for _, pw := range []string{"Str0ng!Passw0rd", "correct horse battery staple", "tr0ub4dor&3x", "iswigo-is-fine-42"} {
		if err := CheckPasswordPolicy(pw); err != nil {
			t.Errorf("%q: %v", pw, err)
		}
	}
}

func TestCommonPasswordsList(t *testing.T) {
	set := commonPasswords()
	if len(set) < 1000 {
		t.Fatalf("%d common passwords, want at least 1000", len(set))
	}
	for pw := range set {
		if n := utf8.RuneCountInString(pw); n < MinPasswordLength || n > MaxPasswordLength {
			t.Errorf("%q has %d characters: the length rule already refuses it", pw, n)
		}
		if pw != strings.ToLower(pw) || strings.TrimSpace(pw) != pw {
			t.Errorf("%q is not lower case and trimmed", pw)
		}
	}
	if _, ok := set[""]; ok {
		t.Error("empty entry")
	}
	for _, c := range []string{"# common", "#!comment"} {
		for pw := range set {
			if strings.HasPrefix(pw, c) {
				t.Errorf("comment line %q loaded", pw)
			}
		}
	}
}
