package attack

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestDueQueueOrder: pops come in due order (ties by droplet), whatever the
// order of pushes; a push and a pop allocate nothing once the queue has
// grown.
func TestDueQueueOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var q dueQueue
	var want []due
	for i := range 1000 {
		d := due{at: time.Duration(rng.IntN(100)), droplet: int32(i)}
		q.push(d)
		want = append(want, d)
	}
	slices.SortFunc(want, func(a, b due) int {
		if a.at != b.at {
			return int(a.at - b.at)
		}
		return int(a.droplet - b.droplet)
	})
	for i, w := range want {
		if got := q.pop(); got != w {
			t.Fatalf("pop %d: %+v, want %+v", i, got, w)
		}
	}
	if _, ok := q.peek(); ok {
		t.Error("queue not empty")
	}
	if a := testing.AllocsPerRun(100, func() { q.push(due{at: 5}); q.pop() }); a != 0 {
		t.Errorf("push+pop allocates %v", a)
	}
}
