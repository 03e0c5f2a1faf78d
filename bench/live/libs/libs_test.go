package libs_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	_ "github.com/aftershock/aftershock/bench/live/libs"
	"github.com/aftershock/aftershock/bench/policy"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// env is a host of 4 workers serving 10 attempts per second, with clients
// that give up after 500 ms.
var env = policy.Env{Capacity: 10, Workers: 4, MeanService: 400 * time.Millisecond, Timeout: 500 * time.Millisecond}

var names = []string{"failsafe-adaptive-limiter", "failsafe-adaptive-throttler", "failsafe-circuit-breaker",
	"failsafe-bulkhead", "failsafe-rate-limiter", "gobreaker", "failsafe-retry"}

// TestRegisteredLiveOnly: every library is a live-only policy: listed
// apart, built by BuildLive with its defaults, refused by Build (the
// simulator) in one line.
func TestRegisteredLiveOnly(t *testing.T) {
	for _, n := range names {
		if !slices.Contains(policy.LiveNames(), n) || slices.Contains(policy.Names(), n) {
			t.Errorf("%s: not among the live-only policies", n)
		}
		_, lh, err := policy.BuildLive(n, env)
		if err != nil || (lh.Server == nil) == (lh.Client == nil) {
			t.Errorf("%s: BuildLive %+v, %v", n, lh, err)
		}
		_, err = policy.Build(n, env)
		if !errors.Is(err, policy.ErrLiveOnly) || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "reads the wall clock") {
			t.Errorf("%s: Build: %v, want one line: live mode only", n, err)
		}
		d, _ := policy.Lookup(n)
		if d.Doc == "" || !strings.Contains(d.Source, " v") || len(d.Notes) == 0 {
			t.Errorf("%s: doc %q source %q notes %v", n, d.Doc, d.Source, d.Notes)
		}
	}
}

// TestBadConfigsRefused: a setting the library would refuse (its builder
// panics) or that makes no sense is refused, one line naming it.
func TestBadConfigsRefused(t *testing.T) {
	for spec, want := range map[string]string{
		"failsafe-adaptive-limiter:min=30,max=20":                  "min 30 above max 20",
		"failsafe-adaptive-limiter:initial=300":                    "initial 300 outside min 1 .. max 200",
		"failsafe-adaptive-limiter:max-limit-factor=0.5":           "max-limit-factor 0.5 below 1",
		"failsafe-adaptive-limiter:max-wait=1s":                    "max-wait 1s without queueing=true",
		"failsafe-adaptive-limiter:initial=0":                      "whole number from 1",
		"failsafe-circuit-breaker:failures=5,of=3":                 "failures 5 out of 3",
		"failsafe-circuit-breaker:delay=0s":                        "duration above 0",
		"failsafe-adaptive-throttler:failure-rate=1.5":             "number from 0 to 1",
		"gobreaker:bucket-period=1s":                               "bucket-period 1s without an interval",
		"gobreaker:interval=1s,bucket-period=2s":                   "bucket-period 2s longer than the interval 1s",
		"failsafe-retry:budget=false,budget-rate=0.5":              "with budget=false",
		"failsafe-retry:budget-rate=0,budget-min=0":                "a budget that allows no retry",
		"failsafe-bulkhead:max=0":                                  "whole number from 1",
		"failsafe-rate-limiter:rate=0":                             "rate above 0",
		"failsafe-bulkhead+gobreaker":                              "both set the admission role",
		"failsafe-adaptive-limiter:queueing=true,max-wait=-1s":     "duration above 0",
		"failsafe-adaptive-throttler:period=1m,max-rejection=1.01": "number from 0 to 1",
	} {
		_, _, err := policy.BuildLive(spec, env)
		if err == nil || !errors.Is(err, policy.ErrSpec) || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want one line with %q", spec, err, want)
		}
	}
}

// server serves spec's middleware for host 0 in front of h on loopback.
func server(t *testing.T, spec string, h http.Handler) (*httptest.Server, *http.Client) {
	t.Helper()
	_, lh, err := policy.BuildLive(spec, env)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(lh.Server(policy.LiveHost{Index: 0, Scale: 1})(h))
	c := &http.Client{Timeout: 5 * time.Second}
	t.Cleanup(func() { c.CloseIdleConnections(); srv.Close() })
	return srv, c
}

func code(t *testing.T, c *http.Client, url string) int {
	t.Helper()
	r, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, r.Body)
	r.Body.Close()
	return r.StatusCode
}

// blocking is a handler that holds every request until release closes (5 s
// at most), and says when one is inside.
func blocking() (http.Handler, chan struct{}, chan struct{}) {
	release, inside := make(chan struct{}), make(chan struct{}, 100)
	return http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		inside <- struct{}{}
		select {
		case <-release:
		case <-time.After(5 * time.Second):
		}
	}), release, inside
}

