package attack

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"syscall"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// HTTP is how an attack's client speaks HTTP: vegeta attack's options,
// with vegeta's meanings and defaults (DefaultHTTP).
type HTTP struct {
	// Header is added to every request (after a targets file's own, as
	// vegeta's -header is). A "Host" value sets the request's host.
	Header http.Header
	// TLS configures https targets (vegeta's -insecure, -root-certs,
	// -cert, -key); nil: Go's defaults, the system's roots.
	TLS *tls.Config
	// HTTP2 lets an https target speak HTTP/2 when it offers it (vegeta's
	// -http2, on by default); H2C sends HTTP/2 without TLS, by prior
	// knowledge (vegeta's -h2c), as loadgen serve accepts: a timed-out
	// attempt then resets its stream instead of closing its connection, so
	// a collapse does not turn into a storm of new connections on the load
	// host.
	HTTP2, H2C bool
	// Redirects is how many redirects an attempt follows (vegeta's
	// -redirects: vegeta.DefaultRedirects); more is an error, and
	// vegeta.NoFollow (-1) follows none and takes the redirect as the
	// answer.
	Redirects int
	// MaxBody is how many bytes of each answer's body the result keeps
	// (vegeta's -max-body; -1: all of it, up to MaxCapture); the rest is
	// read and dropped.
	MaxBody int64
	// KeepAlive reuses connections (vegeta's -keepalive).
	KeepAlive bool
	// Connections is the most idle connections kept open per target host
	// (vegeta's -connections); MaxConnections the most connections per host
	// (vegeta's -max-connections; 0: no limit).
	Connections, MaxConnections int
	// AllowRemote lets connections go to addresses off loopback. Without
	// it every connection is checked as it is made, at the address it
	// dials: a redirect, or a name that resolves elsewhere later, cannot
	// take the attack off this machine.
	AllowRemote bool
}

// DefaultHTTP is vegeta attack's defaults.
var DefaultHTTP = HTTP{HTTP2: true, Redirects: vegeta.DefaultRedirects, MaxBody: vegeta.DefaultMaxBody, KeepAlive: true,
	Connections: vegeta.DefaultConnections, MaxConnections: vegeta.DefaultMaxConnections}

// MaxCapture bounds the body a result keeps whatever MaxBody says: a
// result must stay readable (record.MaxResultBytes), and a target that
// streams without end must not fill memory.
const MaxCapture = 64 << 10

// loopbackOnly refuses a connection to an address off loopback, before it
// is made (net.Dialer.Control).
func loopbackOnly(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%s is not on loopback (--allow-remote lets an attack leave it)", address)
	}
	return nil
}

// Check reports the first option out of range.
func (h HTTP) Check() error {
	switch {
	case h.Redirects < vegeta.NoFollow:
		return fmt.Errorf("attack: redirects %d below %d (-1: follow none)", h.Redirects, vegeta.NoFollow)
	case h.MaxBody < -1 || h.MaxBody > MaxCapture:
		return fmt.Errorf("attack: max body %d outside -1..%d bytes (-1: the whole body, up to %d)", h.MaxBody, MaxCapture, MaxCapture)
	case h.Connections < 0:
		return fmt.Errorf("attack: connections %d below 0", h.Connections)
	case h.MaxConnections < 0:
		return fmt.Errorf("attack: max connections %d below 0 (0: no limit)", h.MaxConnections)
	}
	return nil
}

// capture is how many bytes of a body a result keeps.
func (h HTTP) capture() int64 {
	if h.MaxBody < 0 {
		return MaxCapture
	}
	return h.MaxBody
}

// Client is the attack's HTTP client, as vegeta.NewAttacker builds it with
// the same options, and its transport (close its idle connections when
// done).
func (h HTTP) Client() (*http.Client, *http.Transport) { return h.client() }

// client builds the attack's HTTP client.
func (h HTTP) client() (*http.Client, *http.Transport) {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	if !h.KeepAlive {
		dialer.KeepAlive = 0
	}
	if !h.AllowRemote {
		dialer.Control = loopbackOnly
	}
	tr := &http.Transport{
		Proxy:               nil, // an attack goes where it is told (vegeta takes the environment's proxy)
		DialContext:         dialer.DialContext,
		TLSClientConfig:     h.TLS,
		MaxIdleConnsPerHost: h.Connections,
		MaxConnsPerHost:     h.MaxConnections,
		DisableKeepAlives:   !h.KeepAlive,
		DisableCompression:  true,
		IdleConnTimeout:     30 * time.Second,
		TLSHandshakeTimeout: 10 * time.Second,
	}
	var p http.Protocols
	p.SetHTTP1(!h.H2C)
	p.SetHTTP2(h.HTTP2 || h.H2C)
	p.SetUnencryptedHTTP2(h.H2C)
	tr.Protocols = &p
	c := &http.Client{Transport: tr}
	n := h.Redirects
	c.CheckRedirect = func(_ *http.Request, via []*http.Request) error {
		switch {
		case n == vegeta.NoFollow:
			return http.ErrUseLastResponse
		case n < len(via):
			return fmt.Errorf("stopped after %d redirects", n)
		}
		return nil
	}
	return c, tr
}

// counted is a transport that counts the requests it sends.
type counted struct {
	rt http.RoundTripper
	n  *atomic.Int64
}

func (c counted) RoundTrip(req *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.rt.RoundTrip(req)
}
