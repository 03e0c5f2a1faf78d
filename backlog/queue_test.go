package backlog

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDisciplineOrder(t *testing.T) {
	in := []Stamp{1, 2, 3, 4}
	for _, c := range []struct {
		kind string
		want []Stamp
	}{
		{KindFIFO, []Stamp{1, 2, 3, 4}},
		{KindLIFO, []Stamp{4, 3, 2, 1}},
		{KindBounded, []Stamp{1, 2, 3}}, // capacity 3: the 4th was refused
	} {
		q, err := New[Stamp](Config{Kind: c.kind, Capacity: 3}, nil)
		if err != nil {
			t.Fatal(err)
		}
		refused := 0
		for _, s := range in {
			if !q.Push(at(time.Duration(s)), s) {
				refused++
			}
		}
		if got := pops(q, at(10), 10); !slices.Equal(got, c.want) {
			t.Errorf("%s: served %v, want %v", c.kind, got, c.want)
		}
		if c.kind == KindBounded && refused != 1 {
			t.Errorf("bounded: refused %d, want 1", refused)
		}
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, c := range []Config{
		{Kind: "random"},
		{Kind: KindCoDel, Target: 0, Interval: ms},
		{Kind: KindCoDel, Target: 2 * ms, Interval: ms},
		{Kind: KindFBCoDel, Target: 0, Interval: ms},
		{Kind: KindFBCoDel, Target: 2 * ms, Interval: ms},
		{Kind: KindDeadlineDrop},
		{Kind: KindBounded},
		{Kind: KindAdaptiveLIFO},
	} {
		if _, err := New[Stamp](c, nil); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}

func TestDisciplinesDoNotAllocate(t *testing.T) {
	for _, k := range []string{KindFIFO, KindLIFO, KindAdaptiveLIFO, KindCoDel, KindFBCoDel, KindDeadlineDrop, KindBounded} {
		q, _ := New[Stamp](Config{Kind: k, Target: 5 * ms, Interval: 100 * ms, Timeout: time.Hour, Capacity: 1 << 20}, func(Stamp) {})
		for i := 0; i < 3000; i++ {
			q.Push(at(0), 0)
		}
		now := time.Duration(0)
		if a := testing.AllocsPerRun(2000, func() { now++; q.Push(at(now), Stamp(now)); q.Pop(at(now)) }); a != 0 {
			t.Errorf("%s: %v allocs per push+pop", k, a)
		}
	}
}

func TestDrainHandsEveryItemOver(t *testing.T) {
	q := &FIFO[Stamp]{}
	for i := 0; i < 2500; i++ {
		q.Push(at(0), Stamp(i))
	}
	n := 0
	q.Drain(func(Stamp) { n++ })
	if n != 2500 || q.Len() != 0 {
		t.Fatalf("drained %d, left %d", n, q.Len())
	}
}

// TestConfigsRejectInvalid: Config.Validate and Backoff.Validate refuse each
// invalid extreme of each field with "backlog: <what> <field> <value> ...",
// and New returns Config.Validate's error.
func TestConfigsRejectInvalid(t *testing.T) {
	minInt := math.MinInt
	for _, c := range []struct {
		c    Config
		want string
	}{
		{Config{Kind: "random"}, `backlog: unknown discipline "random"`},
		{Config{Kind: "FIFO"}, `backlog: unknown discipline "FIFO"`},
		{Config{Kind: KindAdaptiveLIFO}, "backlog: adaptive-lifo interval 0s "},
		{Config{Kind: KindAdaptiveLIFO, Interval: -ms}, "backlog: adaptive-lifo interval -1ms "},
		{Config{Kind: KindCoDel, Interval: ms}, "backlog: codel target 0s "},
		{Config{Kind: KindCoDel, Target: -ms, Interval: ms}, "backlog: codel target -1ms "},
		{Config{Kind: KindCoDel, Target: 2 * ms, Interval: ms}, "backlog: codel interval 1ms below target 2ms"},
		{Config{Kind: KindCoDel, Target: ms}, "backlog: codel interval 0s below target 1ms"},
		{Config{Kind: KindCoDel, Target: time.Duration(math.MaxInt64), Interval: time.Hour}, "backlog: codel interval 1h0m0s below target"},
		{Config{Kind: KindFBCoDel, Interval: ms}, "backlog: fb-codel target 0s "},
		{Config{Kind: KindFBCoDel, Target: 2 * ms, Interval: ms}, "backlog: fb-codel interval 1ms below target 2ms"},
		{Config{Kind: KindDeadlineDrop}, "backlog: deadline-drop timeout 0s "},
		{Config{Kind: KindDeadlineDrop, Timeout: -time.Hour}, "backlog: deadline-drop timeout -1h0m0s "},
		{Config{Kind: KindBounded}, "backlog: bounded capacity 0 "},
		{Config{Kind: KindBounded, Capacity: minInt}, "backlog: bounded capacity -9223372036854775808 "},
	} {
		err := c.c.Validate()
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%+v: Validate says %v, want it to start %q", c.c, err, c.want)
			continue
		}
		if _, nerr := New[Stamp](c.c, nil); nerr == nil || nerr.Error() != err.Error() {
			t.Errorf("%+v: New says %v, want Validate's %v", c.c, nerr, err)
		}
	}
	for _, c := range []struct {
		b    Backoff
		want string
	}{
		{Backoff{Base: -1}, "backlog: backoff base -1ns "},
		{Backoff{Cap: -time.Second}, "backlog: backoff cap -1s "},
		{Backoff{Base: 2 * time.Second, Cap: time.Second}, "backlog: backoff cap 1s below base 2s"},
		{Backoff{Multiplier: 0.5}, "backlog: backoff multiplier 0.5 "},
		{Backoff{Multiplier: -1}, "backlog: backoff multiplier -1 "},
		{Backoff{Multiplier: 101}, "backlog: backoff multiplier 101 "},
		{Backoff{Multiplier: math.NaN()}, "backlog: backoff multiplier NaN "},
		{Backoff{Multiplier: math.Inf(1)}, "backlog: backoff multiplier +Inf "},
		{Backoff{Jitter: -1}, "backlog: backoff jitter -1 "},
		{Backoff{Jitter: Decorrelated + 1}, "backlog: backoff jitter 4 "},
	} {
		if err := c.b.Validate(); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%+v: Validate says %v, want it to start %q", c.b, err, c.want)
		}
	}
	// Valid: the zero values, every kind with its fields set, and the
	// published defaults.
	for _, c := range []Config{
		{}, {Kind: KindFIFO}, {Kind: KindLIFO},
		{Kind: KindAdaptiveLIFO, Interval: DefaultInterval},
		{Kind: KindCoDel, Target: DefaultTarget, Interval: DefaultInterval},
		{Kind: KindCoDel, Target: DefaultTarget, Interval: DefaultTarget},
		{Kind: KindFBCoDel, Target: DefaultTarget, Interval: DefaultInterval},
		{Kind: KindDeadlineDrop, Timeout: time.Second},
		{Kind: KindBounded, Capacity: 1},
	} {
		if err := c.Validate(); err != nil {
			t.Errorf("%+v: %v", c, err)
		}
	}
	for _, b := range []Backoff{{}, {Base: time.Second, Cap: time.Minute, Multiplier: 2, Jitter: Decorrelated}, {Multiplier: 100}} {
		if err := b.Validate(); err != nil {
			t.Errorf("%+v: %v", b, err)
		}
	}
}
