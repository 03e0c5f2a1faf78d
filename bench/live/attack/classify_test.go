package attack_test

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/aftershock/aftershock/bench/live"
	"github.com/aftershock/aftershock/bench/live/attack"
	"github.com/aftershock/aftershock/bench/live/record"
)

// hostile is a loopback target whose every request is answered by h.
func hostile(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: h}
	go hs.Serve(l)
	t.Cleanup(func() { hs.Close() })
	return "http://" + l.Addr().String()
}

// reset closes the request's connection with a reset (SO_LINGER 0).
func reset(w http.ResponseWriter) {
	c, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	c.(*net.TCPConn).SetLinger(0)
	c.Close()
}

// shortAttack: 20 droplets asking at once at scale 120 (a 500 ms timeout,
// a re-check every 170 ms or so) until model time until. (At 1200, a
// 50 ms timeout, a loaded machine's stall timed out an attempt the target
// had answered, or left every attempt due after the end, unsent.)
func shortAttack(t *testing.T, url string, until time.Duration, targets func(int, *vegeta.Target)) (attack.Outcome, *recorded) {
	t.Helper()
	rec := &recorded{}
	o, err := attack.Run(context.Background(), attack.Config{Setup: setup(t, "none", 20), Target: url, Targets: targets,
		Workers: 20, Clock: live.Clock{Start: time.Now(), Scale: 120}, Pacer: vegeta.ConstantPacer{}, Until: until, Recorder: rec})
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Invariant(); err != nil {
		t.Error(err)
	}
	return o, rec
}

// outcomes counts rec's results as the files count them.
func outcomes(rec *recorded) map[record.Outcome]int64 {
	n := map[record.Outcome]int64{}
	for i := range rec.rs {
		n[record.OutcomeOf(&rec.rs[i])]++
	}
	return n
}

// TestCutOffAnswerIsNoLease: a target that answers 200 with a
// Content-Length of 100,000, sends 7 bytes and resets the connection.
// No droplet takes a lease from it: every attempt sent is Code 0 with the
// read's error (as vegeta records it) and counts as an error, in the
// outcome and in the files alike. (The status line's 200 was kept: good
// 20 of 20, recovered.)
func TestCutOffAnswerIsNoLease(t *testing.T) {
	url := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100000")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte("partial"))
		w.(http.Flusher).Flush()
		reset(w)
	})
	o, rec := shortAttack(t, url, time.Minute, nil)
	if o.OK != 0 || o.Leased != 0 || o.Attempts == 0 || o.Failed != o.Attempts {
		t.Errorf("outcome %+v: want no lease, every attempt sent failed", o)
	}
	for _, r := range rec.rs {
		if r.Error != record.UnsentError && (r.Code != 0 || r.Error == "") {
			t.Fatalf("result code %d, error %q: want code 0 and the read's error", r.Code, r.Error)
		}
	}
	if n := outcomes(rec); n[record.Good] != 0 || n[record.Failed] != o.Failed {
		t.Errorf("the files count %v, the attack failed %d: want no good, the same failures", n, o.Failed)
	}
}

// TestTimeoutInTheURLIsNoTimeout: targets whose URL contains "timeout",
// on a target that resets every connection. Every attempt failed fast and
// asked again at a later check; none timed out, and the files count them
// as the attacker treated them. (The files counted every one a timeout:
// the word was searched in the whole error, URL included.)
func TestTimeoutInTheURLIsNoTimeout(t *testing.T) {
	url := hostile(t, func(w http.ResponseWriter, r *http.Request) { reset(w) })
	o, rec := shortAttack(t, "", time.Minute, func(d int, tgt *vegeta.Target) {
		tgt.Method, tgt.URL = http.MethodPost, url+"/timeout/v1/lease?droplet="+strconv.Itoa(d)
	})
	if o.Attempts == 0 || o.TimedOut != 0 || o.Failed != o.Attempts {
		t.Errorf("outcome %+v: want every attempt failed, none timed out", o)
	}
	if n := outcomes(rec); n[record.TimedOut] != o.TimedOut || n[record.Failed] != o.Failed {
		t.Errorf("the files count %v; the attack timed out %d, failed %d: want the same", n, o.TimedOut, o.Failed)
	}
}

