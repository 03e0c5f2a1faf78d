package httpmw_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/aftershock/aftershock/throttle"
	"github.com/aftershock/aftershock/throttle/httpmw"
)

// clock is a settable clock for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 10, 20, 2, 25, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func mustNew(t testing.TB, c throttle.Admitter, o httpmw.Options) *httpmw.Middleware {
	t.Helper()
	m, err := httpmw.New(c, o)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// wait waits for c to close, 5 s at most: a test that hangs fails.
func wait(c <-chan struct{}) {
	select {
	case <-c:
	case <-time.After(5 * time.Second):
	}
}

func get() *http.Request { return httptest.NewRequest(http.MethodGet, "/", nil) }

// TestAdmissionRefuses: a refused request is answered 429 (or the status
// given) at once and the handler never runs; an admitted one reaches it.
func TestAdmissionRefuses(t *testing.T) {
	for _, status := range []int{0, http.StatusServiceUnavailable} {
		tb, _ := throttle.NewTokenBucket(throttle.TokenBucketConfig{Rate: 1, Burst: 2})
		clk := newClock()
		m := mustNew(t, tb, httpmw.Options{Now: clk.Now, Status: status})
		calls := 0
		h := m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { calls++ }))
		var codes []int
		for range 3 {
			codes = append(codes, serve(h, get()).Code)
		}
		want := max(status, http.StatusTooManyRequests)
		if codes[0] != 200 || codes[1] != 200 || codes[2] != want || calls != 2 {
			t.Errorf("status %d: codes %v, handler ran %d times; want 200 200 %d and 2", status, codes, calls, want)
		}
		clk.Add(time.Second) // one token back
		if c := serve(h, get()).Code; c != 200 {
			t.Errorf("a second later: %d, want 200", c)
		}
		if n := m.Counts(); n.Admitted != 3 || n.Refused != 1 {
			t.Errorf("counts %+v, want 3 admitted, 1 refused", n)
		}
	}
}

// TestQueueSizeOverRequestsInside: queue-size's queue is, by default, the
// requests inside the handler: with its limit of requests waiting there,
// the next is refused; once they leave it is admitted again.
func TestQueueSizeOverRequestsInside(t *testing.T) {
	q, _ := throttle.NewQueueSize(throttle.QueueSizeConfig{Rate: 1000, Limit: 3, Burst: 3})
	clk := newClock()
	m := mustNew(t, q, httpmw.Options{Now: clk.Now})
	release := make(chan struct{})
	entered := make(chan struct{}, 10)
	h := m.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		entered <- struct{}{}
		wait(release)
	}))
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() { defer wg.Done(); serve(h, get()) }()
		<-entered
	}
	if m.Inside() != 3 {
		t.Fatalf("inside %d, want 3", m.Inside())
	}
	if c := serve(h, get()).Code; c != http.StatusTooManyRequests {
		t.Errorf("with 3 inside (the limit): %d, want 429", c)
	}
	close(release)
	wg.Wait()
	clk.Add(time.Second)
	go func() { <-entered }()
	if c := serve(h, get()).Code; c != 200 || m.Inside() != 0 {
		t.Errorf("once they left: %d, inside %d; want 200, 0", c, m.Inside())
	}
}

// TestQueuedOption: a handler with its own queue says how long it is.
func TestQueuedOption(t *testing.T) {
	q, _ := throttle.NewQueueSize(throttle.QueueSizeConfig{Rate: 1000, Limit: 5, Burst: 1})
	queued := 5
	clk := newClock()
	m := mustNew(t, q, httpmw.Options{Now: clk.Now, Queued: func(*http.Request) int { return queued }})
	h := m.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	serve(h, get()) // the bucket's one token
	clk.Add(time.Second)
	if c := serve(h, get()).Code; c != http.StatusTooManyRequests {
		t.Errorf("a second on, queue 5 of limit 5 (no refill): %d, want 429", c)
	}
	queued = 0
	clk.Add(time.Second)
	if c := serve(h, get()).Code; c != 200 {
		t.Errorf("queue 0: %d, want 200", c)
	}
}

