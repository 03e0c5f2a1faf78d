package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/csv"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// seenRequests is what a test target saw: protocols and header values.
type seenRequests struct {
	mu     sync.Mutex
	n      int
	protos map[int]int
	header map[string][]string // every value of every header, by name
}

func (s *seenRequests) add(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	s.protos[r.ProtoMajor]++
	for k, vs := range r.Header {
		s.header[k] = append(s.header[k], vs...)
	}
}

// leaseTarget is a loopback target (not loadgen serve: no /v1/info) whose
// /v1/lease answers with code; TLS makes it https with a self-signed
// certificate (httptest's), written as PEM to the returned file.
func leaseTarget(t *testing.T, tlsOn bool, code int) (url, certFile string, seen *seenRequests) {
	t.Helper()
	seen = &seenRequests{protos: map[int]int{}, header: map[string][]string{}}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/lease" {
			http.NotFound(w, r)
			return
		}
		seen.add(r)
		w.WriteHeader(code)
	})
	var ts *httptest.Server
	if tlsOn {
		ts = httptest.NewUnstartedServer(h)
		ts.EnableHTTP2 = true
		ts.StartTLS()
		certFile = filepath.Join(t.TempDir(), "ca.pem")
		b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw})
		if err := os.WriteFile(certFile, b, 0o644); err != nil {
			t.Fatal(err)
		}
	} else {
		ts = httptest.NewServer(h)
	}
	t.Cleanup(ts.Close)
	return ts.URL, certFile, seen
}

// paced is a short paced attack: 20 droplets, all asking at once, that
// ends when every droplet holds a lease (at most the 8 min horizon at 100x,
// 4.8 s).
func paced(target, dir string, more ...string) []string {
	return append([]string{"attack", "--target", target, "--rate", "200/1s", "--droplets", "20", "--time-scale", "100",
		"--stop-when-recovered", "--out", dir}, more...)
}

// noLeaks checks, when the test and its cleanups are done, that no goroutine
// it started is left (the targets close in cleanups of their own).
func noLeaks(t *testing.T) {
	opt := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, opt) })
}

// selfSigned is a new self-signed CA certificate, PEM: a root no test
// target's certificate chains to.
func selfSigned(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "another CA"}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// TestAttackHTTPS: against a loopback HTTPS target with a self-signed
// certificate, an attack fails loudly without --insecure or --root-certs
// (exit 2 before anything is sent or written, one line naming the
// handshake and the flags), and works with either: every droplet leased,
// over HTTP/2 (offered by the target; --http2=false keeps HTTP/1.1), every
// --header on every attempt.
func TestAttackHTTPS(t *testing.T) {
	noLeaks(t)
	url, ca, seen := leaseTarget(t, true, http.StatusOK)
	dir := t.TempDir()
	code, out, errs := runCLI(t, context.Background(), paced(url, filepath.Join(dir, "refused"))...)
	if code != 2 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "TLS handshake") ||
		!strings.Contains(errs, "certificate") || !strings.Contains(errs, "--insecure") || !strings.Contains(errs, "--root-certs") {
		t.Fatalf("no --insecure: exit %d, stdout %q, stderr %q; want 2 and one line", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "refused")); !os.IsNotExist(err) {
		t.Errorf("a refused attack wrote --out: %v", err)
	}
	if seen.n != 0 {
		t.Errorf("a refused attack sent %d attempts", seen.n)
	}
	for _, c := range []struct {
		name  string
		args  []string
		proto int
	}{
		{"insecure", []string{"--insecure"}, 2},
		{"root-certs", []string{"--root-certs", ca}, 2},
		{"root-certs, HTTP/1.1", []string{"--root-certs", ca, "--http2=false"}, 1},
	} {
		seen.mu.Lock()
		seen.n, seen.protos, seen.header = 0, map[int]int{}, map[string][]string{}
		seen.mu.Unlock()
		args := paced(url, filepath.Join(dir, c.name), append(c.args, "--header", "X-Team: blue", "--header", "X-Team: red",
			"--header", "Authorization: Bearer t0k3n")...)
		code, out, errs := runCLI(t, context.Background(), args...)
		if code != 0 || !strings.Contains(out, "leased         20 of 20 droplets") {
			t.Fatalf("%s: exit %d\n%s\n%s", c.name, code, out, errs)
		}
		seen.mu.Lock()
		if seen.n < 20 || seen.protos[c.proto] != seen.n {
			t.Errorf("%s: %d requests by protocol %v, want all HTTP/%d", c.name, seen.n, seen.protos, c.proto)
		}
		if team, auth := seen.header["X-Team"], seen.header["Authorization"]; len(team) != 2*seen.n || len(auth) != seen.n || auth[0] != "Bearer t0k3n" {
			t.Errorf("%s: X-Team %d values, Authorization %q over %d requests; want every header on every attempt", c.name, len(team), auth[:min(1, len(auth))], seen.n)
		}
		seen.mu.Unlock()
	}
	// A root that is not the target's: refused as without.
	other := filepath.Join(dir, "other.pem")
	os.WriteFile(other, selfSigned(t), 0o644)
	if code, _, errs := runCLI(t, context.Background(), paced(url, filepath.Join(dir, "other"), "--root-certs", other)...); code != 2 || !strings.Contains(errs, "TLS handshake") {
		t.Errorf("another CA: exit %d, %q", code, errs)
	}
}