// TestConcurrencyLimits: the adaptive limiter at its defaults admits 20 at
// once (its initial limit) and refuses the 21st with 429; a bulkhead of 1
// refuses the second.
func TestConcurrencyLimits(t *testing.T) {
	for _, c := range []struct {
		spec string
		n    int
	}{{"failsafe-adaptive-limiter", 20}, {"failsafe-bulkhead:max=1", 1}} {
		h, release, inside := blocking()
		srv, cl := server(t, c.spec, h)
		var wg sync.WaitGroup
		for range c.n {
			wg.Add(1)
			go func() { defer wg.Done(); code(t, cl, srv.URL) }()
			<-inside
		}
		if got := code(t, cl, srv.URL); got != http.StatusTooManyRequests {
			t.Errorf("%s: request %d: %d, want 429", c.spec, c.n+1, got)
		}
		close(release)
		wg.Wait()
	}
}

// TestRateLimiter: at 2 per wall second the second request at once is
// refused, and one 0.5 s on is admitted.
func TestRateLimiter(t *testing.T) {
	srv, cl := server(t, "failsafe-rate-limiter:rate=2", http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	if a, b := code(t, cl, srv.URL), code(t, cl, srv.URL); a != 200 || b != http.StatusTooManyRequests {
		t.Errorf("%d %d, want 200 429", a, b)
	}
	time.Sleep(550 * time.Millisecond)
	if c := code(t, cl, srv.URL); c != 200 {
		t.Errorf("0.5 s on: %d, want 200", c)
	}
}

// TestRateLimiterScaled: a rate as a multiple of capacity is per model
// second, so scale times as many per wall second.
func TestRateLimiterScaled(t *testing.T) {
	_, lh, err := policy.BuildLive("failsafe-rate-limiter:rate=0.1x", env) // 1 per model second
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(lh.Server(policy.LiveHost{Scale: 20})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})))
	defer srv.Close()
	cl := &http.Client{Timeout: 5 * time.Second}
	defer cl.CloseIdleConnections()
	code(t, cl, srv.URL)
	time.Sleep(60 * time.Millisecond) // over one model second at 20x (50 ms)
	if c := code(t, cl, srv.URL); c != 200 {
		t.Errorf("60 ms on at 20x: %d, want 200", c)
	}
}

// TestBreakersOpen: failures open each breaker: failsafe-go's after its
// first (429 then), gobreaker after more than failures in a row (503),
// failsafe-go's throttler rejects a share once failures dominate.
func TestBreakersOpen(t *testing.T) {
	fail := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	srv, cl := server(t, "failsafe-circuit-breaker", fail)
	if a, b := code(t, cl, srv.URL), code(t, cl, srv.URL); a != 503 || b != http.StatusTooManyRequests {
		t.Errorf("failsafe-go breaker: %d %d, want 503 (the handler) then 429 (open)", a, b)
	}
	srv, cl = server(t, "gobreaker:failures=2", fail)
	var got []int
	for range 4 {
		got = append(got, code(t, cl, srv.URL))
	}
	if !slices.Equal(got, []int{503, 503, 503, 503}) || !strings.Contains(openBody(t, cl, srv.URL), "circuit breaker is open") {
		t.Errorf("gobreaker: %v, want the handler's three 503s then open", got)
	}
	srv, cl = server(t, "failsafe-adaptive-throttler", fail)
	refused := 0
	for range 50 {
		if code(t, cl, srv.URL) == http.StatusTooManyRequests {
			refused++
		}
	}
	if refused < 10 {
		t.Errorf("throttler: %d of 50 failing requests refused, want many", refused)
	}
}

func openBody(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	r, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return string(b)
}

// TestRetry: the retry policy retries a 503 twice within one RoundTrip and
// returns the third answer; with retries=0 the first.
func TestRetry(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if n.Add(1)%3 != 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "busy")
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	for _, c := range []struct {
		spec  string
		want  int
		sends int64
	}{{"failsafe-retry", 200, 3}, {"failsafe-retry:retries=0", 503, 1}} {
		n.Store(0)
		_, lh, err := policy.BuildLive(c.spec, env)
		if err != nil {
			t.Fatal(err)
		}
		tr := &http.Transport{}
		cl := &http.Client{Transport: lh.Client(policy.LiveHost{Scale: 1})(tr), Timeout: 5 * time.Second}
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL, nil)
		r, err := cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
		tr.CloseIdleConnections()
		if r.StatusCode != c.want || n.Load() != c.sends {
			t.Errorf("%s: %d after %d requests, want %d after %d", c.spec, r.StatusCode, n.Load(), c.want, c.sends)
		}
	}
}
