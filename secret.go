// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"context"
	"time"
)

// Cipher seals secrets at rest (app secrets, credentials, connector state,
// signing keys, validation codes). aad binds a ciphertext to its place, for
// example "apps.secret:<app id>": a ciphertext moved to another row does not
// open. Implementations are safe for concurrent use.
type Cipher interface {
	Encrypt(ctx context.Context, plaintext, aad []byte) ([]byte, error)
	Decrypt(ctx context.Context, ciphertext, aad []byte) ([]byte, error)
}

// DataKey is a data-encryption key wrapped by the key-encryption key.
type DataKey struct {
	ID        string // 16 hex characters, carried by every ciphertext
	Wrapped   []byte
	CreatedAt time.Time
}

// DataKeyStore persists wrapped data keys, shared by every process of a deployment.
type DataKeyStore interface {
	// FindDataKeys returns every data key, oldest first.
	FindDataKeys(ctx context.Context) ([]*DataKey, error)
	// CreateDataKey stores a new data key.
	CreateDataKey(ctx context.Context, k *DataKey) error
	// UpdateDataKeyWrapping replaces the wrapped form of key id (re-wrap
	// under a new key-encryption key).
	UpdateDataKeyWrapping(ctx context.Context, id string, wrapped []byte) error
}

// SigningKey is an RSA key that signs access tokens.
type SigningKey struct {
	ID         string // the JWT "kid"
	PrivateDER []byte // PKCS#8 DER, in clear in memory only; stored encrypted
	CreatedAt  time.Time
	// RetiredAt is when a newer key replaced it (zero while active). A
	// retired key still verifies, and is still published, until the tokens
	// it signed have expired.
	RetiredAt time.Time
}

// SigningKeyStore persists token signing keys.
type SigningKeyStore interface {
	// FindSigningKeys returns every key not retired before since, oldest first.
	FindSigningKeys(ctx context.Context, since time.Time) ([]*SigningKey, error)
	// CreateSigningKey stores k and retires every other active key at k.CreatedAt,
	// in one transaction.
	CreateSigningKey(ctx context.Context, k *SigningKey) error
}
