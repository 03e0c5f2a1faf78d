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

// stalling is a loopback target whose every request waits until its client
// gives up.
func stalling(t *testing.T) (url string, stop func()) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })}
	go hs.Serve(l)
	return "http://" + l.Addr().String(), func() { hs.Close() }
}

// TestEveryScheduledAttemptHasAResult: 200 droplets all due at the start,
// one worker, a target that never answers and a 500 ms timeout (scale 120)
// over a 1 s attack: the worker sends two or three, and every other
// scheduled attempt is recorded at the end as unsent, with its latency to
// the end; every scheduled attempt has exactly one result (sequence numbers
// 0 to scheduled-1), the invariant holds, and the attack did not keep up.
func TestEveryScheduledAttemptHasAResult(t *testing.T) {
	url, stop := stalling(t)
	defer stop()
	set := setup(t, "none", 200)
	rec := &recorded{}
	start := time.Now()
	clock := live.Clock{Start: start, Scale: 120} // at 1200 a stall of 100 ms at the start left nothing sent
	o, err := attack.Run(context.Background(), attack.Config{Setup: set, Target: url, Workers: 1, MaxWorkers: 1,
		Clock: clock, Pacer: vegeta.ConstantPacer{}, Until: 2 * time.Minute, Recorder: rec})
	if err != nil {
		t.Fatal(err)
	}
	end := time.Now()
	if err := o.Invariant(); err != nil {
		t.Error(err)
	}
	if o.Scheduled < 200 || o.Sent < 1 || o.Sent > 4 || o.Unsent != o.Scheduled-o.Sent || o.KeptUp() {
		t.Errorf("outcome %+v: want 200+ scheduled, 1 to 4 sent, the rest unsent, not kept up", o)
	}
	if int64(len(rec.rs)) != o.Scheduled {
		t.Fatalf("%d results for %d scheduled attempts", len(rec.rs), o.Scheduled)
	}
	seqs := make([]uint64, len(rec.rs))
	for i, r := range rec.rs {
		seqs[i] = r.Seq
	}
	slices.Sort(seqs)
	for i, s := range seqs {
		if s != uint64(i) {
			t.Fatalf("sequence numbers %v..., want 0 to %d once each", seqs[:min(len(seqs), i+2)], len(seqs)-1)
		}
	}
	unsent := rec.count(func(r vegeta.Result) bool { return record.OutcomeOf(&r) == record.Unsent })
	if int64(unsent) != o.Unsent {
		t.Errorf("%d unsent results, outcome says %d", unsent, o.Unsent)
	}
	// An unsent attempt's latency runs from its intended time to the end of
	// the attack, after the last sent attempt timed out.
	for _, r := range rec.rs {
		if record.OutcomeOf(&r) != record.Unsent {
			continue
		}
		if r.Code != 0 || r.Error != record.UnsentError || !strings.Contains(r.URL, "/v1/lease?droplet=") ||
			r.End().Before(clock.Wall(2*time.Minute)) || r.End().After(end) {
			t.Fatalf("unsent result %+v: want code 0, error unsent, its URL, ending at the attack's end", r)
		}
	}
	last := rec.ticks[len(rec.ticks)-1]
	if last.Scheduled != o.Scheduled || last.Sent != o.Sent {
		t.Errorf("last tick %+v, want scheduled %d, sent %d", last, o.Scheduled, o.Sent)
	}
}

// TestKeptUp: the rule's edges. Of 1,000 scheduled attempts, 10 late or
// unsent is 1% and keeps up, 11 does not; a worst lateness of a tenth of
// the timeout keeps up, a microsecond more does not.
func TestKeptUp(t *testing.T) {
	o := attack.Outcome{Scheduled: 1000, Sent: 995, Unsent: 5, Late: 5, MaxLag: 100 * time.Millisecond, Timeout: time.Second}
	if !o.KeptUp() {
		t.Errorf("%+v: 1%% behind, worst at a tenth of the timeout: want kept up", o)
	}
	o.Late++
	if o.KeptUp() {
		t.Errorf("%+v: 1.1%% behind: want not kept up", o)
	}
	o.Late--
	o.MaxLag += time.Microsecond
	if o.KeptUp() {
		t.Errorf("%+v: worst past a tenth of the timeout: want not kept up", o)
	}
	if !(attack.Outcome{Timeout: time.Second}).KeptUp() {
		t.Error("nothing scheduled: want kept up")
	}
	if (attack.Outcome{Scheduled: 4, Sent: 0, Unsent: 4, Timeout: time.Second}).KeptUp() {
		t.Error("4 of 4 unsent, none late: want not kept up")
	}
}

