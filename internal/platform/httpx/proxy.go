package httpx

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the reverse proxies (addresses or CIDRs) whose forwarding headers are believed.
// Behind a proxy every request comes from the proxy's address, so rate limits and lockouts per
// client address need the address the proxy saw; a header from anyone else is ignored, or a
// client could choose its own address.
type Proxies []netip.Prefix

// ParseProxies reads a comma-separated list of addresses and CIDRs ("10.0.0.0/8,127.0.0.1").
func ParseProxies(list string) (Proxies, error) {
	var out Proxies
	for _, f := range strings.Split(list, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return nil, err
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func (ps Proxies) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Trusted tells whether the direct peer of r is a trusted proxy.
func (ps Proxies) Trusted(r *http.Request) bool {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	return err == nil && ps.trusts(peer.Addr())
}

// ClientAddr is the caller's address: the direct peer, or, when the peer is a trusted proxy,
// the nearest address in X-Forwarded-For that is not itself a trusted proxy (the entries
// further left were written by the client and prove nothing).
func (ps Proxies) ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !ps.Trusted(r) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return host // a malformed hop: do not guess past it
		}
		if !ps.trusts(a) {
			return a.Unmap().String()
		}
	}
	return host
}

// ForwardedHTTPS tells whether a trusted proxy says the client used https.
func (ps Proxies) ForwardedHTTPS(r *http.Request) bool {
	proto := strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Proto"), ",")[0])
	return strings.EqualFold(proto, "https") && ps.Trusted(r)
}
