package bench

import (
	"bytes"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/results"
)

// The sweep keeps rows in run order; an interrupted run is left out, and a
// run that broke an invariant is written, marked incomplete, so the file
// shows which run it was.
func TestSweepWriterKeepsAViolatedRunAndDropsAnInterruptedOne(t *testing.T) {
	w := NewSweepWriter(nil, nil, false)
	row := func(seed uint64, complete bool) results.Summary {
		return results.Summary{Scenario: "s", Policy: "p", Seed: seed, Complete: complete}
	}
	w.Done(2, row(3, true), false)
	w.Done(1, row(2, false), true)  // broke an invariant
	w.Done(0, row(1, false), false) // interrupted
	w.Done(3, row(4, true), false)
	w.Close()
	var got []uint64
	rows := w.Rows()
	for _, r := range rows {
		got = append(got, r.Seed)
	}
	if len(got) != 3 || got[0] != 2 || got[1] != 3 || got[2] != 4 || rows[0].Complete {
		t.Fatalf("rows %v (first complete=%t), want seeds 2 (incomplete), 3, 4", got, rows[0].Complete)
	}
}

type flushBuffer struct {
	bytes.Buffer
	flushes int
}

func (b *flushBuffer) Flush() error { b.flushes++; return nil }

// TestSweepWriterWritesInOrderAsRunsFinish: a row is written (and flushed)
// as soon as every earlier run has finished, not before.
func TestSweepWriterWritesInOrderAsRunsFinish(t *testing.T) {
	var b flushBuffer
	w := NewSweepWriter(&b, []string{"extra"}, false)
	row := func(seed uint64) results.Summary {
		return results.Summary{Scenario: "s", Policy: "p", Seed: seed, Complete: true}
	}
	w.Done(1, row(2), false)
	if b.Len() != 0 {
		t.Fatalf("wrote %q before run 0 finished", b.String())
	}
	w.Done(0, row(1), false)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || !strings.HasSuffix(lines[0], ",extra") || b.flushes != 2 {
		t.Fatalf("after runs 1, 0: %d lines (%q), %d flushes; want the header and two rows, a flush each", len(lines), b.String(), b.flushes)
	}
	w.Close()
	if w.Err() != nil || len(w.Rows()) != 2 {
		t.Fatalf("rows %d, error %v", len(w.Rows()), w.Err())
	}
}

// TestSweepPlanCellOrder: points outermost, then policies, then seeds.
func TestSweepPlanCellOrder(t *testing.T) {
	p := SweepPlan{Points: make([]Point, 2), Policies: []string{"a", "b", "c"}, Seeds: 2}
	if p.Cells() != 12 {
		t.Fatalf("%d cells, want 12", p.Cells())
	}
	var got []string
	for i := range p.Cells() {
		pt, pol, seed := p.Cell(i)
		got = append(got, string(rune('0'+pt))+p.Policies[pol]+string(rune('0'+seed)))
	}
	want := "0a1 0a2 0b1 0b2 0c1 0c2 1a1 1a2 1b1 1b2 1c1 1c2"
	if strings.Join(got, " ") != want {
		t.Errorf("cells %v, want %s", got, want)
	}
	if e := p.Events(2, 7, []float64{1, 2, 3, 10, 20, 30}); e != 2+2+3+3+10 {
		t.Errorf("events of cells 2..6: %v, want 20", e)
	}
	if runs, combos := PlanRuns([]Vary{{Values: []string{"1", "2"}}, {Values: []string{"x", "y", "z"}}}, 3, 2, 100); runs != 36 || combos != 6 {
		t.Errorf("PlanRuns: %v runs, %d combos; want 36, 6", runs, combos)
	}
}