// TestAttackTargetsFromStdin: --targets - reads vegeta's targets from
// standard input.
func TestAttackTargetsFromStdin(t *testing.T) {
	noLeaks(t)
	url, _, seen := leaseTarget(t, false, http.StatusOK)
	var o, e bytes.Buffer
	in := strings.NewReader("POST " + url + "/v1/lease?droplet={droplet}\nX-From: stdin\n")
	code := app{stdin: in, stdout: &o, stderr: &e}.run(context.Background(), []string{"attack", "--targets", "-", "--rate", "200/1s",
		"--droplets", "20", "--time-scale", "100", "--stop-when-recovered", "--out", t.TempDir()})
	if code != 0 || !strings.Contains(o.String(), "leased         20 of 20 droplets") || len(seen.header["X-From"]) != seen.n || seen.n < 20 {
		t.Fatalf("exit %d, %d requests, X-From %v\n%s\n%s", code, seen.n, seen.header["X-From"], o.String(), e.String())
	}
}

// TestAttackThatFailsSaysWhy: an attack none of whose attempts succeeds (a
// wrong path: 404; a target that resets every connection) says loudly, on
// stderr, how many failed and the most common error, counted once however
// many URLs, and exits 1; its files are written as .partial, and loadgen
// report lists their status codes and errors.
func TestAttackThatFailsSaysWhy(t *testing.T) {
	noLeaks(t)
	notFound, _, _ := leaseTarget(t, false, http.StatusNotFound)
	// Resets every lease request's connection (after the TCP handshake,
	// so the attack's own check that the host answers passes).
	reset := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/lease" {
			http.NotFound(w, r)
			return
		}
		c, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		c.(*net.TCPConn).SetLinger(0)
		c.Close()
	}))
	t.Cleanup(reset.Close)
	stall, _, stop := stallingAfter(t, 0)
	t.Cleanup(stop)
	// Redirects every lease request off this machine (TEST-NET-1): never
	// followed without --allow-remote, every connection checked as it is
	// made.
	away := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/lease" {
			http.NotFound(w, r)
			return
		}
		http.Redirect(w, r, "http://192.0.2.1:9/v1/lease", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(away.Close)
	for _, c := range []struct {
		name, url, want, report string
	}{
		{"404", notFound, "× 404 Not Found", "404 "},
		{"reset", reset.URL, "× ", "0 (no answer)"}, // connection reset by peer, or EOF: checked below
		{"stall", stall, "× timeout: context deadline exceeded (timeouts: the target did not answer", "0 (no answer)"},
		{"redirect off loopback", away.URL, "192.0.2.1:9 is not on loopback", "0 (no answer)"},
	} {
		dir := filepath.Join(t.TempDir(), c.name)
		code, _, errs := runCLI(t, context.Background(), "attack", "--target", c.url, "--rate", "200/1s", "--droplets", "20",
			"--time-scale", "100", "--duration", "1500ms", "--out", dir) // 0.6 s timeouts: a slow machine still gets its 404s
		if code != 1 || !strings.Contains(errs, "attack: WARNING:") || !strings.Contains(errs, "attempts sent failed (100%)") ||
			!strings.Contains(errs, c.want) || !strings.Contains(errs, "loadgen: attack: no attempt succeeded") {
			t.Errorf("%s: exit %d, stderr\n%s\nwant 1, the warning naming %q", c.name, code, errs, c.want)
			continue
		}
		if c.name == "reset" && !strings.Contains(errs, "connection reset") && !strings.Contains(errs, "EOF") {
			t.Errorf("reset: stderr\n%s\nwant the reset named", errs)
		}
		code, out, errs := runCLI(t, context.Background(), "report", filepath.Join(dir, "results.bin.partial"))
		codes, _, _ := strings.Cut(out[strings.Index(out, "status codes  ")+1:], "\n")
		if code != 0 || !strings.Contains(codes, c.report) || !strings.Contains(out, "errors        ") || strings.Contains(out, "droplet=") {
			t.Errorf("%s: report exit %d, %s\n%s; want the codes and the errors counted, no URL", c.name, code, errs, out)
		}
	}
}

