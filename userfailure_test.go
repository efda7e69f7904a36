// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFailWithMessage(t *testing.T) {
	err := fmt.Errorf("sync: %w", FailWithMessage(ErrnoActionNeeded, "  Acceptez les\nnouvelles\tconditions  ",
		"https://bank.example/cgu?x=1", "action needed: %s", "token=abc"))
	if ErrnoOf(err) != ErrnoActionNeeded {
		t.Errorf("errno %d, want 3 through the wrapping", ErrnoOf(err))
	}
	var ce *ConnectorError
	if !errors.As(err, &ce) || ce.Message != "action needed: token=abc" {
		t.Errorf("the log text %+v: want the formatted one", ce)
	}
	msg, u := UserFailureOf(err)
	if msg != "Acceptez les nouvelles conditions" || u != "https://bank.example/cgu?x=1" {
		t.Errorf("UserFailureOf = %q, %q", msg, u)
	}
	if msg, u := UserFailureOf(Fail(ErrnoActionNeeded, "x")); msg != "" || u != "" {
		t.Errorf("a plain Fail has a message for the person: %q %q", msg, u)
	}
	if msg, u := UserFailureOf(nil); msg != "" || u != "" {
		t.Errorf("nil: %q %q", msg, u)
	}
	long := FailWithMessage(ErrnoActionNeeded, strings.Repeat("é", 2*MaxUserMessage), "", "x")
	if n := utf8.RuneCountInString(long.Message); n != MaxUserMessage {
		t.Errorf("a long message kept %d runes, want %d", n, MaxUserMessage)
	}
	// Built by hand, uncleaned: UserFailureOf still cleans.
	if msg, u := UserFailureOf(&UserFailure{Err: Fail(3, "x"), Message: "a\x00b", ActionURL: "javascript:alert(1)"}); msg != "a b" || u != "" {
		t.Errorf("an uncleaned UserFailure read as %q, %q", msg, u)
	}
	if ErrnoOf(&UserFailure{Message: "no errno"}) != ErrnoBug {
		t.Error("a UserFailure without Err: want errno 1")
	}
}

func TestCleanActionURL(t *testing.T) {
	for u, want := range map[string]bool{
		"https://bank.example/cgu":          true,
		"https://bank.example:8443/a?b=c#d": true,
		"http://127.0.0.1:8080/x":           true,
		"http://localhost/x":                true,
		"http://[::1]:9/x":                  true,
		"http://bank.example/cgu":           false,
		"javascript:alert(1)":               false,
		"data:text/html,x":                  false,
		"//bank.example/x":                  false,
		"/relative":                         false,
		"https://user:pw@bank.example/":     false,
		"https://bank.example/a b":          false,
		"https://bank.example/a\nb":         false,
		"https:///nohost":                   false,
		"":                                  false,
		"https://bank.example/" + strings.Repeat("a", 2048): false,
	} {
		if got := CleanActionURL(u) == u && u != ""; got != want {
			t.Errorf("CleanActionURL(%q) kept: %v, want %v", u, got, want)
		}
	}
}
