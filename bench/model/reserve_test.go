package model

import (
	"testing"
	"time"

	"github.com/aftershock/aftershock/throttle"
)

// TestGateReserve: behind a Reserver, a refusal carries the instant its
// booking falls due, and a booked attempt redeemed then enters; behind any
// other control, Reserve is Admit with no instant.
func TestGateReserve(t *testing.T) {
	r, err := throttle.NewReserve(throttle.ReserveConfig{Rate: 1, Burst: 1, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	g := NewGate(nil, r)
	t0 := time.Unix(0, 0)
	if ok, at := g.Reserve(t0, 0, false); !ok || !at.IsZero() {
		t.Fatalf("first attempt: ok=%v retryAt=%v, want admitted", ok, at)
	}
	ok, at := g.Reserve(t0, 0, false)
	if ok || !at.Equal(t0.Add(time.Second)) {
		t.Fatalf("second attempt: ok=%v retryAt=t0+%v, want booked at t0+1s", ok, at.Sub(t0))
	}
	if ok, _ := g.Reserve(at, 1, true); !ok {
		t.Fatal("a booked attempt redeemed on time, with room in the queue, was refused")
	}
	if ok, again := g.Reserve(at, 2, true); ok || !again.After(at) {
		t.Fatalf("a booked attempt redeemed into a full queue: ok=%v retryAt=%v, want booked again later", ok, again)
	}
	if g.serverRefused != 2 || g.clientRefused != 0 {
		t.Fatalf("refusals counted: server %d, client %d; want 2 (a booking and a rebooking), 0", g.serverRefused, g.clientRefused)
	}
	tb, _ := throttle.NewTokenBucket(throttle.TokenBucketConfig{Rate: 1, Burst: 1})
	g = NewGate(nil, tb)
	g.Reserve(t0, 0, false)
	if ok, at := g.Reserve(t0, 0, false); ok || !at.IsZero() {
		t.Fatalf("token bucket: ok=%v retryAt=%v, want a plain refusal", ok, at)
	}
}
