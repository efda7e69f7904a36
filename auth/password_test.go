// SPDX-License-Identifier: Apache-2.0

package auth

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"

	"github.com/iswigo/iswigo/internal/argon2id"
)

var phc = regexp.MustCompile(`^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]{22})\$([A-Za-z0-9+/]{43})$`)

func TestHashPasswordFormat(t *testing.T) {
	h, err := HashPassword("correct horse battery staple", TestPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	m := phc.FindStringSubmatch(h)
	if m == nil {
		t.Fatalf("not the expected PHC form: %s", h)
	}
	if m[1] != "64" || m[2] != "1" || m[3] != "1" {
		t.Fatalf("params m=%s t=%s p=%s, want 64, 1, 1", m[1], m[2], m[3])
	}
	// The hash is plain argon2id: recompute it from the salt.
	salt, _ := base64.RawStdEncoding.DecodeString(m[4])
	key := argon2.IDKey([]byte("correct horse battery staple"), salt, 1, 64, 1, 32)
	if got := base64.RawStdEncoding.EncodeToString(key); got != m[5] {
		t.Fatalf("hash %s, recomputed %s", m[5], got)
	}
	// A new salt each time.
	h2, _ := HashPassword("correct horse battery staple", TestPasswordParams)
	if h2 == h {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
}

func TestHashPasswordDefaultParams(t *testing.T) {
	h, err := HashPassword("Str0ng!Passw0rd", DefaultPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("unexpected prefix: %s", h)
	}
	ok, err := CheckPassword(h, "Str0ng!Passw0rd")
	if err != nil || !ok {
		t.Fatalf("CheckPassword = %v, %v", ok, err)
	}
}

func TestCheckPassword(t *testing.T) {
	h, err := HashPassword("Str0ng!Passw0rd", TestPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	for pw, want := range map[string]bool{
		"Str0ng!Passw0rd":  true,
		"str0ng!passw0rd":  false,
		"Str0ng!Passw0rd ": false,
		"":                 false,
	} {
		ok, err := CheckPassword(h, pw)
		if err != nil || ok != want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v, nil", pw, ok, err, want)
		}
	}
}

// A known vector: the hash must keep verifying whatever the defaults become.
func TestCheckPasswordReadsParamsFromHash(t *testing.T) {
	salt := []byte("0123456789abcdef")
	for _, p := range []PasswordParams{{Memory: 32, Time: 3, Threads: 2}, {Memory: 128, Time: 1, Threads: 4}, TestPasswordParams} {
		key := argon2.IDKey([]byte("pw"), salt, p.Time, p.Memory, p.Threads, 32)
		enc := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", p.Memory, p.Time, p.Threads,
			base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
		if ok, err := CheckPassword(enc, "pw"); err != nil || !ok {
			t.Errorf("%+v: CheckPassword = %v, %v", p, ok, err)
		}
	}
	// A 64-byte key is accepted too: the length is read from the hash.
	key := argon2.IDKey([]byte("pw"), salt, 1, 64, 1, 64)
	enc := "$argon2id$v=19$m=64,t=1,p=1$" + base64.RawStdEncoding.EncodeToString(salt) + "$" + base64.RawStdEncoding.EncodeToString(key)
	if ok, err := CheckPassword(enc, "pw"); err != nil || !ok {
		t.Errorf("64-byte key: CheckPassword = %v, %v", ok, err)
	}
}

func TestCheckPasswordMalformed(t *testing.T) {
	good, _ := HashPassword("pw", TestPasswordParams)
	parts := strings.Split(good, "$")
	salt, key := parts[4], parts[5]
	bad := map[string]string{
		"empty":             "",
		"garbage":           "not a hash",
		"bcrypt":            "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":           "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key,
		"argon2d":           "$argon2d$v=19$m=64,t=1,p=1$" + salt + "$" + key,
		"version 16":        "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key,
		"no version":        "$argon2id$m=64,t=1,p=1$" + salt + "$" + key,
		"params order":      "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key,
		"params missing":    "$argon2id$v=19$m=64,t=1$" + salt + "$" + key,
		"params extra":      "$argon2id$v=19$m=64,t=1,p=1,k=2$" + salt + "$" + key,
		"params sign":       "$argon2id$v=19$m=+64,t=1,p=1$" + salt + "$" + key,
		"params space":      "$argon2id$v=19$m= 64,t=1,p=1$" + salt + "$" + key,
		"params leading 0":  "$argon2id$v=19$m=064,t=1,p=1$" + salt + "$" + key,
		"params overflow":   "$argon2id$v=19$m=4294967296,t=1,p=1$" + salt + "$" + key,
		"threads 0":         "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key,
		"threads 256":       "$argon2id$v=19$m=4096,t=1,p=256$" + salt + "$" + key,
		"time 0":            "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key,
		"memory < 8*p":      "$argon2id$v=19$m=15,t=1,p=2$" + salt + "$" + key,
		"memory > 1 GiB":    "$argon2id$v=19$m=1048577,t=1,p=1$" + salt + "$" + key,
		"time > 20":         "$argon2id$v=19$m=64,t=21,p=1$" + salt + "$" + key,
		"huge memory":       "$argon2id$v=19$m=4294967295,t=1,p=1$" + salt + "$" + key,
		"padded salt":       "$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + key,
		"bad base64 salt":   "$argon2id$v=19$m=64,t=1,p=1$" + salt[:20] + "*!$" + key,
		"short salt":        "$argon2id$v=19$m=64,t=1,p=1$AAAA$" + key,
		"empty salt":        "$argon2id$v=19$m=64,t=1,p=1$$" + key,
		"short hash":        "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$AAAA",
		"empty hash":        "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$",
		"no hash":           "$argon2id$v=19$m=64,t=1,p=1$" + salt,
		"trailing part":     good + "$",
		"no leading dollar": strings.TrimPrefix(good, "$"),
		"url-safe alphabet": "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + strings.Repeat("_", 43),
		// 16 bytes leave 4 zero bits in the last character: "B" sets one.
		"non-canonical tail": "$argon2id$v=19$m=64,t=1,p=1$" + salt[:21] + "B$" + key,
	}
	for name, enc := range bad {
		ok, err := CheckPassword(enc, "pw")
		if err == nil || ok {
			t.Errorf("%s: CheckPassword(%q) = %v, %v; want an error", name, enc, ok, err)
		}
	}
	if ok, err := CheckPassword(good, "pw"); err != nil || !ok {
		t.Fatalf("good hash: %v, %v", ok, err)
	}
}

func TestHashPasswordRefusesBadParams(t *testing.T) {
	for _, p := range []PasswordParams{{}, {Memory: 64, Time: 0, Threads: 1}, {Memory: 64, Time: 1}, {Memory: 1<<20 + 1, Time: 1, Threads: 1}, {Memory: 64, Time: 21, Threads: 1}} {
		if _, err := HashPassword("pw", p); err == nil {
			t.Errorf("HashPassword accepted %+v", p)
		}
	}
	// The limits are inclusive.
	if err := (PasswordParams{Memory: 1 << 20, Time: 20, Threads: 1}).valid(); err != nil {
		t.Errorf("limits refused: %v", err)
	}
}

func TestDummyCheckPassword(t *testing.T) {
	// It must not panic, whatever the params.
	DummyCheckPassword("whatever", TestPasswordParams)
	// Bad params fall back to the defaults: 19 MiB, 2 passes.
	if n := hashWork(func() { DummyCheckPassword("", PasswordParams{}) }); n != 2*19*1024 {
		t.Fatalf("DummyCheckPassword with zero params computed %d blocks, want the defaults' %d", n, 2*19*1024)
	}
}

// DummyCheckPassword must do the work of CheckPassword with the same
// params: the blocks argon2id computes measure it without timing.
func TestDummyCheckPasswordCost(t *testing.T) {
	p := PasswordParams{Memory: 4096, Time: 2, Threads: 1}
	h, _ := HashPassword("pw", p)
	check := hashWork(func() { CheckPassword(h, "wrong") })
	dummy := hashWork(func() { DummyCheckPassword("wrong", p) })
	if want := uint64(p.Memory) * uint64(p.Time); check != want || dummy != want {
		t.Fatalf("CheckPassword computed %d blocks, DummyCheckPassword %d, want %d each", check, dummy, want)
	}
}

// A login's 19 MiB of argon2id memory is not taken from the Go heap: it
// is an arena kept between hashes (internal/argon2id), so logins do not
// make the heap, and the resident set, saw by that much.
func TestCheckPasswordOffHeap(t *testing.T) {
	h, err := HashPassword("pw", DefaultPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 3 {
		if ok, err := CheckPassword(h, "pw"); !ok || err != nil {
			t.Fatal(ok, err)
		}
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<10 {
		t.Fatalf("3 checks at the default parameters allocated %d bytes on the Go heap", n)
	}
}

// hashWork returns the argon2id blocks f computes. The tests of this
// package that hash do not run in parallel.
func hashWork(f func()) uint64 {
	before := argon2id.Work()
	f()
	return argon2id.Work() - before
}

func BenchmarkHashPassword(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := HashPassword("Str0ng!Passw0rd", DefaultPasswordParams); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckPassword(b *testing.B) {
	h, _ := HashPassword("Str0ng!Passw0rd", DefaultPasswordParams)
	b.ReportAllocs()
	for b.Loop() {
		if ok, _ := CheckPassword(h, "Str0ng!Passw0rd"); !ok {
			b.Fatal("refused")
		}
	}
}
