package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/aftershock/aftershock/bench/live"
	"github.com/aftershock/aftershock/bench/live/server"
	"github.com/aftershock/aftershock/bench/policy"
	"github.com/aftershock/aftershock/bench/scenario"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// scenario text: one host of 10 droplets, 1 worker, 1 s of work per
// attempt; the dependency is out from 1m to 2m.
const text = `
name = "t"
horizon = "10m"
[dwfm]
droplets = 10
droplets_per_host = 10
check_interval = "1m"
lease_ttl_min = "1m"
lease_ttl_max = "1m"
establish_timeout = "1m"
[service]
workers = 1
service_time = "const(1s)"
[[trigger]]
kind = "dependency-outage"
at = "1m"
duration = "1m"
`

func setup(t *testing.T, spec string) *live.Setup {
	t.Helper()
	sc, err := scenario.Parse("t", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	set, err := live.Resolve(sc, spec, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// start serves set with model time 0 at start, scale 10 (1 s of work =
// 100 ms).
func start(t *testing.T, set *live.Setup, c server.Config) (*server.Server, string) {
	t.Helper()
	c.Setup = set
	s, err := server.New(c)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	bg := s.ServeBackground(l)
	t.Cleanup(func() {
		if serr, err := bg.Stop(); serr != nil || err != nil {
			t.Errorf("stop: serve %v, shutdown %v", serr, err)
		}
	})
	return s, "http://" + l.Addr().String()
}

func post(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	r, err := c.Post(url, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	io.Copy(io.Discard, r.Body)
	return r.StatusCode, r.Header.Get(server.QueueHeader)
}

func TestLeaseOutageAndInfo(t *testing.T) {
	set := setup(t, "none")
	now := time.Now()
	s, url := start(t, set, server.Config{Clock: live.Clock{Start: now, Scale: 10}})
	c := &http.Client{Timeout: 5 * time.Second}
	defer c.CloseIdleConnections()
	t0 := time.Now()
	if code, q := post(t, c, url+"/v1/lease?droplet=3"); code != 200 || q != "0" {
		t.Errorf("lease: %d queue %q, want 200 queue 0", code, q)
	}
	if d := time.Since(t0); d < 90*time.Millisecond {
		t.Errorf("lease answered in %v, want about 100 ms (1 s of work at scale 10)", d)
	}
	for _, bad := range []string{"droplet=10", "droplet=-1", "droplet=x", ""} {
		if code, _ := post(t, c, url+"/v1/lease?"+bad); code != 400 {
			t.Errorf("%q: %d, want 400", bad, code)
		}
	}
	r, err := c.Get(url + "/v1/lease?droplet=1")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET lease: %d, want 405", r.StatusCode)
	}
	var info server.Info
	r, err = c.Get(url + "/v1/info")
	if err != nil {
		t.Fatal(err)
	}
	err = json.NewDecoder(r.Body).Decode(&info)
	r.Body.Close()
	if err != nil || !info.Start.Equal(now) || info.TimeScale != 10 || info.Droplets != 10 || info.Scenario != "t" {
		t.Errorf("info %+v (%v)", info, err)
	}
	// Into the outage (model 1m = 6 s wall at scale 10 is too long for a
	// test: restart the clock there instead).
	s2, url2 := start(t, set, server.Config{Clock: live.Clock{Start: time.Now().Add(-7 * time.Second), Scale: 10}})
	if code, _ := post(t, c, url2+"/v1/lease?droplet=3"); code != 503 {
		t.Errorf("in the outage: %d, want 503", code)
	}
	if st := s2.Stats(); st.Outage != 1 || st.Leased != 0 {
		t.Errorf("stats in the outage %+v", st)
	}
	if st := s.Stats(); st.Leased != 1 || st.Worked != 1 {
		t.Errorf("stats %+v", st)
	}
	r, err = c.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	for _, w := range []string{`aftershock_lease_responses_total{code="200"} 1`, `aftershock_lease_responses_total{code="400"} 4`, "aftershock_queued_attempts 0", `aftershock_work_model_seconds_total{outcome="good"} 1`} {
		if !strings.Contains(string(b), w) {
			t.Errorf("metrics lack %q", w)
		}
	}
}

// TestAbandonedWorkIsStillWorked: a client that gives up leaves its attempt
// queued, and the worker spends its time on it anyway (wasted).
func TestAbandonedWorkIsStillWorked(t *testing.T) {
	set := setup(t, "none")
	s, url := start(t, set, server.Config{Clock: live.Clock{Start: time.Now(), Scale: 10}})
	c := &http.Client{Timeout: 30 * time.Millisecond}
	defer c.CloseIdleConnections()
	for d := range 3 {
		if _, err := c.Post(url+"/v1/lease?droplet="+string(rune('0'+d)), "", nil); err == nil {
			t.Fatalf("droplet %d answered within 30 ms; want a timeout", d)
		}
	}
	deadline := time.Now().Add(3 * time.Second)
	for s.Stats().Worked < 3 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if st := s.Stats(); st.Worked != 3 || st.Wasted != 3 || st.Abandoned != 3 || st.Leased != 0 {
		t.Errorf("stats %+v, want 3 attempts worked for nobody", st)
	}
}

// TestAdmissionAndHardLimit: queue-size refuses with 429 once a queue
// stands; the hard limit answers 503 whatever the policy.
func TestAdmissionAndHardLimit(t *testing.T) {
	for _, c := range []struct {
		spec      string
		maxQueued int
		want      int
	}{
		{"queue-size", 0, http.StatusTooManyRequests},
		{"none", 2, http.StatusServiceUnavailable},
	} {
		t.Run(c.spec, func(t *testing.T) {
			set := setup(t, c.spec)
			s, url := start(t, set, server.Config{Clock: live.Clock{Start: time.Now(), Scale: 1}, MaxQueued: c.maxQueued})
			cl := &http.Client{Timeout: 5 * time.Second}
			defer cl.CloseIdleConnections()
			var wg sync.WaitGroup
			codes := make(chan int, 20)
			for d := range 10 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r, err := cl.Post(url+"/v1/lease?droplet="+string(rune('0'+d)), "", nil)
					if err != nil {
						return
					}
					r.Body.Close()
					codes <- r.StatusCode
				}()
			}
			n, timeout := 0, time.After(3*time.Second)
		wait:
			for n < 5 {
				select {
				case code := <-codes:
					if code == c.want {
						n++
					}
				case <-timeout:
					break wait
				}
			}
			if n < 5 {
				t.Errorf("%d answers %d, want at least 5 (stats %+v)", n, c.want, s.Stats())
			}
			cl.CloseIdleConnections()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			s.Shutdown(ctx) // the waiting requests are answered 503 at once
			wg.Wait()
		})
	}
}

func TestConfigErrors(t *testing.T) {
	set := setup(t, "none")
	for _, c := range []server.Config{
		{},
		{Setup: set, Clock: live.Clock{Scale: 0}},
		{Setup: set, Clock: live.Clock{Scale: 10}, MaxQueued: -1},
	} {
		if _, err := server.New(c); err == nil || !strings.HasPrefix(err.Error(), "server: ") {
			t.Errorf("%+v: %v, want a server: error", c, err)
		}
	}
}

// TestOperatorRestart: the operator policy's restart at its model time
// drops the queue and the work in service; their clients get 503 at once.
func TestOperatorRestart(t *testing.T) {
	set := setup(t, "operator:at=3m3s")
	// Scale 5, model time 3m now: the restart is 0.6 s of wall time away,
	// each attempt's work 200 ms. (At 10, 0.3 s away, a stall of 300 ms
	// before the requests left none to lease; worked one by one instead of
	// dropped, the 8 answers take 1.6 s.)
	s, url := start(t, set, server.Config{Clock: live.Clock{Start: time.Now().Add(-36 * time.Second), Scale: 5}})
	cl := &http.Client{Timeout: 5 * time.Second}
	defer cl.CloseIdleConnections()
	var wg sync.WaitGroup
	codes := make(chan int, 8)
	t0 := time.Now()
	for d := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := cl.Post(url+"/v1/lease?droplet="+string(rune('0'+d)), "", nil)
			if err != nil {
				t.Error(err)
				return
			}
			r.Body.Close()
			codes <- r.StatusCode
		}()
	}
	wg.Wait()
	el := time.Since(t0)
	close(codes)
	n := map[int]int{}
	for c := range codes {
		n[c]++
	}
	if st := s.Stats(); st.Interventions != 1 || n[503] < 3 || n[200] < 1 || n[200]+n[503] != 8 || el > 1200*time.Millisecond {
		t.Errorf("answers %v in %v, stats %+v: want a few leases, then the rest 503 at the restart (0.6 s)", n, el, st)
	}
}

