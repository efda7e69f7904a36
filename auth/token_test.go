// SPDX-License-Identifier: Apache-2.0

package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/iswigo/iswigo"
)

var quietLogger = slog.New(slog.NewTextHandler(io.Discard, nil))

// newTestService returns a TokenService with a key, over a new store, on a
// test clock.
func newTestService(t testing.TB) (*TokenService, *memKeyStore, *testClock) {
	t.Helper()
	store, clock := &memKeyStore{}, newTestClock()
	s := NewTokenService(store, TokenOptions{Now: clock.Now, Logger: quietLogger})
	if err := s.EnsureKey(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, store, clock
}

// countChecks makes s count its RSA signature checks.
func countChecks(s *TokenService) *atomic.Int64 {
	var n atomic.Int64
	s.onSignatureCheck = func() { n.Add(1) }
	return &n
}

// decodeSegment returns the JSON object of segment i of a token.
func decodeSegment(t *testing.T, token string, i int) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[i])
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	d := json.NewDecoder(strings.NewReader(string(raw)))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func kidOf(t *testing.T, token string) string {
	kid, _ := decodeSegment(t, token, 0)["kid"].(string)
	return kid
}

// privateKey returns the private key stored under id.
func privateKey(t testing.TB, store *memKeyStore, id string) *rsa.PrivateKey {
	t.Helper()
	k := store.key(id)
	if k == nil {
		t.Fatalf("no key %s", id)
	}
	priv, err := parseSigningKey(k.PrivateDER)
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

// sign builds a token with the given method, header kid (omitted if nil)
// and claims.
func sign(t testing.TB, method jwt.SigningMethod, kid any, claims jwt.MapClaims, key any) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != nil {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// goodClaims are claims as Issue writes them, at now.
func goodClaims(now time.Time) jwt.MapClaims {
	return jwt.MapClaims{
		"sub": "user-1", "app": "my-app", "jti": "0123456789abcdef0123456789abcdef", "ver": 3,
		"iat": now.Unix(), "exp": now.Add(iswigo.TokenLifetime).Unix(),
	}
}

func assertRefused(t *testing.T, s *TokenService, name, token string) {
	t.Helper()
	tc, err := s.Verify(context.Background(), token)
	if tc != nil || iswigo.ErrorCode(err) != iswigo.EUNAUTHORIZED || iswigo.ErrorMessage(err) != iswigo.MsgInvalidToken {
		t.Errorf("%s: Verify = %+v, %v; want EUNAUTHORIZED %q", name, tc, err, iswigo.MsgInvalidToken)
	}
}

func currentKid(t *testing.T, s *TokenService) string {
	t.Helper()
	r := s.ring.Load()
	if r == nil || r.current == nil {
		t.Fatal("no current key")
	}
	return r.current.id
}

func TestIssueVerify(t *testing.T) {
	ctx := context.Background()
	s, store, clock := newTestService(t)
	now := clock.Now()
	token, exp, err := s.Issue(ctx, "my-app", "user-1", 7)
	if err != nil {
		t.Fatal(err)
	}
	iat := now.Truncate(time.Second)
	if !exp.Equal(iat.Add(iswigo.TokenLifetime)) {
		t.Fatalf("expiresAt %v, want %v", exp, iat.Add(iswigo.TokenLifetime))
	}

	h := decodeSegment(t, token, 0)
	if len(h) != 3 || h["alg"] != "RS256" || h["typ"] != "JWT" || h["kid"] != currentKid(t, s) {
		t.Fatalf("header %v", h)
	}
	if !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(h["kid"].(string)) || store.key(h["kid"].(string)) == nil {
		t.Fatalf("kid %v is not 16 hex digits of a stored key", h["kid"])
	}
	p := decodeSegment(t, token, 1)
	if len(p) != 6 {
		t.Fatalf("claims %v, want exactly sub app iat exp jti ver", p)
	}
	if p["sub"] != "user-1" || p["app"] != "my-app" || p["ver"] != json.Number("7") ||
		p["iat"] != json.Number(itoa(iat.Unix())) || p["exp"] != json.Number(itoa(exp.Unix())) {
		t.Fatalf("claims %v", p)
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(p["jti"].(string)) {
		t.Fatalf("jti %v is not 128 bits in hex", p["jti"])
	}

	tc, err := s.Verify(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	want := iswigo.TokenClaims{UserID: "user-1", App: "my-app", IssuedAt: iat, ExpiresAt: exp, ID: p["jti"].(string), TokenVersion: 7}
	if *tc != want {
		t.Fatalf("claims %+v, want %+v", *tc, want)
	}

	token2, _, _ := s.Issue(ctx, "my-app", "user-1", 7)
	if token2 == token || decodeSegment(t, token2, 1)["jti"] == p["jti"] {
		t.Fatal("two tokens share a jti")
	}

	if _, _, err := s.Issue(ctx, "", "user-1", 1); err == nil {
		t.Error("Issue without app name succeeded")
	}
	if _, _, err := s.Issue(ctx, "my-app", "", 1); err == nil {
		t.Error("Issue without user ID succeeded")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestIssueWithoutKey(t *testing.T) {
	s := NewTokenService(&memKeyStore{}, TokenOptions{Logger: quietLogger})
	if _, _, err := s.Issue(context.Background(), "my-app", "user-1", 1); err == nil {
		t.Fatal("Issue without any key succeeded")
	}
}

func TestVerifyExpired(t *testing.T) {
	ctx := context.Background()
	s, store, clock := newTestService(t)
	token, exp, _ := s.Issue(ctx, "my-app", "user-1", 1)

	clock.Add(exp.Sub(clock.Now()) - time.Second) // one second left
	if _, err := s.Verify(ctx, token); err != nil {
		t.Fatalf("a second before exp: %v", err)
	}
	clock.Add(time.Second) // now == exp
	assertRefused(t, s, "cached, at exp", token)

	// The same, without the cache.
	fresh := NewTokenService(store, TokenOptions{Now: clock.Now, Logger: quietLogger})
	assertRefused(t, fresh, "uncached, at exp", token)
	clock.Add(24 * time.Hour)
	assertRefused(t, fresh, "uncached, a day later", token)
	assertRefused(t, s, "cached, a day later", token)
}

func TestVerifyRefusesForgeries(t *testing.T) {
	ctx := context.Background()
	s, store, clock := newTestService(t)
	now := clock.Now()
	kid := currentKid(t, s)
	priv := privateKey(t, store, kid)
	good, _, _ := s.Issue(ctx, "my-app", "user-1", 3)
	parts := strings.Split(good, ".")

	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pubDER, _ := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})

	tamper := func(edit func(m map[string]any)) string {
		raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
		m := map[string]any{}
		json.Unmarshal(raw, &m)
		edit(m)
		b, _ := json.Marshal(m)
		return parts[0] + "." + base64.RawURLEncoding.EncodeToString(b) + "." + parts[2]
	}
	without := func(claim string) jwt.MapClaims {
		c := goodClaims(now)
		delete(c, claim)
		return c
	}
	flip := func(s string) string {
		b := []byte(s)
		if b[10] == 'A' {
			b[10] = 'B'
		} else {
			b[10] = 'A'
		}
		return string(b)
	}
	noneHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT","kid":"` + kid + `"}`))

	forged := map[string]string{
		"empty":               "",
		"garbage":             "not.a.token",
		"two parts":           parts[0] + "." + parts[1],
		"too long":            good + strings.Repeat("A", maxTokenLen),
		"tampered sub":        tamper(func(m map[string]any) { m["sub"] = "user-2" }),
		"tampered ver":        tamper(func(m map[string]any) { m["ver"] = 4 }),
		"tampered exp":        tamper(func(m map[string]any) { m["exp"] = now.Add(2 * time.Hour).Unix() }),
		"tampered signature":  parts[0] + "." + parts[1] + "." + flip(parts[2]),
		"no signature":        parts[0] + "." + parts[1] + ".",
		"padded payload":      parts[0] + "." + parts[1] + "==." + parts[2],
		"other key, our kid":  sign(t, jwt.SigningMethodRS256, kid, goodClaims(now), other),
		"HS256, PEM secret":   sign(t, jwt.SigningMethodHS256, kid, goodClaims(now), pubPEM),
		"HS256, DER secret":   sign(t, jwt.SigningMethodHS256, kid, goodClaims(now), pubDER),
		"alg none (library)":  sign(t, jwt.SigningMethodNone, kid, goodClaims(now), jwt.UnsafeAllowNoneSignatureType),
		"alg none, our body":  noneHeader + "." + parts[1] + ".",
		"alg none, our sig":   noneHeader + "." + parts[1] + "." + parts[2],
		"RS512, our key":      sign(t, jwt.SigningMethodRS512, kid, goodClaims(now), priv),
		"PS256, our key":      sign(t, jwt.SigningMethodPS256, kid, goodClaims(now), priv),
		"unknown kid":         sign(t, jwt.SigningMethodRS256, "0123456789abcdef", goodClaims(now), other),
		"unknown kid our key": sign(t, jwt.SigningMethodRS256, "0123456789abcdef", goodClaims(now), priv),
		"no kid":              sign(t, jwt.SigningMethodRS256, nil, goodClaims(now), priv),
		"empty kid":           sign(t, jwt.SigningMethodRS256, "", goodClaims(now), priv),
		"numeric kid":         sign(t, jwt.SigningMethodRS256, 42, goodClaims(now), priv),
		"no exp":              sign(t, jwt.SigningMethodRS256, kid, without("exp"), priv),
		"no iat":              sign(t, jwt.SigningMethodRS256, kid, without("iat"), priv),
		"no sub":              sign(t, jwt.SigningMethodRS256, kid, without("sub"), priv),
		"no app":              sign(t, jwt.SigningMethodRS256, kid, without("app"), priv),
		"no jti":              sign(t, jwt.SigningMethodRS256, kid, without("jti"), priv),
		"no ver":              sign(t, jwt.SigningMethodRS256, kid, without("ver"), priv),
		"string ver":          sign(t, jwt.SigningMethodRS256, kid, func() jwt.MapClaims { c := goodClaims(now); c["ver"] = "3"; return c }(), priv),
		"lives 2h":            sign(t, jwt.SigningMethodRS256, kid, func() jwt.MapClaims { c := goodClaims(now); c["exp"] = now.Add(2 * time.Hour).Unix(); return c }(), priv),
		"issued in 2h":        sign(t, jwt.SigningMethodRS256, kid, goodClaims(now.Add(2*time.Hour)), priv),
		"not before in 1h":    sign(t, jwt.SigningMethodRS256, kid, func() jwt.MapClaims { c := goodClaims(now); c["nbf"] = now.Add(time.Hour).Unix(); return c }(), priv),
	}
	for name, token := range forged {
		assertRefused(t, s, name, token)
	}
	// The real key with good claims does verify: the refusals above are
	// due to what each case changed.
	if _, err := s.Verify(ctx, sign(t, jwt.SigningMethodRS256, kid, goodClaims(now), priv)); err != nil {
		t.Fatalf("control token refused: %v", err)
	}
	if _, err := s.Verify(ctx, good); err != nil {
		t.Fatalf("good token refused after the forgeries: %v", err)
	}
}

func TestUnknownKidReloadIsRateLimited(t *testing.T) {
	s, store, clock := newTestService(t)
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	forged := func(kid string) string {
		return sign(t, jwt.SigningMethodRS256, kid, goodClaims(clock.Now()), other)
	}
	base := store.finds.Load()
	for range 20 {
		assertRefused(t, s, "unknown kid", forged(randomHex(8)))
		clock.Add(100 * time.Millisecond)
	}
	if got := store.finds.Load() - base; got != 1 {
		t.Fatalf("%d reloads for 20 unknown kids within 2 s, want 1", got)
	}
	clock.Add(10 * time.Second)
	assertRefused(t, s, "unknown kid", forged(randomHex(8)))
	if got := store.finds.Load() - base; got != 2 {
		t.Fatalf("%d reloads after 10 s, want 2", got)
	}
}

func TestRotate(t *testing.T) {
	ctx := context.Background()
	s, store, clock := newTestService(t)
	old, _, _ := s.Issue(ctx, "my-app", "user-1", 1)
	oldKid := kidOf(t, old)

	clock.Add(10 * time.Minute)
	newKid, err := s.Rotate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if newKid == oldKid || store.key(newKid) == nil || store.key(oldKid).RetiredAt.IsZero() {
		t.Fatalf("rotation: new %s, old %s retired at %v", newKid, oldKid, store.key(oldKid).RetiredAt)
	}
	fresh, _, _ := s.Issue(ctx, "my-app", "user-1", 1)
	if kidOf(t, fresh) != newKid {
		t.Fatalf("new token signed by %s, want %s", kidOf(t, fresh), newKid)
	}
	// Old and new tokens verify, with and without the cache.
	other := NewTokenService(store, TokenOptions{Now: clock.Now, Logger: quietLogger})
	for _, svc := range []*TokenService{s, other} {
		for _, tok := range []string{old, fresh} {
			if _, err := svc.Verify(ctx, tok); err != nil {
				t.Fatalf("%s refused after rotation: %v", kidOf(t, tok), err)
			}
		}
	}
	if kids := jwksKids(t, s); len(kids) != 2 || kids[0] != newKid || kids[1] != oldKid {
		t.Fatalf("JWKS kids %v, want [%s %s]", kids, newKid, oldKid)
	}
}

func TestRetiredKeyExpires(t *testing.T) {
	ctx := context.Background()
	s, store, clock := newTestService(t)
	oldKid := currentKid(t, s)
	oldPriv := privateKey(t, store, oldKid)
	clock.Add(10 * time.Minute)
	newKid, err := s.Rotate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	retired := clock.Now()

	// A token signed by the retired key just before the grace ends (a
	// process that had not yet noticed the rotation) still verifies.
	clock.Add(iswigo.TokenLifetime + 30*time.Second)
	late := sign(t, jwt.SigningMethodRS256, oldKid, goodClaims(clock.Now()), oldPriv)
	if _, err := s.Verify(ctx, late); err != nil {
		t.Fatalf("retired key within its grace refused: %v", err)
	}
	if kids := jwksKids(t, s); len(kids) != 2 {
		t.Fatalf("JWKS within the grace: %v", kids)
	}

	// Past TokenLifetime plus the reload delay, it is gone.
	clock.Add(retired.Add(keyGrace).Sub(clock.Now()))
	if kids := jwksKids(t, s); len(kids) != 1 || kids[0] != newKid {
		t.Fatalf("JWKS kids %v, want [%s]", kids, newKid)
	}
	fresh := NewTokenService(store, TokenOptions{Now: clock.Now, Logger: quietLogger})
	for name, svc := range map[string]*TokenService{"same service": s, "new service": fresh} {
		tok := sign(t, jwt.SigningMethodRS256, oldKid, goodClaims(clock.Now()), oldPriv)
		assertRefused(t, svc, name+", token of a key retired over an hour ago", tok)
	}
	// A service that loaded its keys while the old one was still good
	// refuses it too, before its next reload.
	clock.Add(-time.Second)
	loaded := NewTokenService(store, TokenOptions{Now: clock.Now, Logger: quietLogger})
	if _, err := loaded.JWKS(ctx); err != nil {
		t.Fatal(err)
	}
	if loaded.ring.Load().lookup(oldKid) == nil {
		t.Fatal("old key not loaded a second before the end of its grace")
	}
	clock.Add(time.Second)
	assertRefused(t, loaded, "stale keyring", sign(t, jwt.SigningMethodRS256, oldKid, goodClaims(clock.Now()), oldPriv))
}

func TestTwoServicesShareKeys(t *testing.T) {
	ctx := context.Background()
	a, store, clock := newTestService(t)
	b := NewTokenService(store, TokenOptions{Now: clock.Now, Logger: quietLogger})
	c := NewTokenService(store, TokenOptions{Now: clock.Now, Logger: quietLogger})
	if err := c.EnsureKey(ctx); err != nil {
		t.Fatal(err)
	}
	if store.count() != 1 {
		t.Fatalf("%d keys after two EnsureKey, want 1", store.count())
	}
	tok, _, _ := a.Issue(ctx, "my-app", "user-1", 1)
	if tc, err := b.Verify(ctx, tok); err != nil || tc.UserID != "user-1" {
		t.Fatalf("second service: %+v, %v", tc, err)
	}

	// a rotates; b learns the new kid from the first token that names it.
	oldKid := kidOf(t, tok)
	clock.Add(5 * time.Second)
	newKid, _ := a.Rotate(ctx)
	tok2, _, _ := a.Issue(ctx, "my-app", "user-1", 1)
	if _, err := b.Verify(ctx, tok2); err != nil {
		t.Fatalf("second service after rotation: %v", err)
	}

	// c signs with the old key until its next reload, within a minute,
	// and what it signs meanwhile verifies everywhere.
	clock.Add(30 * time.Second)
	stale, _, _ := c.Issue(ctx, "my-app", "user-1", 1)
	if kidOf(t, stale) != oldKid {
		t.Fatalf("c signed with %s before its reload, want the old %s", kidOf(t, stale), oldKid)
	}
	for _, svc := range []*TokenService{a, b} {
		if _, err := svc.Verify(ctx, stale); err != nil {
			t.Fatalf("token of a stale process refused: %v", err)
		}
	}
	clock.Add(keyReloadInterval)
	if tok3, _, _ := c.Issue(ctx, "my-app", "user-1", 1); kidOf(t, tok3) != newKid {
		t.Fatalf("c signed with %s a minute after rotation, want %s", kidOf(t, tok3), newKid)
	}
}

func TestEnsureKey(t *testing.T) {
	ctx := context.Background()
	s, store, clock := newTestService(t)
	kid := currentKid(t, s)
	if err := s.EnsureKey(ctx); err != nil || store.count() != 1 || currentKid(t, s) != kid {
		t.Fatalf("second EnsureKey: err %v, %d keys", err, store.count())
	}
	if k := store.key(kid); k.CreatedAt != clock.Now() {
		t.Fatalf("CreatedAt %v, want the service clock %v", k.CreatedAt, clock.Now())
	}
	if bits := privateKey(t, store, kid).N.BitLen(); bits != 2048 {
		t.Fatalf("%d-bit key, want 2048", bits)
	}
	// Only retired keys left: EnsureKey makes a new one.
	store.mu.Lock()
	store.keys[0].RetiredAt = clock.Now()
	store.mu.Unlock()
	if err := s.EnsureKey(ctx); err != nil || store.count() != 2 || currentKid(t, s) == kid {
		t.Fatalf("EnsureKey with no active key: err %v, %d keys", err, store.count())
	}
}

func TestKeyBitsFloor(t *testing.T) {
	s := NewTokenService(&memKeyStore{}, TokenOptions{KeyBits: 1024})
	if s.keyBits != 2048 {
		t.Fatalf("KeyBits 1024 gave %d", s.keyBits)
	}
	if s := NewTokenService(&memKeyStore{}, TokenOptions{KeyBits: 3072}); s.keyBits != 3072 {
		t.Fatalf("KeyBits 3072 gave %d", s.keyBits)
	}
}

func TestStoreFailure(t *testing.T) {
	ctx := context.Background()
	s, store, clock := newTestService(t)
	tok, _, _ := s.Issue(ctx, "my-app", "user-1", 1)
	store.fail.Store(true)
	clock.Add(2 * keyReloadInterval)
	// The loaded keys keep working while the store is down...
	tok2, _, err := s.Issue(ctx, "my-app", "user-1", 1)
	if err != nil {
		t.Fatalf("Issue with the store down: %v", err)
	}
	if _, err := s.Verify(ctx, tok2); err != nil {
		t.Fatalf("Verify with the store down: %v", err)
	}
	// ...and the store is not asked again at every call.
	n := store.finds.Load()
	for range 10 {
		s.Issue(ctx, "my-app", "user-1", 1)
	}
	if store.finds.Load() != n {
		t.Fatalf("%d store calls while down", store.finds.Load()-n)
	}
	if _, err := s.Rotate(ctx); err == nil {
		t.Fatal("Rotate with the store down succeeded")
	}
	// A service that never loaded anything fails safe.
	cold := NewTokenService(store, TokenOptions{Now: clock.Now, Logger: quietLogger})
	if err := cold.EnsureKey(ctx); err == nil {
		t.Fatal("EnsureKey with the store down succeeded")
	}
	if _, _, err := cold.Issue(ctx, "my-app", "user-1", 1); err == nil {
		t.Fatal("Issue with no keys succeeded")
	}
	assertRefused(t, cold, "store down, no keys", tok)
	if _, err := cold.JWKS(ctx); err == nil {
		t.Fatal("JWKS with no keys succeeded")
	}
}

func TestCorruptKeyInStore(t *testing.T) {
	store := &memKeyStore{}
	store.CreateSigningKey(context.Background(), &iswigo.SigningKey{ID: "0123456789abcdef", PrivateDER: []byte("junk"), CreatedAt: time.Now()})
	s := NewTokenService(store, TokenOptions{Logger: quietLogger})
	if err := s.EnsureKey(context.Background()); err == nil {
		t.Fatal("a corrupt key loaded")
	}
}

func TestVerifyCache(t *testing.T) {
	ctx := context.Background()
	s, _, clock := newTestService(t)
	checks := countChecks(s)
	tok, exp, _ := s.Issue(ctx, "my-app", "user-1", 1)
	tc1, err := s.Verify(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	tc1.UserID = "mutated by a caller"
	for range 100 {
		tc, err := s.Verify(ctx, tok)
		if err != nil || tc.UserID != "user-1" {
			t.Fatalf("cached Verify: %+v, %v", tc, err)
		}
	}
	if n := checks.Load(); n != 1 {
		t.Fatalf("%d RSA checks for 101 verifications of one token, want 1", n)
	}
	if s.cache.len() != 1 {
		t.Fatalf("%d cache entries, want 1", s.cache.len())
	}

	// A refused token is not cached: each try costs a check.
	bad := tok[:len(tok)-2] + "AA"
	if bad == tok {
		bad = tok[:len(tok)-2] + "BB"
	}
	assertRefused(t, s, "bad signature", bad)
	assertRefused(t, s, "bad signature", bad)
	if n := checks.Load(); n != 3 {
		t.Fatalf("%d RSA checks, want 3", n)
	}

	// Past exp the cached entry is refused, with no RSA work, and dropped.
	clock.Add(exp.Sub(clock.Now()))
	assertRefused(t, s, "cached, expired", tok)
	if n := checks.Load(); n != 3 {
		t.Fatalf("expired cache entry cost an RSA check")
	}
	if s.cache.len() != 0 {
		t.Fatalf("%d cache entries after expiry, want 0", s.cache.len())
	}
}

func TestClaimsCacheBound(t *testing.T) {
	now := time.Now()
	c := newClaimsCache(10)
	key := func(i int) [32]byte { return [32]byte{byte(i)} }
	// 5 expired and 5 live entries fill it.
	for i := range 10 {
		exp := now.Add(time.Hour)
		if i%2 == 0 {
			exp = now.Add(-time.Second)
		}
		c.put(key(i), iswigo.TokenClaims{ExpiresAt: exp}, now)
	}
	c.put(key(10), iswigo.TokenClaims{ExpiresAt: now.Add(time.Hour)}, now)
	if c.len() != 6 {
		t.Fatalf("%d entries, want the 5 live ones and the new one", c.len())
	}
	for i := 1; i <= 10; i += 2 {
		if _, ok := c.get(key(i)); !ok {
			t.Fatalf("live entry %d evicted while expired ones remained", i)
		}
	}
	// Only live entries: it stays bounded.
	for i := 11; i < 200; i++ {
		c.put(key(i), iswigo.TokenClaims{ExpiresAt: now.Add(time.Hour)}, now)
		if c.len() > 10 {
			t.Fatalf("%d entries, bound is 10", c.len())
		}
	}
	if _, ok := c.get(key(199)); !ok {
		t.Fatal("newest entry missing")
	}
}

func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	s, _, clock := newTestService(t)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				tok, _, err := s.Issue(ctx, "my-app", "user", int64(i))
				if err == nil {
					_, err = s.Verify(ctx, tok)
				}
				if err == nil {
					_, err = s.Verify(ctx, tok)
				}
				if err == nil && g == 0 && i%10 == 0 {
					_, err = s.JWKS(ctx)
				}
				if err != nil {
					errs <- err
					return
				}
				clock.Add(7 * time.Second) // cross reload intervals
			}
		})
	}
	wg.Go(func() {
		if _, err := s.Rotate(ctx); err != nil {
			errs <- err
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func BenchmarkIssue(b *testing.B) {
	s, _, _ := newTestService(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.Issue(ctx, "my-app", "user-1", 1); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyCached(b *testing.B) {
	s, _, _ := newTestService(b)
	ctx := context.Background()
	tok, _, _ := s.Issue(ctx, "my-app", "user-1", 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyUncached(b *testing.B) {
	s, _, _ := newTestService(b)
	s.cache = nil
	ctx := context.Background()
	tok, _, _ := s.Issue(ctx, "my-app", "user-1", 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}
