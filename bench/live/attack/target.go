package attack

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/aftershock/aftershock/bench/live/server"
)

// CheckTarget parses a target's base URL and refuses a host that is not on
// loopback unless allowRemote: an attack is a denial of service, so it
// stays on this machine unless the user says otherwise. A name is resolved
// (within ctx) and every address it has must be a loopback one.
func CheckTarget(ctx context.Context, raw string, allowRemote bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("attack: target %q is not an http(s) URL with a host", raw)
	}
	if allowRemote {
		return u, nil
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); ip != nil {
		if !ip.IsLoopback() {
			return nil, fmt.Errorf("attack: target %s is not on loopback; pass --allow-remote to attack it", u.Host)
		}
		return u, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("attack: target host %q: %v", host, err)
	}
	for _, a := range addrs {
		if !a.IP.IsLoopback() {
			return nil, fmt.Errorf("attack: target %s resolves to %s, not on loopback; pass --allow-remote to attack it", u.Host, a.IP)
		}
	}
	return u, nil
}

// Reachable dials the target's host once (within 2 s) and reports an error
// if nothing answers there; for an https target it also makes the TLS
// handshake with cfg (nil: Go's defaults), so that a certificate the
// attack would refuse fails here, before anything is sent, not as every
// attempt's error.
func Reachable(ctx context.Context, u *url.URL, cfg *tls.Config) error {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	c, err := (&net.Dialer{}).DialContext(ctx, "tcp", net.JoinHostPort(u.Hostname(), port))
	if err != nil {
		return fmt.Errorf("attack: target %s unreachable: %v", u.Host, err)
	}
	defer c.Close()
	if u.Scheme != "https" {
		return nil
	}
	tc := &tls.Config{}
	if cfg != nil {
		tc = cfg.Clone()
	}
	if tc.ServerName == "" {
		tc.ServerName = u.Hostname()
	}
	if err := tls.Client(c, tc).HandshakeContext(ctx); err != nil {
		hint := ""
		var ue x509.UnknownAuthorityError
		var he x509.HostnameError
		var ie x509.CertificateInvalidError
		if errors.As(err, &ue) || errors.As(err, &he) || errors.As(err, &ie) {
			hint = " (--root-certs FILE trusts its CA; --insecure accepts any certificate)"
		}
		return fmt.Errorf("attack: target %s: TLS handshake: %v%s", u.Host, err, hint)
	}
	return nil
}

// Info asks a target for GET /v1/info (loadgen serve's) with client c (nil:
// Go's defaults); ok is false when it does not answer one (a service that
// is not loadgen serve).
func Info(ctx context.Context, base string, c *http.Client) (info server.Info, ok bool) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/v1/info", nil)
	if err != nil {
		return info, false
	}
	if c == nil {
		tr := &http.Transport{}
		defer tr.CloseIdleConnections()
		c = &http.Client{Transport: tr}
	}
	r, err := c.Do(req)
	if err != nil {
		return info, false
	}
	defer r.Body.Close()
	if r.StatusCode != http.StatusOK || json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<16)).Decode(&info) != nil || info.TimeScale <= 0 {
		return server.Info{}, false
	}
	return info, true
}