// TestReserveBooks: a reserving control answers a refusal with its
// booking (X-Aftershock-Retry-At in model seconds, Retry-After in wall
// seconds); the droplet that comes back with reserved=1 is let in.
func TestReserveBooks(t *testing.T) {
	set := setup(t, "reserve:rate=0.1,burst=1,limit=5")
	_, url := start(t, set, server.Config{Clock: live.Clock{Start: time.Now().Add(-30 * time.Second), Scale: 10}}) // model 5m: after the outage
	cl := &http.Client{Timeout: 5 * time.Second}
	defer cl.CloseIdleConnections()
	if code, _ := post(t, cl, url+"/v1/lease?droplet=1"); code != 200 {
		t.Fatalf("first: %d, want 200 (the burst)", code)
	}
	r, err := cl.Post(url+"/v1/lease?droplet=2", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	at, _ := strconv.ParseFloat(r.Header.Get(server.RetryAtHeader), 64)
	if r.StatusCode != 429 || at < 300 || at > 320 || r.Header.Get("Retry-After") == "" {
		t.Errorf("second: %d, retry at %q, Retry-After %q; want 429 booked about 10 model s on", r.StatusCode, r.Header.Get(server.RetryAtHeader), r.Header.Get("Retry-After"))
	}
	if code, _ := post(t, cl, url+"/v1/lease?droplet=2&reserved=1"); code != 200 {
		t.Errorf("redeemed: %d, want 200", code)
	}
}

// metric reads one series' value from the server's /metrics (-1: absent).
func metric(t *testing.T, c *http.Client, url, series string) float64 {
	t.Helper()
	r, err := c.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return -1
}

// TestAdmissionIsTheMiddleware: serve's admission is package httpmw's
// middleware and nothing else: every refusal by the control is one of its
// decisions (httpmw_decisions_total, per host), a concurrency limit's
// limit is its gauge, and the limit learns when the work leaves the host
// (httpmw.Later), not when the client gives up.
func TestAdmissionIsTheMiddleware(t *testing.T) {
	set := setup(t, "aimd:initial=1,min=1,max=1")
	// Scale 2: 1 s of work is 500 ms. (At 10, 100 ms, a stall of 80 ms
	// after the client gave up let the work end before the next request.)
	s, url := start(t, set, server.Config{Clock: live.Clock{Start: time.Now(), Scale: 2}})
	cl := &http.Client{Timeout: 5 * time.Second}
	defer cl.CloseIdleConnections()
	gone := &http.Client{Timeout: 20 * time.Millisecond} // gives up long before the 500 ms of work
	defer gone.CloseIdleConnections()
	if _, err := gone.Post(url+"/v1/lease?droplet=1", "", nil); err == nil {
		t.Fatal("answered within 20 ms")
	}
	// The abandoned attempt still holds the limit of 1 until its work ends.
	if code, _ := post(t, cl, url+"/v1/lease?droplet=2"); code != http.StatusTooManyRequests {
		t.Errorf("while the abandoned attempt is worked: %d, want 429", code)
	}
	for deadline := time.Now().Add(5 * time.Second); s.Stats().Worked < 1 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if code, _ := post(t, cl, url+"/v1/lease?droplet=3"); code != 200 {
		t.Errorf("once its work left: %d, want 200", code)
	}
	st := s.Stats()
	refused := metric(t, cl, url, `httpmw_decisions_total{host="0",outcome="refused"}`)
	admitted := metric(t, cl, url, `httpmw_decisions_total{host="0",outcome="admitted"}`)
	if st.Refused != 1 || refused != 1 || admitted != 2 || metric(t, cl, url, `httpmw_limit{host="0"}`) != 1 {
		t.Errorf("stats %+v; middleware refused %v, admitted %v: want 1 refusal, 2 admitted, limit 1", st, refused, admitted)
	}
}

// TestLivePartWrapsTheHost: a live-only policy's middleware (registered
// as a user would) stands in front of each host's queue and answers for
// it; requests in the dependency's outage never reach it.
func TestLivePartWrapsTheHost(t *testing.T) {
	teapotOnce.Do(func() { teapotErr = registerTeapot() })
	if teapotErr != nil {
		t.Fatal(teapotErr)
	}
	set := setup(t, "test-teapot")
	srv, url := start(t, set, server.Config{Clock: live.Clock{Start: time.Now(), Scale: 10}})
	cl := &http.Client{Timeout: 5 * time.Second}
	defer cl.CloseIdleConnections()
	r, err := cl.Post(url+"/v1/lease?droplet=2", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusTeapot || r.Header.Get("X-Host") != "0" || r.Header.Get("X-Scale") != "10" {
		t.Errorf("%d host %q scale %q, want 418 from host 0's middleware at scale 10", r.StatusCode, r.Header.Get("X-Host"), r.Header.Get("X-Scale"))
	}
	if code, _ := post(t, cl, url+"/v1/lease?droplet=1"); code != 200 {
		t.Errorf("passed through: %d, want 200", code)
	}
	// The part's own answer is an answer like any other, and its own
	// count; the one it let through is the host's, counted once.
	if st := srv.Stats(); st.LiveRefused != 1 || st.Leased != 1 {
		t.Errorf("stats: %d answered by the part, %d leased; want 1 and 1", st.LiveRefused, st.Leased)
	}
	for series, want := range map[string]float64{`aftershock_lease_responses_total{code="418"}`: 1, `aftershock_lease_responses_total{code="200"}`: 1,
		`aftershock_live_policy_answers_total{code="418"}`: 1, `aftershock_live_policy_answers_total{code="200"}`: -1} {
		if got := metric(t, cl, url, series); got != want {
			t.Errorf("/metrics: %s %v; want %v (-1: absent)", series, got, want)
		}
	}
	_, url2 := start(t, set, server.Config{Clock: live.Clock{Start: time.Now().Add(-7 * time.Second), Scale: 10}})
	if code, _ := post(t, cl, url2+"/v1/lease?droplet=2"); code != 503 {
		t.Errorf("in the outage: %d, want 503 before the middleware", code)
	}
}

// TestBackgroundStops: a server served in the background stops cleanly
// (Serve's http.ErrServerClosed is no error), and one whose listener fails
// says so: Done closes before Stop and Stop returns Serve's error.
func TestBackgroundStops(t *testing.T) {
	s, err := server.New(server.Config{Setup: setup(t, "none"), Clock: live.Clock{Start: time.Now(), Scale: 10}})
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	bg := s.ServeBackground(failing{l})
	select {
	case <-bg.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("Serve still running 5 s after its listener failed")
	}
	if serr, err := bg.Stop(); serr == nil || err != nil {
		t.Errorf("stop after the listener failed: serve %v, shutdown %v; want serve's error, no shutdown error", serr, err)
	}
}

// failing is a listener whose Accept fails at once.
type failing struct{ net.Listener }

func (f failing) Accept() (net.Conn, error) {
	f.Listener.Close()
	return nil, errors.New("accept failed")
}

// teapotOnce registers test-teapot once per process (go test -count=N runs
// TestLivePartWrapsTheHost N times; a second Register is refused).
var (
	teapotOnce sync.Once
	teapotErr  error
)

// registerTeapot registers test-teapot: a live-only policy, as a user
// would register one, whose middleware answers 418 (its host and scale in
// headers) to every droplet but 1.
func registerTeapot() error {
	return policy.Register(policy.Def{
		Name: "test-teapot", Roles: []policy.Role{policy.RoleAdmission}, Doc: "answers 418", Source: "this test",
		Live: func(policy.Args) (policy.LiveHooks, error) {
			return policy.LiveHooks{Server: func(h policy.LiveHost) func(http.Handler) http.Handler {
				return func(next http.Handler) http.Handler {
					return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						if r.URL.Query().Get("droplet") == "1" {
							next.ServeHTTP(w, r)
							return
						}
						w.Header().Set("X-Host", strconv.Itoa(h.Index))
						w.Header().Set("X-Scale", strconv.FormatFloat(h.Scale, 'g', -1, 64))
						w.WriteHeader(http.StatusTeapot)
					})
				}
			}}, nil
		},
	})
}
