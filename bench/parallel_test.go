package bench

import (
	"bytes"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/aftershock/aftershock/results"
)

// parallelPolicies are the four policies of the parallel-speed sweep: the
// collapsed run, the operators' fix, the announced mitigation and reserve
// (the slowest to the fastest run).
var parallelPolicies = []string{"none", "operator", "queue-size", "reserve"}

// sweepRows runs policies × seeds 1 … seeds of us-east-1 at droplets, parallel
// at a time, as `loadgen sweep` does (each run built when it starts), and
// returns sweep.csv's bytes with wall_s zeroed, the wall time, and each
// run's wall_s.
func sweepRows(tb testing.TB, droplets, seeds, parallel int) (string, time.Duration, []float64) {
	tb.Helper()
	sc := usEast1(tb)
	rows := make([]results.Summary, len(parallelPolicies)*seeds)
	walls := make([]float64, len(rows))
	start := time.Now()
	err := SweepFunc(len(rows), parallel, func(i int) Run {
		return Run{Scenario: sc, Policy: parallelPolicies[i/seeds], Seed: uint64(i%seeds + 1), Droplets: droplets}
	}, nil, func(i int, o Outcome) {
		walls[i], o.Summary.WallS = o.Summary.WallS, 0
		rows[i] = o.Summary
	})
	if err != nil {
		tb.Fatal(err)
	}
	wall := time.Since(start)
	var b bytes.Buffer
	if err := results.WriteSweep(&b, rows...); err != nil {
		tb.Fatal(err)
	}
	return b.String(), wall, walls
}

// TestSweepParallelSameRows: the sweep's rows do not depend on how many runs
// go at once.
func TestSweepParallelSameRows(t *testing.T) {
	one, _, _ := sweepRows(t, 2000, 1, 1)
	two, _, _ := sweepRows(t, 2000, 1, 2)
	if one != two || bytes.Count([]byte(one), []byte("\n")) != 5 {
		t.Fatalf("--parallel 1 and 2 give different rows:\n%s\n%s", one, two)
	}
}

// BenchmarkSweepParallel runs what `loadgen sweep --policies
// none,operator,queue-size,reserve --seeds 5 --droplets 1e5` does, with
// --parallel 1 and then --parallel 2 in the same iteration, and reports the
// wall time of each (p1-s, p2-s) and their ratio (speedup; the target is at
// least 1.7 on 2 idle cores). It fails if the two give different rows.
//
//	go test ./bench -run XXX -bench SweepParallel -benchtime 1x
func BenchmarkSweepParallel(b *testing.B) {
	var p1, p2, c1, c2 time.Duration
	var g1, g2, bound float64
	for b.Loop() {
		t0, gc0 := cpuTime(), gcCPU()
		one, w1, runs := sweepRows(b, 100_000, 5, 1)
		t1, gc1 := cpuTime(), gcCPU()
		two, w2, _ := sweepRows(b, 100_000, 5, 2)
		bound += scheduleBound(runs, 2)
		t2, gc2 := cpuTime(), gcCPU()
		g1, g2 = g1+gc1-gc0, g2+gc2-gc1
		if one != two {
			b.Fatalf("--parallel 1 and 2 give different rows:\n%s\n%s", one, two)
		}
		p1, p2 = p1+w1, p2+w2
		c1, c2 = c1+t1-t0, c2+t2-t1
	}
	b.ReportMetric(p1.Seconds()/float64(b.N), "p1-s")
	b.ReportMetric(p2.Seconds()/float64(b.N), "p2-s")
	b.ReportMetric(p1.Seconds()/p2.Seconds(), "speedup")
	// The most 2 at a time can gain with these runs' durations (from
	// --parallel 1), in this order: the sum over the makespan.
	b.ReportMetric(bound/float64(b.N), "bound")
	// CPU time (user + system) of each: equal when running two at once costs
	// nothing extra; a p2 above p1 is contention (GC, memory bandwidth), a
	// speedup below cpu ratio × 2 is the machine's other load.
	b.ReportMetric(c1.Seconds()/float64(b.N), "p1-cpu-s")
	b.ReportMetric(c2.Seconds()/float64(b.N), "p2-cpu-s")
	// The garbage collector's share of it (runtime/metrics' estimate).
	b.ReportMetric(g1/float64(b.N), "p1-gc-cpu-s")
	b.ReportMetric(g2/float64(b.N), "p2-gc-cpu-s")
}

// gcCPU is the runtime's estimate of the CPU seconds spent in the garbage
// collector so far.
func gcCPU() float64 {
	s := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64 {
		return 0
	}
	return s[0].Value.Float64()
}

// scheduleBound is the speedup of running jobs of the given durations, in
// order, k at a time (each to the first free slot), over running them one
// after another: their sum over the makespan.
func scheduleBound(durations []float64, k int) float64 {
	free := make([]float64, k) // when each slot is next free
	var sum, end float64
	for _, d := range durations {
		j := 0
		for i := range free {
			if free[i] < free[j] {
				j = i
			}
		}
		free[j] += d
		sum, end = sum+d, max(end, free[j])
	}
	if end == 0 {
		return 0
	}
	return sum / end
}

func TestScheduleBound(t *testing.T) {
	if got := scheduleBound([]float64{1, 1, 4}, 2); got != 1.2 { // slots end at 5 and 1
		t.Errorf("scheduleBound(1,1,4 over 2) = %v, want 1.2", got)
	}
	if got := scheduleBound([]float64{1, 1, 1, 1}, 2); got != 2 {
		t.Errorf("scheduleBound(1,1,1,1 over 2) = %v, want 2", got)
	}
}
