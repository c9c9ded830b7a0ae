package httpx

import (
	"context"
	"crypto/rand"
	"encoding/hex"

	"dangjian/internal/platform/i18n"
)

type ctxKey int

const (
	keyLang ctxKey = iota
	keyRequestID
	keyIP
)

// Lang is the request's language.
func Lang(ctx context.Context) i18n.Lang {
	if l, ok := ctx.Value(keyLang).(i18n.Lang); ok {
		return l
	}
	return i18n.ZH
}

// RequestID is the request's id, also sent back as X-Request-ID and logged.
func RequestID(ctx context.Context) string {
	s, _ := ctx.Value(keyRequestID).(string)
	return s
}

// ClientIP is the caller's address as the server saw it.
func ClientIP(ctx context.Context) string {
	s, _ := ctx.Value(keyIP).(string)
	return s
}

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