// TestFailedAttackKeepsEarlierResults: a complete attack in --out, then an
// attack into the same directory none of whose attempts succeeds (a 404):
// it exits 1 saying its files are kept as .partial, and the earlier
// attack's files keep their checksums (they were replaced once); its own
// summary.csv.partial says complete=false: it measured nothing.
func TestFailedAttackKeepsEarlierResults(t *testing.T) {
	noLeaks(t)
	ok, _, _ := leaseTarget(t, false, http.StatusOK)
	notFound, _, _ := leaseTarget(t, false, http.StatusNotFound)
	dir := filepath.Join(t.TempDir(), "out")
	if code, out, errs := runCLI(t, context.Background(), paced(ok, dir)...); code != 0 {
		t.Fatalf("the earlier attack: exit %d\n%s\n%s", code, out, errs)
	}
	files := []string{"results.bin", "timeseries.csv", "summary.csv", "latency.hlog"}
	before := map[string][32]byte{}
	for _, f := range files {
		before[f] = sha(t, filepath.Join(dir, f))
	}
	code, _, errs := runCLI(t, context.Background(), "attack", "--target", notFound, "--rate", "200/1s", "--droplets", "20",
		"--time-scale", "100", "--duration", "1500ms", "--out", dir)
	if code != 1 || !strings.Contains(errs, "no attempt succeeded") || !strings.Contains(errs, ".partial") || strings.Contains(errs, "wrote ") {
		t.Fatalf("failing attack: exit %d, stderr\n%s\nwant 1, the files kept as .partial", code, errs)
	}
	for _, f := range files {
		if sha(t, filepath.Join(dir, f)) != before[f] {
			t.Errorf("%s changed: a failing attack replaced the earlier complete one", f)
		}
		if _, err := os.Stat(filepath.Join(dir, f+".partial")); err != nil {
			t.Errorf("the failing attack's %s.partial: %v", f, err)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, "summary.csv.partial")); err != nil {
		t.Error(err)
	} else if col, val := summaryColumn(t, b, "complete"); val != "false" {
		t.Errorf("the failing attack's summary.csv.partial says %s=%s; want false (it measured nothing)", col, val)
	}
}

// summaryColumn is a one-row CSV's column name and value.
func summaryColumn(t *testing.T, b []byte, name string) (string, string) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("summary: %v, %d records", err, len(recs))
	}
	for i, h := range recs[0] {
		if h == name {
			return h, recs[1][i]
		}
	}
	t.Fatalf("summary has no %s column: %v", name, recs[0])
	return "", ""
}

// TestRedirectNotFollowedIsNamed: a target that redirects every lease
// request (307) to a path that grants it. Followed (vegeta's default, 10),
// every droplet is leased; with --redirects -1 the redirect is the answer,
// which is no lease: the attack fails, its warning naming the status and
// saying why. (It said "no error recorded".)
func TestRedirectNotFollowedIsNamed(t *testing.T) {
	noLeaks(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/lease":
			http.Redirect(w, r, "/granted", http.StatusTemporaryRedirect)
		case "/granted":
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(ts.Close)
	dir := t.TempDir()
	if code, out, errs := runCLI(t, context.Background(), paced(ts.URL, filepath.Join(dir, "followed"))...); code != 0 ||
		!strings.Contains(out, "leased         20 of 20 droplets") {
		t.Fatalf("redirects followed: exit %d\n%s\n%s", code, out, errs)
	}
	code, _, errs := runCLI(t, context.Background(), "attack", "--target", ts.URL, "--redirects", "-1", "--rate", "200/1s", "--droplets", "20",
		"--time-scale", "100", "--duration", "1500ms", "--out", filepath.Join(dir, "not"))
	if code != 1 || !strings.Contains(errs, "× 307 Temporary Redirect (a 3xx is not a lease") || strings.Contains(errs, "no error recorded") {
		t.Errorf("--redirects -1: exit %d, stderr\n%s\nwant 1, the 307 named", code, errs)
	}
}

// TestAttackPoolWaitBlamedOnTheLoadHost: --max-connections 1 and 20
// workers against a target that answers in 20 ms, with a 50 ms timeout:
// most attempts wait inside the attacker for the one connection until
// they time out. The attack did not keep up, says how many never got a
// connection, and its failure line blames the attacker's pool, not the
// target. (It kept up, and called the timeouts a collapse.)
func TestAttackPoolWaitBlamedOnTheLoadHost(t *testing.T) {
	noLeaks(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { time.Sleep(20 * time.Millisecond) }))
	t.Cleanup(ts.Close)
	code, out, errs := runCLI(t, context.Background(), "attack", "--target", ts.URL, "--max-connections", "1", "--workers", "20",
		"--rate", "infinity", "--droplets", "20", "--time-scale", "1200", "--duration", "200ms", "--out", t.TempDir())
	if code != 0 || !strings.Contains(out, "kept up        NO") || !strings.Contains(out, "never got a connection") ||
		!strings.Contains(errs, "kept_up=false") || !strings.Contains(errs, "before they got a connection: the attacker's own pool") {
		t.Errorf("exit %d\n%s\n%s\nwant not kept up, the pool blamed", code, out, errs)
	}
}