// TestTimeoutsCountAsTheAttackerRetriedThem: a target at a URL with
// "timeout" in it that never answers: every attempt times out and is
// retried at once (two and a half timeouts: 40 or more attempts), and the
// files count exactly those timeouts.
func TestTimeoutsCountAsTheAttackerRetriedThem(t *testing.T) {
	url := hostile(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	o, rec := shortAttack(t, "", 150*time.Second, func(d int, tgt *vegeta.Target) {
		tgt.Method, tgt.URL = http.MethodPost, url+"/timeout/v1/lease?droplet="+strconv.Itoa(d)
	})
	if o.Attempts < 40 || o.TimedOut != o.Attempts || o.Retries < 20 {
		t.Errorf("outcome %+v: want every attempt timed out, and retries", o)
	}
	if n := outcomes(rec); n[record.TimedOut] != o.TimedOut || n[record.Failed] != 0 {
		t.Errorf("the files count %v; the attack timed out %d: want the same", n, o.TimedOut)
	}
}

// TestWaitForAConnectionIsLag: 20 droplets asking at once, 20 workers, one
// connection (--max-connections 1), a target that answers in 20 ms and a
// 50 ms timeout. The workers take every attempt at once, but most wait
// inside the attacker for the one connection until they time out: that
// wait is the load host's lag, so the attack did not keep up, and the
// attempts that never got a connection are counted; latencies still run
// from the intended instants. (Lateness was taken when a worker took the
// attempt: kept up, and every timeout blamed on the target.)
func TestWaitForAConnectionIsLag(t *testing.T) {
	var seen atomic.Int64
	url := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		seen.Add(1)
		time.Sleep(20 * time.Millisecond)
	})
	rec := &recorded{}
	start := time.Now()
	h := attack.DefaultHTTP
	h.MaxConnections = 1
	o, err := attack.Run(context.Background(), attack.Config{Setup: setup(t, "none", 20), Target: url, HTTP: &h,
		Workers: 20, Clock: live.Clock{Start: start, Scale: 1200}, Pacer: vegeta.ConstantPacer{}, Until: 30 * time.Second, Recorder: rec})
	if err != nil {
		t.Fatal(err)
	}
	if o.KeptUp() || o.MaxLag < o.Timeout/10 || o.Late == 0 || o.NoConn == 0 || o.TimedOut == 0 {
		t.Errorf("outcome %+v: want late attempts, some that never got a connection, not kept up", o)
	}
	if o.Sent <= seen.Load() {
		t.Errorf("sent %d, the target saw %d: want fewer seen", o.Sent, seen.Load())
	}
	if n := rec.count(func(r vegeta.Result) bool { return r.Attack == record.First && !r.Timestamp.Equal(start) }); n != 0 {
		t.Errorf("%d first attempts not stamped with their intended instant, the start", n)
	}
}

// TestOnTimeOnTheWire: the same attack with as many connections as
// workers keeps up: a connection got at once is no lag. At scale 12 a
// tenth of the timeout is 500 ms of wall time, which a loaded machine's
// stall of a worker does not reach, and waiting for a connection does
// (TestWaitForAConnectionIsLag's attempts wait their whole timeout).
func TestOnTimeOnTheWire(t *testing.T) {
	url := hostile(t, func(w http.ResponseWriter, r *http.Request) {})
	o, err := attack.Run(context.Background(), attack.Config{Setup: setup(t, "none", 20), Target: url,
		Workers: 20, Clock: live.Clock{Start: time.Now().Add(20 * time.Millisecond), Scale: 12}, Pacer: vegeta.ConstantPacer{Freq: 1, Per: time.Millisecond},
		Until: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if o.NoConn != 0 || o.OK != 20 || o.MaxLag >= o.Timeout/10 {
		t.Errorf("outcome %+v: want every attempt on the wire at once, and a lease", o)
	}
}

// TestRowsOnePerInterval: an attack that stops sending at 45 s (off its
// 10 s grid) while attempts it sent at the start are still out, until
// they time out at 60 s: it writes a row at every grid time until its
// last attempt ends, then its last row at that end, to the millisecond:
// no row spans more than an interval, and the last one's span is what is
// left. (The rows went 40 s, then 70 s: one row of 30 s, three intervals,
// ending after the attack did.)
func TestRowsOnePerInterval(t *testing.T) {
	url := hostile(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	rec := &recorded{}
	o, err := attack.Run(context.Background(), attack.Config{Setup: setup(t, "none", 20), Target: url, Workers: 20, Interval: 10 * time.Second,
		Clock: live.Clock{Start: time.Now(), Scale: 120}, Pacer: vegeta.ConstantPacer{}, Until: 45 * time.Second, Recorder: rec})
	if err != nil {
		t.Fatal(err)
	}
	if o.End < time.Minute {
		t.Fatalf("outcome %+v: want the attempts out until their timeout at 1m", o)
	}
	last := len(rec.ticks) - 1
	for k, tk := range rec.ticks[:last] {
		if tk.At != time.Duration(k+1)*10*time.Second {
			t.Errorf("row %d at %v, want %v", k+1, tk.At, time.Duration(k+1)*10*time.Second)
		}
	}
	if end := (o.End + time.Millisecond - 1).Truncate(time.Millisecond); rec.ticks[last].At != end || last < 6 {
		t.Errorf("%d rows, the last at %v: want one a grid time to 60s, then the end %v", last+1, rec.ticks[last].At, end)
	}
}
