package server

import (
	"context"
	"testing"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
)

// BenchmarkAuthenticate is the cost of resolving a request's credential: from the cache, and
// from the database on every request (CacheTTL 0, as before the cache), per engine.
//
//	go test ./internal/server/ -run NONE -bench Authenticate -benchtime 2000x
func BenchmarkAuthenticate(b *testing.B) {
	for _, d := range db.Engines() {
		for _, tc := range []struct {
			name string
			ttl  int
		}{{"cached", 1}, {"uncached", 0}} {
			b.Run(string(d)+"/"+tc.name, func(b *testing.B) {
				ctx := context.Background()
				a := New(db.OpenTest(b, d), clock.NewFake(fixtureNow), b.TempDir())
				if tc.ttl == 0 {
					a.Auth.CacheTTL = 0
				}
				defer a.Auth.Close()
				id, err := a.Auth.CreateUser(ctx, auth.System(), auth.NewUser{Username: "bench", Password: testPassword})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := a.Auth.GrantRole(ctx, auth.System(), id, auth.RoleAdmin, 0); err != nil {
					b.Fatal(err)
				}
				res, err := a.Auth.Login(ctx, "bench", testPassword, "127.0.0.1", "bench")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := a.Auth.Authenticate(ctx, res.Token, "127.0.0.1"); err != nil { // starts the service
					b.Fatal(err)
				}
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if _, err := a.Auth.Authenticate(ctx, res.Token, "127.0.0.1"); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		}
	}
}
