package backlog

import (
	"testing"
	"time"
)

func TestAdaptiveLIFOSwitchesWhenAQueueStands(t *testing.T) {
	q, _ := New[Stamp](Config{Kind: KindAdaptiveLIFO, Interval: 100 * ms}, nil)
	for _, s := range []Stamp{0, 1, 2} {
		q.Push(at(time.Duration(s)), s)
	}
	if v, _ := q.Pop(at(10 * ms)); v != 0 {
		t.Fatalf("young queue served %v, want FIFO (0)", v)
	}
	if v, _ := q.Pop(at(150 * ms)); v != 2 {
		t.Fatalf("standing queue served %v, want LIFO (2)", v)
	}
}
