package record

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// Merge combines runs into one: latency histograms merged bucket by bucket
// (percentiles are read from the merged histogram, never averaged), counts
// added, and the attack directories' rows added interval by interval.
//
// Attack directories must come from the same attack: the same scenario,
// policy, seed and time scale, rows at the same model times, and distinct
// shards of the same n. Of their summaries, counts (unsent among them),
// scheduled, sent and droplets add up; peak_queue, sim_s and wall_s are the
// largest; recovered holds when it held for every run, and recovery_s is the
// latest (exact for a condition every shard must meet, an upper bound for a
// fraction of the droplets); kept_up when every run kept up (false if any
// did not, else not recorded if any did not record it); complete when every
// run completed; shard is empty when the runs cover every shard of n, else
// the shards present ("0/3,1/3").
// Plain vegeta files add only to counts and latencies.
func Merge(runs ...*Run) (*Run, error) {
	if len(runs) == 0 {
		return nil, fmt.Errorf("record: nothing to merge")
	}
	out := &Run{Latency: NewHistogram()}
	out.Summary = Summary{Droplets: -1, PeakQueue: -1, RecoveryS: math.NaN(), TriggerEndS: math.NaN(),
		Undefined: true, KeptUpUnknown: true, Scheduled: -1, Sent: -1}
	var first *Run // first attack directory
	shards := map[string]string{}
	n := 0
	for _, r := range runs {
		out.Sources = append(out.Sources, r.Sources...)
		if dropped := out.Latency.Merge(r.Latency); dropped != 0 {
			return nil, fmt.Errorf("record: %s: %d latencies out of range", r.Sources[0], dropped)
		}
		out.Summary.Counts.Merge(r.Summary.Counts)
		out.Breakdown.Merge(r.Breakdown)
		if r.Attacks == 0 {
			continue
		}
		if err := out.mergeAttack(r, first, shards, &n); err != nil {
			return nil, err
		}
		if first == nil {
			first = r
		}
	}
	h := NewHistogram() // one row's latencies at a time
	for i := range out.Rows {
		h.Reset()
		out.Intervals[i].AddTo(h)
		p := percentiles(h)
		out.Rows[i].P50Ms, out.Rows[i].P99Ms, out.Rows[i].P999Ms = p[0], p[2], p[3]
	}
	s := &out.Summary
	s.Latency = QuantilesOf(out.Latency)
	if first != nil && len(shards) > 0 {
		if len(shards) < n {
			var have []string
			for sh := range shards {
				have = append(have, sh)
			}
			sort.Strings(have)
			s.Shard = strings.Join(have, ",")
		} else {
			s.Shard = ""
		}
	}
	return out, nil
}

// mergeAttack adds the attack directory r (already a merge, possibly) to out.
func (out *Run) mergeAttack(r, first *Run, shards map[string]string, n *int) error {
	s, rs := &out.Summary, r.Summary
	name := r.Sources[0]
	if first == nil {
		*s = Summary{Scenario: rs.Scenario, Policy: rs.Policy, Seed: rs.Seed, TimeScale: rs.TimeScale, Start: rs.Start,
			Droplets: -1, PeakQueue: -1, Recovered: true, RecoveryS: math.NaN(), TriggerEndS: rs.TriggerEndS,
			KeptUp: true, Complete: true, Counts: s.Counts}
	} else {
		fs := first.Summary
		switch {
		case rs.Scenario != fs.Scenario:
			return fmt.Errorf("record: %s is scenario %q, %s is %q: cannot merge different scenarios", name, rs.Scenario, first.Sources[0], fs.Scenario)
		case rs.Policy != fs.Policy:
			return fmt.Errorf("record: %s ran policy %q, %s ran %q: cannot merge different policies", name, rs.Policy, first.Sources[0], fs.Policy)
		case rs.Seed != fs.Seed:
			return fmt.Errorf("record: %s ran seed %d, %s seed %d: cannot merge different seeds", name, rs.Seed, first.Sources[0], fs.Seed)
		case rs.TimeScale != fs.TimeScale:
			return fmt.Errorf("record: %s ran at time scale %g, %s at %g: cannot merge", name, rs.TimeScale, first.Sources[0], fs.TimeScale)
		case !sameTime(rs.Start, fs.Start):
			return fmt.Errorf("record: %s started at %s, %s at %s: attackers must share the start time", name, rs.Start, first.Sources[0], fs.Start)
		}
	}
	for _, sh := range strings.Split(rs.Shard, ",") {
		if sh == "" {
			sh = "0/1"
		}
		_, k, err := ParseShard(sh)
		if err != nil {
			return fmt.Errorf("record: %s: %w", name, err)
		}
		if *n != 0 && k != *n {
			return fmt.Errorf("record: %s is shard %s, another source is a shard of %d", name, sh, *n)
		}
		*n = k
		if prev, dup := shards[sh]; dup && rs.Shard == "" {
			return fmt.Errorf("record: %s and %s are both whole attacks (no shard): report them one at a time", prev, name)
		} else if dup {
			return fmt.Errorf("record: %s and %s are both shard %s", prev, name, sh)
		}
		shards[sh] = name
	}
	s.Droplets = addOpt(s.Droplets, rs.Droplets)
	s.PeakQueue = max(s.PeakQueue, rs.PeakQueue)
	s.Scheduled = addOpt(s.Scheduled, rs.Scheduled)
	s.Sent = addOpt(s.Sent, rs.Sent)
	s.SimS = math.Max(nz(s.SimS), nz(rs.SimS))
	s.WallS = math.Max(nz(s.WallS), nz(rs.WallS))
	s.Complete = s.Complete && rs.Complete
	if s.KeptUp { // false once any run did not keep up; else not recorded once any run did not record it
		switch {
		case !rs.KeptUpUnknown && !rs.KeptUp:
			s.KeptUp, s.KeptUpUnknown = false, false
		case rs.KeptUpUnknown:
			s.KeptUpUnknown = true
		}
	}
	s.Undefined = rs.Undefined || (first != nil && s.Undefined)
	s.Recovered = s.Recovered && rs.Recovered && !s.Undefined
	if !s.Recovered {
		s.RecoveryS, s.RecoveredClock = math.NaN(), ""
	} else if math.IsNaN(s.RecoveryS) || rs.RecoveryS > s.RecoveryS {
		s.RecoveryS, s.RecoveredClock = rs.RecoveryS, rs.RecoveredClock
	}
	if !math.IsNaN(rs.TriggerEndS) && !(rs.TriggerEndS <= s.TriggerEndS) {
		s.TriggerEndS = rs.TriggerEndS
	}
	out.Attacks += r.Attacks
	return out.mergeRows(r)
}