// fb is a control that admits everything and notes every outcome.
type fb struct {
	mu   sync.Mutex
	done []outcome
}

type outcome struct {
	latency time.Duration
	ok      bool
}

func (f *fb) Admit(time.Time, int) bool { return true }
func (f *fb) Done(_ time.Time, latency time.Duration, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.done = append(f.done, outcome{latency, ok})
}

func (f *fb) outcomes() []outcome {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]outcome(nil), f.done...)
}

// TestFeedback: a control with feedback hears each admitted request once,
// with its latency on the control's clock and whether it ended well: not
// when it answered 5xx or 429, nor when its client gave up.
func TestFeedback(t *testing.T) {
	f := &fb{}
	clk := newClock()
	m := mustNew(t, f, httpmw.Options{Now: clk.Now})
	status := 200
	h := m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		clk.Add(30 * time.Millisecond)
		if status != 200 {
			w.WriteHeader(status)
		}
		w.Write([]byte("x"))
	}))
	for _, s := range []int{200, 404, 500, 503, 429} {
		status = s
		serve(h, get())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // a client that gave up
	status = 200
	serve(h, get().WithContext(ctx))
	got := f.outcomes()
	want := []bool{true, true, false, false, false, false}
	if len(got) != len(want) {
		t.Fatalf("%d outcomes, want %d", len(got), len(want))
	}
	for i, o := range got {
		if o.ok != want[i] || o.latency != 30*time.Millisecond {
			t.Errorf("outcome %d: %+v, want ok %v after 30ms", i, o, want[i])
		}
	}
}

// TestLater: a handler that takes the report over makes it when its work
// ends, after it returned; the middleware reports nothing itself.
func TestLater(t *testing.T) {
	f := &fb{}
	clk := newClock()
	m := mustNew(t, f, httpmw.Options{Now: clk.Now})
	var rep *httpmw.Report
	h := m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		rep = httpmw.Later(w)
		w.WriteHeader(http.StatusServiceUnavailable) // its client is told now; the work goes on
	}))
	serve(h, get())
	if len(f.outcomes()) != 0 || rep == nil {
		t.Fatalf("reported %v at return, report %v: want nothing yet", f.outcomes(), rep)
	}
	clk.Add(2 * time.Second)
	rep.Done(true)
	rep.Done(false) // only the first counts
	if got := f.outcomes(); len(got) != 1 || got[0] != (outcome{2 * time.Second, true}) {
		t.Errorf("outcomes %v, want one: ok after 2s", got)
	}
	// Without feedback there is no report to take.
	m2 := mustNew(t, throttle.AdmitAll{}, httpmw.Options{})
	m2.Wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { rep = httpmw.Later(w) })).ServeHTTP(httptest.NewRecorder(), get())
	if rep != nil {
		t.Error("a Report from a control that learns nothing")
	}
	rep.Done(true) // a nil Report does nothing
}

// TestReserveBooks: a reserving control answers a refusal 429 with its
// booking: Retry-After in wall seconds (the scale divides), the exact
// instant in X-Retry-At; the client that comes back with it is let in.
func TestReserveBooks(t *testing.T) {
	r, _ := throttle.NewReserve(throttle.ReserveConfig{Rate: 0.1, Burst: 1}) // a slot every 10 s
	clk := newClock()
	t0 := clk.Now()
	m := mustNew(t, r, httpmw.Options{Now: clk.Now, Scale: 4, Status: http.StatusServiceUnavailable})
	h := m.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	if c := serve(h, get()).Code; c != 200 {
		t.Fatalf("first: %d, want 200", c)
	}
	w := serve(h, get())
	at := w.Header().Get(httpmw.RetryAtHeader)
	if w.Code != http.StatusTooManyRequests || at != t0.Add(10*time.Second).Format(time.RFC3339Nano) || w.Header().Get("Retry-After") != "3" {
		t.Errorf("second: %d, %s %q, Retry-After %q; want 429 booked 10 s on (3 wall s at scale 4)", w.Code, httpmw.RetryAtHeader, at, w.Header().Get("Retry-After"))
	}
	clk.Add(10 * time.Second)
	back := get()
	back.Header.Set(httpmw.RetryAtHeader, at)
	if c := serve(h, back).Code; c != 200 {
		t.Errorf("redeemed: %d, want 200", c)
	}
	if n := m.Counts(); n != (httpmw.Counts{Admitted: 1, Redeemed: 1, Booked: 1}) {
		t.Errorf("counts %+v", n)
	}
}

