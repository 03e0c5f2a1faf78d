package bench

import (
	"encoding/csv"
	"io"
	"sort"
	"sync"

	"github.com/aftershock/aftershock/results"
)

// SweepWriter writes the rows of a sweep's runs that completed, in the
// order of the runs, each as soon as every run before it has finished, and
// flushes each so a partial file keeps up. Runs that were interrupted are
// left out; one that broke an invariant is written, complete=false, so the
// file shows which run it was. It is safe for concurrent use.
type SweepWriter struct {
	file    Flusher // nil: keep rows only
	rows    []results.Summary
	pending map[int]*results.Summary // finished out of order; nil: interrupted
	next    int
	header  bool
	wall    bool     // write wall_s
	columns []string // the model's own summary columns (a cascade's), after the others
	err     error
	mu      sync.Mutex
}

// Flusher is a file rows are written to, flushed after each.
type Flusher interface {
	io.Writer
	Flush() error
}

// NewSweepWriter writes to f (nil: keeps the rows only) sweep.csv's header
// (results.SweepHeader) with columns after it, then the rows; wall_s is
// written only if wall (Summary.Recorded).
func NewSweepWriter(f Flusher, columns []string, wall bool) *SweepWriter {
	return &SweepWriter{file: f, pending: map[int]*results.Summary{}, columns: columns, wall: wall}
}

// Failed reports whether a write has failed.
func (w *SweepWriter) Failed() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err != nil
}

// Err is the first write error.
func (w *SweepWriter) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// Rows are the rows kept so far, in order (with their wall time).
func (w *SweepWriter) Rows() []results.Summary {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.rows
}

// Done records run i's summary (runs numbered from 0); an interrupted run's
// row is left out, one that broke an invariant (violated) is written.
func (w *SweepWriter) Done(i int, s results.Summary, violated bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if s.Complete || violated {
		w.pending[i] = &s
	} else {
		w.pending[i] = nil
	}
	for {
		s, ok := w.pending[w.next]
		if !ok {
			return
		}
		delete(w.pending, w.next)
		w.next++
		if s != nil {
			w.write(*s)
		}
	}
}

// Close writes the finished runs still waiting for an earlier, interrupted
// one, in order, and the header if no row was written.
func (w *SweepWriter) Close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	idx := make([]int, 0, len(w.pending))
	for i := range w.pending {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	for _, i := range idx {
		if s := w.pending[i]; s != nil {
			w.write(*s)
		}
	}
	w.pending = nil
	if !w.header {
		w.write() // an empty sweep.csv still has its header
	}
}

func (w *SweepWriter) write(ss ...results.Summary) {
	w.rows = append(w.rows, ss...)
	if w.file == nil || w.err != nil {
		return
	}
	c := csv.NewWriter(w.file)
	if !w.header {
		w.header = true
		c.Write(append(append([]string(nil), results.SweepHeader...), w.columns...))
	}
	for _, s := range ss {
		c.Write(s.Recorded(w.wall).SweepRecord())
	}
	c.Flush()
	if err := c.Error(); err != nil {
		w.err = err
	} else {
		w.err = w.file.Flush()
	}
}