// mergeRows adds r's rows and interval histograms to out's, row by row at
// the same model time. Every attacker's rows are on the grid of its
// interval, from its first; its last row is at its own end rounded up to
// the grid, so that one shard may end a row or two after another (attempts
// still in flight): its later rows are added as they are.
func (out *Run) mergeRows(r *Run) error {
	if len(out.Rows) > 0 && len(r.Rows) > 0 && out.Rows[0].T != r.Rows[0].T {
		return fmt.Errorf("record: %q: first row at t_s %.3f, another source's at %.3f: attackers must share start and interval", r.Sources[0], r.Rows[0].T, out.Rows[0].T)
	}
	for i, row := range r.Rows {
		j, found := sort.Find(len(out.Rows), func(k int) int { return cmpFloat(row.T, out.Rows[k].T) })
		if !found {
			if grid := r.Rows[0].T; grid > 0 && math.Abs(row.T/grid-math.Round(row.T/grid)) > 1e-6 {
				return fmt.Errorf("record: %q: row %d at t_s %.3f, off the grid of its interval %.3f: attackers must share start and interval", r.Sources[0], i+1, row.T, grid)
			}
			out.Rows = slices.Insert(out.Rows, j, Row{T: row.T, Clock: row.Clock, Leased: -1, Expired: -1, Queue: -1})
			out.Intervals = slices.Insert(out.Intervals, j, Sparse(nil))
		}
		o := &out.Rows[j]
		o.Leased = addOpt(o.Leased, row.Leased)
		o.Expired = addOpt(o.Expired, row.Expired)
		o.Queue = max(o.Queue, row.Queue)
		o.Scheduled += row.Scheduled
		o.Attempts += row.Attempts
		o.Lag += row.Lag
		o.InFlight += row.InFlight
		o.Counts.Merge(row.Counts)
		out.Intervals[j] = out.Intervals[j].Merge(r.Intervals[i])
	}
	for k := range out.Rows {
		prev := 0.0
		if k > 0 {
			prev = out.Rows[k-1].T
		}
		out.Rows[k].GoodputPerS = float64(out.Rows[k].Counts.Good) / (out.Rows[k].T - prev)
	}
	return nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// sameTime reports whether two RFC 3339 times are the same instant.
func sameTime(a, b string) bool {
	ta, ea := time.Parse(time.RFC3339Nano, a)
	tb, eb := time.Parse(time.RFC3339Nano, b)
	return ea == nil && eb == nil && ta.Equal(tb)
}

// addOpt adds two optional counts (-1: none).
func addOpt(a, b int64) int64 {
	switch {
	case a < 0:
		return b
	case b < 0:
		return a
	}
	return a + b
}

// nz is v, or 0 for NaN.
func nz(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}