// TestSet: a new control takes over at once; nil admits everything.
func TestSet(t *testing.T) {
	m := mustNew(t, nil, httpmw.Options{Now: newClock().Now})
	h := m.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	if c := serve(h, get()).Code; c != 200 {
		t.Errorf("nil control: %d", c)
	}
	tb, _ := throttle.NewTokenBucket(throttle.TokenBucketConfig{Rate: 1, Burst: 1})
	m.Set(tb)
	if a, b := serve(h, get()).Code, serve(h, get()).Code; a != 200 || b != 429 || m.Control() != throttle.Admitter(tb) {
		t.Errorf("after Set: %d %d, want 200 429", a, b)
	}
}

// TestMetrics: decisions by outcome, requests inside, the limit.
func TestMetrics(t *testing.T) {
	l, _ := throttle.NewAIMD(throttle.AIMDConfig{Initial: 1, Min: 1, Max: 4, Backoff: 0.5, Timeout: time.Second})
	m := mustNew(t, l, httpmw.Options{Now: newClock().Now})
	reg := prometheus.NewPedanticRegistry()
	if err := m.Register(reg, prometheus.Labels{"host": "0"}); err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	in := make(chan struct{})
	h := m.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { in <- struct{}{}; wait(release) }))
	done := make(chan struct{})
	go func() { serve(h, get()); close(done) }()
	<-in
	serve(h, get()) // the limit is 1: refused
	want := `
# HELP httpmw_decisions_total Admission decisions, by outcome: admitted, redeemed (admitted holding a booking), refused, booked (refused with a booking).
# TYPE httpmw_decisions_total counter
httpmw_decisions_total{host="0",outcome="admitted"} 1
httpmw_decisions_total{host="0",outcome="booked"} 0
httpmw_decisions_total{host="0",outcome="redeemed"} 0
httpmw_decisions_total{host="0",outcome="refused"} 1
# HELP httpmw_in_flight Requests inside the wrapped handler (admitted, not yet returned).
# TYPE httpmw_in_flight gauge
httpmw_in_flight{host="0"} 1
# HELP httpmw_limit The control's limit in force (concurrency limits only).
# TYPE httpmw_limit gauge
httpmw_limit{host="0"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want)); err != nil {
		t.Error(err)
	}
	close(release)
	<-done
}

// TestOptionsRefused: options out of range are refused, one line each.
func TestOptionsRefused(t *testing.T) {
	for _, c := range []struct {
		o    httpmw.Options
		want string
	}{
		{httpmw.Options{Scale: -1}, "httpmw: scale -1 must be above 0"},
		{httpmw.Options{Status: 200}, "httpmw: status 200 is not an error status"},
		{httpmw.Options{Status: 600}, "httpmw: status 600 is not an error status"},
	} {
		if _, err := httpmw.New(nil, c.o); err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: %v, want %q", c.o, err, c.want)
		}
	}
}

// TestRetryAfterRoundsUp: Retry-After is whole seconds, rounded up, never
// negative.
func TestRetryAfterRoundsUp(t *testing.T) {
	r, _ := throttle.NewReserve(throttle.ReserveConfig{Rate: 1 / 2.5, Burst: 1})
	m := mustNew(t, r, httpmw.Options{Now: newClock().Now})
	h := m.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	serve(h, get())
	w := serve(h, get())
	if s, _ := strconv.Atoi(w.Header().Get("Retry-After")); s != 3 {
		t.Errorf("a booking 2.5 s on: Retry-After %q, want 3", w.Header().Get("Retry-After"))
	}
}
