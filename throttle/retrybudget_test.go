package throttle

import (
	"fmt"
	"math/rand"
	"reflect"
	"testing"
	"time"
)

func TestRetryBudgetFloorRatioExpiry(t *testing.T) {
	s := time.Second
	b := ocMust(NewRetryBudget(DefaultRetryBudget))
	retries := func(now time.Duration) int { // retries allowed at now until refused
		n := 0
		for b.Retry(at(now), false) {
			n++
			if n > 1e6 {
				t.Fatal("unbounded")
			}
		}
		return n
	}
	// The floor alone: 10/s × 10 s, with no requests at all.
	if n := retries(0); n != 100 {
		t.Fatalf("floor: %d retries, want 100", n)
	}
	// Each request adds 0.2: 50 requests, 10 more retries.
	for i := 0; i < 50; i++ {
		b.Request(at(0))
	}
	if n := retries(0); n != 10 {
		t.Fatalf("50 requests: %d more retries, want 10", n)
	}
	for i := 0; i < 4; i++ {
		b.Request(at(5 * s))
	}
	if n := retries(5 * s); n != 0 {
		t.Fatalf("4 requests (0.8): %d more retries, want 0", n)
	}
	b.Request(at(5 * s))
	if n := retries(5 * s); n != 1 {
		t.Fatalf("5 requests (1.0): %d more retries, want 1", n)
	}
	// At 10 s the 0 s bucket leaves: 110 retries and 50 requests with it.
	// Left: 1 retry, 5 requests; budget 1 + 100.
	if n := retries(10*s - time.Nanosecond); n != 0 {
		t.Fatalf("just before the TTL: %d retries, want 0", n)
	}
	if n := retries(10 * s); n != 100 {
		t.Fatalf("after the TTL: %d retries, want 100", n)
	}

	// Requests expire on their own: with no floor, 10 requests fund 2 retries
	// for 10 s and no more.
	b = ocMust(NewRetryBudget(RetryBudgetConfig{Ratio: 0.2, MinPerSecond: 0, TTL: 10 * s, Buckets: 10}))
	if b.Retry(at(0), false) {
		t.Fatal("retry with no requests and no floor")
	}
	for i := 0; i < 10; i++ {
		b.Request(at(0))
	}
	if n := retries(0); n != 2 {
		t.Fatalf("10 requests: %d retries, want 2", n)
	}
	if n := retries(10 * s); n != 0 {
		t.Fatalf("after the TTL, requests gone: %d retries, want 0", n)
	}
	for i := 0; i < 5; i++ {
		b.Request(at(10 * s))
	}
	if n := retries(10 * s); n != 1 {
		t.Fatalf("5 fresh requests: %d retries, want 1", n)
	}
}

type budgetEvent struct {
	dt    time.Duration // since the previous event, >= 0
	retry bool          // a Retry call, else a Request
}

type budgetTrace struct {
	cfg    RetryBudgetConfig
	events []budgetEvent
}

func (b budgetTrace) GoString() string {
	return fmt.Sprintf("budget{%+v, events %v}", b.cfg, b.events)
}

func (budgetTrace) Generate(r *rand.Rand, _ int) reflect.Value {
	n := 1 + r.Intn(10)
	width := time.Duration(1+r.Intn(1000)) * time.Millisecond
	b := budgetTrace{cfg: RetryBudgetConfig{
		Ratio:        []float64{0, 0.1, 0.2, 0.29, 0.5, 1, r.Float64()}[r.Intn(7)],
		MinPerSecond: []float64{0, 0.5, 1, 10, r.Float64() * 5}[r.Intn(5)],
		TTL:          time.Duration(n) * width,
		Buckets:      n,
	}}
	b.events = make([]budgetEvent, r.Intn(400))
	for i := range b.events {
		var dt time.Duration
		switch r.Intn(3) {
		case 1:
			dt = time.Duration(r.Int63n(int64(width)))
		case 2:
			dt = time.Duration(r.Int63n(2 * int64(b.cfg.TTL)))
		}
		b.events[i] = budgetEvent{dt: dt, retry: r.Intn(3) == 0}
	}
	return reflect.ValueOf(b)
}

// TestPropertyRetryBudgetBound: for every allowed retry at t_j, the retries
// allowed in the TTL − TTL/Buckets before it (which the ring always covers),
// itself included, number at most Ratio·(requests in (t_j − TTL, t_j]) +
// MinPerSecond·TTL.
func TestPropertyRetryBudgetBound(t *testing.T) {
	total := 0
	quickCheck(t, func(b budgetTrace) bool {
		rb, err := NewRetryBudget(b.cfg)
		if err != nil {
			t.Log(err)
			return false
		}
		covered := b.cfg.TTL - b.cfg.TTL/time.Duration(b.cfg.Buckets)
		reserve := b.cfg.MinPerSecond * b.cfg.TTL.Seconds()
		var requests, retries []time.Duration // in call order
		var now time.Duration
		for k, e := range b.events {
			now += e.dt
			if !e.retry {
				rb.Request(t0.Add(now))
				requests = append(requests, now)
				continue
			}
			if !rb.Retry(t0.Add(now), false) {
				continue
			}
			retries = append(retries, now)
			n := 0
			for _, at := range retries {
				if at >= now-covered {
					n++
				}
			}
			q := 0
			for _, at := range requests {
				if at > now-b.cfg.TTL {
					q++
				}
			}
			if float64(n) > b.cfg.Ratio*float64(q)+reserve+1e-9 {
				t.Logf("event %d at %v: %d retries in the last %v, %d requests in the last %v: bound %v",
					k, now, n, covered, q, b.cfg.TTL, b.cfg.Ratio*float64(q)+reserve)
				return false
			}
		}
		total += len(retries)
		return true
	}, 500)
	if total == 0 {
		t.Fatal("no retry was ever allowed: the property is vacuous")
	}
}
