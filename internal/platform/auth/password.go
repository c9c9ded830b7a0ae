package auth

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns the PHC-format argon2id hash of pw with a fresh salt.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// CheckPassword tells whether pw matches hash, in constant time.
func CheckPassword(hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("unknown password hash format")
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, err
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, err
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// RandomPassword returns a readable random password (for the first admin and the demo).
func RandomPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = alphabet[int(c)%len(alphabet)]
	}
	return string(out)
}

// MinPasswordLen is the shortest password accepted (NIST SP 800-63B asks for at least 8; we
// ask 10 because most users here log in with a password alone).
const MinPasswordLen = 10

// commonPasswords is a list of the most used passwords, lower-cased: the 10,000 most frequent
// of the list shipped by @zxcvbn-ts/language-common 4.1.3 (MIT; Mark Burnett's and others'
// leak statistics), every longer-than-ten entry of the rest of it, and a few dozen common in
// Chinese leaks.
//
//go:embed common-passwords.txt
var commonPasswordsText string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, p := range strings.Split(commonPasswordsText, "\n") {
		if p != "" {
			m[p] = true
		}
	}
	return m
})

// PasswordProblem returns the catalog key (and its arguments) of what is wrong with a new
// password for the account username, or "".
func PasswordProblem(pw, username string) (string, []any) {
	lower := strings.ToLower(pw)
	switch {
	case len([]rune(pw)) < MinPasswordLen:
		return "v.password_short", []any{MinPasswordLen}
	case len(pw) > 256:
		return "v.password_long", nil
	case username != "" && lower == strings.ToLower(username):
		return "v.password_username", nil
	case commonPasswords()[lower]:
		return "v.password_common", nil
	}
	return "", nil
}
