package backlog

import (
	"slices"
	"testing"
	"time"
)

func TestDeadlineDropSkipsAbandonedWork(t *testing.T) {
	var dropped []Stamp
	q, _ := New[Stamp](Config{Kind: KindDeadlineDrop, Timeout: time.Second}, func(s Stamp) { dropped = append(dropped, s) })
	q.Push(at(0), 0)
	q.Push(at(500*ms), Stamp(500*ms))
	if v, ok := q.Pop(at(1200 * ms)); !ok || v != Stamp(500*ms) || !slices.Equal(dropped, []Stamp{0}) {
		t.Fatalf("served %v (%v), dropped %v", v, ok, dropped)
	}
}
