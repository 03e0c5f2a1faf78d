package bench

import (
	"errors"
	"sync/atomic"
	"testing"
)

// TestPoolStopsAtTheFirstError: no job starts after one has failed, at most
// parallel run at once, and the first error is returned.
func TestPoolStopsAtTheFirstError(t *testing.T) {
	var p pool
	var started, running, most atomic.Int64
	boom := errors.New("boom")
	err := p.run(100, 1, nil, func(i int) error {
		started.Add(1)
		if r := running.Add(1); r > most.Load() {
			most.Store(r)
		}
		defer running.Add(-1)
		if i == 3 {
			return boom
		}
		return nil
	})
	if err != boom || started.Load() != 4 || most.Load() != 1 {
		t.Errorf("error %v after %d jobs, %d at once; want boom after 4, 1 at once", err, started.Load(), most.Load())
	}
}

// TestPoolStop: stop is asked before each start.
func TestPoolStop(t *testing.T) {
	var p pool
	n := 0
	err := p.run(10, 1, func() bool { return n >= 5 }, func(i int) error {
		p.locked(func() { n++ })
		return nil
	})
	if err != nil || n != 5 {
		t.Errorf("ran %d jobs (error %v), want 5", n, err)
	}
}
