// SPDX-License-Identifier: Apache-2.0

package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/iswigo/iswigo/internal/argon2id"
)

// PasswordParams are the argon2id cost parameters of a password hash.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8  // lanes
}

// DefaultPasswordParams are OWASP's first recommendation for argon2id:
// 19 MiB of memory, 2 passes, 1 lane. Changing them affects new hashes
// only: CheckPassword reads the parameters from each hash.
var DefaultPasswordParams = PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 1}

// TestPasswordParams are tiny parameters (64 KiB, 1 pass) that make a hash
// cost about 0.1 ms instead of 40. They are for tests only: a hash made
// with them is cheap to attack.
var TestPasswordParams = PasswordParams{Memory: 64, Time: 1, Threads: 1}

// Limits on the parameters CheckPassword accepts from a stored hash, so
// that a tampered row cannot make one login allocate gigabytes or spin for
// minutes.
const (
	maxPasswordMemory  = 1 << 20 // KiB: 1 GiB
	maxPasswordTime    = 20
	passwordSaltLen    = 16
	passwordKeyLen     = 32
	minStoredSaltLen   = 8
	maxStoredSaltLen   = 64
	minStoredKeyLen    = 16
	maxStoredKeyLen    = 64
	argon2idPHCVersion = "v=19"
)

var b64 = base64.RawStdEncoding.Strict()

// valid reports whether p is within the limits CheckPassword accepts.
func (p PasswordParams) valid() error {
	switch {
	case p.Threads < 1:
		return errors.New("threads must be at least 1")
	case p.Time < 1 || p.Time > maxPasswordTime:
		return fmt.Errorf("time must be 1 to %d", maxPasswordTime)
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxPasswordMemory:
		return fmt.Errorf("memory must be 8*threads to %d KiB", maxPasswordMemory)
	}
	return nil
}

// HashPassword returns the argon2id hash of password with a new random
// 16-byte salt, as a PHC string:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
//
// where salt and the 32-byte hash are in standard base64 without padding.
// It fails if p is outside the limits CheckPassword accepts.
func HashPassword(password string, p PasswordParams) (string, error) {
	if err := p.valid(); err != nil {
		return "", fmt.Errorf("auth: password params: %w", err)
	}
	salt := make([]byte, passwordSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: password salt: %w", err)
	}
	key := argon2id.Key([]byte(password), salt, p.Time, p.Memory, p.Threads, passwordKeyLen)
	return fmt.Sprintf("$argon2id$%s$m=%d,t=%d,p=%d$%s$%s",
		argon2idPHCVersion, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches encoded, a hash made by
// HashPassword. The parameters, salt and hash length are read from encoded,
// so hashes made under older defaults keep working. The keys are compared
// in constant time.
//
// A wrong password returns false and a nil error. A malformed hash, or
// one whose parameters exceed 1 GiB of memory or 20 passes, returns an
// error (not an *iswigo.Error: it is a server fault) and costs no hashing.
func CheckPassword(encoded, password string) (bool, error) {
	p, salt, want, err := parsePasswordHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2id.Key([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// The fixed salt and key DummyCheckPassword compares against. Their values
// do not matter; no password is known to match.
var (
	dummySalt = []byte("iswigo-dummy-slt")
	dummyKey  = []byte("iswigo dummy key, matches none!!")
)

// DummyCheckPassword does the work of CheckPassword for a hash made with p,
// and throws the result away. Call it when the user is not found, so that
// an unknown email costs the same time as a wrong password and the timing
// does not tell which addresses have an account. Pass the parameters that
// current hashes are made with (usually DefaultPasswordParams); p outside
// CheckPassword's limits is replaced by DefaultPasswordParams.
func DummyCheckPassword(password string, p PasswordParams) {
	if p.valid() != nil {
		p = DefaultPasswordParams
	}
	got := argon2id.Key([]byte(password), dummySalt, p.Time, p.Memory, p.Threads, passwordKeyLen)
	subtle.ConstantTimeCompare(got, dummyKey)
}

// parsePasswordHash parses "$argon2id$v=19$m=M,t=T,p=P$salt$hash" strictly.
func parsePasswordHash(encoded string) (p PasswordParams, salt, key []byte, err error) {
	fail := func(what string) (PasswordParams, []byte, []byte, error) {
		return PasswordParams{}, nil, nil, fmt.Errorf("auth: malformed password hash: %s", what)
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return fail("not a PHC string")
	}
	if parts[1] != "argon2id" {
		return fail("algorithm is not argon2id")
	}
	if parts[2] != argon2idPHCVersion {
		return fail("version is not 19")
	}
	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return fail("parameters")
	}
	var vals [3]uint64
	for i, name := range [3]string{"m=", "t=", "p="} {
		s, ok := strings.CutPrefix(params[i], name)
		if !ok || s == "" || (len(s) > 1 && s[0] == '0') {
			return fail("parameters")
		}
		v, err := strconv.ParseUint(s, 10, 32)
		if err != nil {
			return fail("parameters")
		}
		vals[i] = v
	}
	if vals[2] > 255 {
		return fail("parameters")
	}
	p = PasswordParams{Memory: uint32(vals[0]), Time: uint32(vals[1]), Threads: uint8(vals[2])}
	if err := p.valid(); err != nil {
		return fail(err.Error())
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < minStoredSaltLen || len(salt) > maxStoredSaltLen {
		return fail("salt")
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < minStoredKeyLen || len(key) > maxStoredKeyLen {
		return fail("hash")
	}
	return p, salt, key, nil
}
