package attack_test

import (
	"context"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/aftershock/aftershock/bench/live"
	"github.com/aftershock/aftershock/bench/live/attack"
	"github.com/aftershock/aftershock/bench/live/record"
)

func TestSchedule(t *testing.T) {
	got := attack.Schedule(vegeta.ConstantPacer{Freq: 10, Per: time.Second}, 4)
	want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond, 400 * time.Millisecond}
	if !slices.Equal(got, want) {
		t.Errorf("constant 10/s: %v, want %v", got, want)
	}
	p := attack.SurgePacer{At: []time.Duration{time.Second, time.Second, 3 * time.Second}}
	if got := attack.Schedule(p, 10); !slices.Equal(got, p.At) {
		t.Errorf("surge: %v, want %v (and a stop after the last)", got, p.At)
	}
	if r := p.Rate(time.Second); r != 2 {
		t.Errorf("rate at 1s: %v, want 2/s", r)
	}
	if w, stop := p.Pace(2*time.Second, 1); w != 0 || stop {
		t.Errorf("a late hit: wait %v stop %v, want 0 false", w, stop)
	}
}

// recorded keeps every result.
type recorded struct {
	rs    []vegeta.Result
	ticks []record.Tick
}

func (r *recorded) Add(x *vegeta.Result) error { r.rs = append(r.rs, *x); return nil }
func (r *recorded) Tick(t record.Tick) error   { r.ticks = append(r.ticks, t); return nil }
func (r *recorded) count(f func(vegeta.Result) bool) int {
	n := 0
	for _, x := range r.rs {
		if f(x) {
			n++
		}
	}
	return n
}

// TestTimeoutsClassifiedAndRetried: a target that never answers; every
// attempt times out after the establish timeout (scaled), comes back as
// Code 0 with an error starting "timeout", and is retried at once as a
// retry; timestamps are the intended instants.
func TestTimeoutsClassifiedAndRetried(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })}
	go hs.Serve(l)
	defer hs.Close()
	set := setup(t, "none", 3)
	rec := &recorded{}
	start := time.Now()
	// Scale 120: the 1 min establish timeout is 500 ms; 2m30s of model time
	// is 1.25 s, two timeouts and a half. (At 1200, 50 ms, a loaded
	// machine's stall of 80 ms brought the first timeouts past the end:
	// no retries.)
	o, err := attack.Run(context.Background(), attack.Config{Setup: set, Target: "http://" + l.Addr().String(),
		Clock: live.Clock{Start: start, Scale: 120}, Pacer: vegeta.ConstantPacer{}, Until: 150 * time.Second, Recorder: rec})
	if err != nil {
		t.Fatal(err)
	}
	if o.Attempts+o.Unsent != int64(len(rec.rs)) || o.TimedOut != o.Attempts || o.First != 3 || o.Retries < 3 {
		t.Errorf("outcome %+v, want every attempt sent timed out, 3 first and retries", o)
	}
	if n := rec.count(func(r vegeta.Result) bool { return r.Code == 0 && strings.HasPrefix(r.Error, "timeout") }); int64(n) != o.Attempts {
		t.Errorf("%d of %d results are Code 0 timeouts, want every one sent (%d)", n, len(rec.rs), o.Attempts)
	}
	if n := rec.count(func(r vegeta.Result) bool { return r.Attack == record.First && r.Timestamp.Equal(start) }); n != 3 {
		t.Errorf("%d first attempts intended at the start, want 3", n)
	}
	if n := rec.count(func(r vegeta.Result) bool { return r.Latency < o.Timeout }); n != 0 || o.Timeout != 500*time.Millisecond {
		t.Errorf("%d attempts ended before the %v timeout (want 500 ms)", n, o.Timeout)
	}
	if len(rec.ticks) == 0 || rec.ticks[len(rec.ticks)-1].Sent != o.Sent {
		t.Errorf("last tick %+v, want sent %d", rec.ticks[len(rec.ticks)-1], o.Sent)
	}
}

// TestClientControlRefusesAtTheClient: a circuit breaker in the attacker
// opens after timeouts; the droplets it refuses send nothing.
func TestClientControlRefusesAtTheClient(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })}
	go hs.Serve(l)
	defer hs.Close()
	set := setup(t, "circuit-breaker:min-requests=2,ratio=0.5,cooldown=10m", 10)
	rec := &recorded{}
	o, err := attack.Run(context.Background(), attack.Config{Setup: set, Target: "http://" + l.Addr().String(),
		Clock: live.Clock{Start: time.Now(), Scale: 120}, Pacer: vegeta.ConstantPacer{Freq: 1, Per: 5 * time.Millisecond},
		Until: 4 * time.Minute, Recorder: rec})
	if err != nil {
		t.Fatal(err)
	}
	// Without it, 10 droplets timing out every model minute for 4 minutes
	// send about 40 attempts.
	if o.ClientRefused == 0 || o.Scheduled != int64(len(rec.rs)) || o.TimedOut != o.Sent || o.Sent >= 20 {
		t.Errorf("outcome %+v: want the breaker to refuse at the client after the first timeouts", o)
	}
}