// TestInvariant: a consistent outcome passes; each broken invariant is
// named with its numbers in one line.
func TestInvariant(t *testing.T) {
	ok := attack.Outcome{Scheduled: 3000, Sent: 10, Unsent: 2990, Attempts: 10}
	if err := ok.Invariant(); err != nil {
		t.Errorf("%+v: %v", ok, err)
	}
	for _, c := range []struct {
		mod  func(*attack.Outcome)
		want string
	}{
		{func(o *attack.Outcome) { o.Unsent = 2986; o.Sent = 4 }, `attack: invariant "scheduled = sent + unsent" broken: scheduled 3000, sent 4, unsent 2986`},
		{func(o *attack.Outcome) { o.Attempts = 9 }, `attack: invariant "one result per scheduled attempt" broken: scheduled 3000, results 2999`},
		{func(o *attack.Outcome) { o.Late = -1 }, `attack: invariant "counts >= 0" broken`},
	} {
		o := ok
		c.mod(&o)
		if err := o.Invariant(); err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: %v, want %s", o, err, c.want)
		}
	}
}

// TestShardWithoutDroplets: a shard past the last droplet is refused, with
// its name and the droplet count.
func TestShardWithoutDroplets(t *testing.T) {
	set := setup(t, "none", 5)
	_, err := attack.Run(context.Background(), attack.Config{Setup: set, Target: "http://127.0.0.1:1", Shard: live.Shard{I: 7, N: 10},
		Clock: live.Clock{Start: time.Now(), Scale: 600}})
	if err == nil || !strings.Contains(err.Error(), "shard 7/10 has 0 of 5 droplets") {
		t.Errorf("shard 7/10 of 5 droplets: %v", err)
	}
	if err := attack.NoDroplets(live.Shard{I: 4, N: 10}, 5); err != nil {
		t.Errorf("shard 4/10 of 5 droplets: %v", err)
	}
}

// TestClientRefusalsKeepTicksCounting: a circuit breaker refuses many of
// the attempts due against a stalling target; every tick counts the
// attempts scheduled so far and no fewer than the tick before (a refusal is
// decided when the attempt is due, before a tick counts it), so the Writer,
// which refuses a count that goes down, takes every tick. (Ticks used to
// count attempts due but not yet put to the breaker, and a later refusal
// took the count down: "scheduled 1079 below the previous tick's 1080".)
func TestClientRefusalsKeepTicksCounting(t *testing.T) {
	url, stop := stalling(t)
	defer stop()
	set := setup(t, "circuit-breaker", 300)
	start := time.Now()
	// Scale 300: the 8 min attack takes 1.6 s, a row every 10 s 33 ms, and
	// the breaker refuses thousands. (At 600, 100 ms timeouts, a loaded
	// machine's stalls put the attack minutes behind and the breaker
	// refused as few as 20.)
	w, err := record.Create(record.Options{Dir: t.TempDir(), Scenario: "live-small", Policy: "circuit-breaker", Seed: 1, Droplets: 300,
		Start: start, TimeScale: 300, Interval: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	o, err := attack.Run(context.Background(), attack.Config{Setup: set, Target: url, Interval: 10 * time.Second,
		Workers: 300, // one per droplet from the start: the surge needs them at once, and a loaded machine is slow to grow the pool
		Clock:   live.Clock{Start: start, Scale: 300}, Recorder: w})
	if err != nil {
		w.Abort()
		t.Fatalf("%v (outcome %+v)", err, o)
	}
	if err := w.Close(record.Summary{Complete: true}); err != nil {
		t.Fatal(err)
	}
	if o.ClientRefused < 100 || o.Invariant() != nil || w.Summary().Invariant() != nil {
		t.Errorf("outcome %+v: want refusals at the client and the invariants kept (%v, %v)", o, o.Invariant(), w.Summary().Invariant())
	}
}
