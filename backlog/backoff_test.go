package backlog

import (
	"math/rand/v2"
	"testing"
	"testing/quick"
	"time"
)

func TestBackoffSchedules(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	exp := Backoff{Base: time.Second, Cap: 10 * time.Second, Multiplier: 2}
	for n, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second} {
		if got := exp.Delay(n+1, 0, r); got != want {
			t.Errorf("retry %d: %v, want %v", n+1, got, want)
		}
	}
	if d := (Backoff{}).Delay(5, 0, r); d != 0 {
		t.Errorf("zero Backoff waits %v", d)
	}
}

// TestBackoffStaysWithinBounds is the property: for every jitter, retry
// number and seed, 0 <= wait <= cap (or the uncapped exponential), equal
// jitter waits at least half, decorrelated at least the base.
func TestBackoffStaysWithinBounds(t *testing.T) {
	prop := func(seed uint64, baseMs, capMs uint16, n uint8, jit uint8, prevMs uint16) bool {
		b := Backoff{Base: time.Duration(baseMs%1000+1) * time.Millisecond, Multiplier: 2, Jitter: Jitter(jit % 4)}
		b.Cap = b.Base + time.Duration(capMs)*time.Millisecond
		r := rand.New(rand.NewPCG(seed, 7))
		retry := int(n%40) + 1
		d := b.Delay(retry, time.Duration(prevMs)*time.Millisecond, r)
		exp := b.Base
		for i := 1; i < retry && exp < b.Cap; i++ {
			exp *= 2
		}
		exp = min(exp, b.Cap)
		switch b.Jitter {
		case NoJitter:
			return d == exp
		case FullJitter:
			return d >= 0 && d <= exp
		case EqualJitter:
			return d >= exp/2 && d <= exp
		default:
			return d >= b.Base && d <= b.Cap
		}
	}
	if err := quick.Check(prop, &quick.Config{MaxCount: 5000}); err != nil {
		t.Fatal(err)
	}
}

func TestBackoffValidate(t *testing.T) {
	for _, b := range []Backoff{{Base: -1}, {Base: 2, Cap: 1}, {Multiplier: 0.5}, {Jitter: 9}} {
		if b.Validate() == nil {
			t.Errorf("%+v accepted", b)
		}
	}
	if _, err := ParseJitter("fully"); err == nil {
		t.Error("jitter fully accepted")
	}
}
