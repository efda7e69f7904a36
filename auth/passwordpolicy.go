// SPDX-License-Identifier: Apache-2.0

package auth

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/iswigo/iswigo"
)

// Password length limits, in characters (Unicode code points).
const (
	MinPasswordLength = 8
	MaxPasswordLength = 128
)

//go:embed common-passwords.txt
var commonPasswordsText string

// commonPasswords is the set of lines of common-passwords.txt, lower case.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 2048)
	for line := range strings.Lines(commonPasswordsText) {
		line = strings.TrimRight(line, "\r\n")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		set[strings.ToLower(line)] = struct{}{}
	}
	return set
})

// CheckPasswordPolicy returns nil if password may be chosen by a user: 8 to
// 128 characters long (counted as Unicode code points, not bytes) and not
// one of the embedded list of common passwords, compared without regard to
// case. Otherwise it returns an iswigo.EINVALID error whose message names
// the field, such as "Invalid password: it is too common".
func CheckPasswordPolicy(password string) error {
	if n := utf8.RuneCountInString(password); n < MinPasswordLength || n > MaxPasswordLength {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid password: it must be %d to %d characters long", MinPasswordLength, MaxPasswordLength)
	}
	if _, ok := commonPasswords()[strings.ToLower(password)]; ok {
		return iswigo.Errorf(iswigo.EINVALID, "Invalid password: it is too common")
	}
	return nil
}
