package httpx

import (
	"net/http/httptest"
	"testing"
)

func TestClientAddr(t *testing.T) {
	ps, err := ParseProxies("10.9.0.0/16, 127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ peer, xff, want string }{
		{"203.0.113.7:5000", "", "203.0.113.7"},
		{"203.0.113.7:5000", "1.2.3.4", "203.0.113.7"},                    // not a proxy: its header is the client's own
		{"10.9.1.1:5000", "198.51.100.2", "198.51.100.2"},                 // the proxy saw this client
		{"10.9.1.1:5000", "6.6.6.6, 198.51.100.2", "198.51.100.2"},        // the leftmost was written by the client
		{"127.0.0.1:5000", "198.51.100.2, 10.9.3.3", "198.51.100.2"},      // two trusted hops
		{"10.9.1.1:5000", "10.9.2.2", "10.9.1.1"},                         // only proxies: the peer
		{"10.9.1.1:5000", "198.51.100.2, not-an-address", "10.9.1.1"},     // a malformed hop: no guess past it
		{"[::ffff:10.9.1.1]:5000", "::ffff:198.51.100.9", "198.51.100.9"}, // IPv4-mapped
		{"10.9.1.1:5000", "", "10.9.1.1"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.peer
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := ps.ClientAddr(r); got != c.want {
			t.Errorf("peer %s, X-Forwarded-For %q: %s, want %s", c.peer, c.xff, got, c.want)
		}
	}
	if _, err := ParseProxies("10.0.0.0/8, nonsense"); err == nil {
		t.Error("a malformed proxy address was accepted")
	}
}
