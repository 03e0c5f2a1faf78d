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
// added, and the attack directories' rows merged interval by interval
// (mergeRows).
//
// Attack directories must come from the same attack: the same scenario,
// policy, seed and time scale, rows on the same grid of model time, and
// distinct shards of the same n: one shard alone, or every one of them
// (some but not all of several is refused, naming those missing: their
// droplets would be left out of the totals and of recovery). Of their
// summaries, counts (unsent among them) and droplets add up, and so do
// scheduled, sent and requests, not recorded (-1) when any run did not
// record them (a sum over some shards is not the total); peak_queue,
// sim_s and wall_s are the largest; recovered holds when it held for every
// run, and recovery_s is the latest (exact for a condition
// every shard must meet, an upper bound for a fraction of the droplets);
// kept_up when every run kept up (false if any did not, else not recorded
// if any did not record it); complete when every run completed; shard is
// empty when the runs cover every shard of n, else the one shard ("1/3").
// Plain vegeta files add only to counts and latencies.
func Merge(runs ...*Run) (*Run, error) {
	if len(runs) == 0 {
		return nil, fmt.Errorf("record: nothing to merge")
	}
	out := &Run{Latency: NewHistogram()}
	out.Summary = Summary{Droplets: -1, PeakQueue: -1, RecoveryS: math.NaN(), TriggerEndS: math.NaN(),
		Undefined: true, KeptUpUnknown: true, Scheduled: -1, Sent: -1, Requests: -1}
	var (
		first   *Run   // first attack directory
		attacks []*Run // every attack directory, for their rows
	)
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
		attacks = append(attacks, r)
		if first == nil {
			first = r
		}
	}
	if err := out.mergeRows(attacks); err != nil {
		return nil, err
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
		var have []string
		for sh := range shards {
			have = append(have, sh)
		}
		sort.Strings(have)
		switch {
		case len(shards) == n:
			s.Shard = ""
		case len(shards) == 1:
			s.Shard = have[0]
		default:
			var missing []string
			for i := range n {
				if sh := fmt.Sprintf("%d/%d", i, n); shards[sh] == "" {
					missing = append(missing, sh)
				}
			}
			return nil, fmt.Errorf("record: shards %s of %d given, %s missing: their droplets would be left out of the totals and of recovery (give every shard, or one alone)",
				strings.Join(have, ","), n, strings.Join(missing, ","))
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
			KeptUp: true, Complete: true, Counts: s.Counts} // scheduled, sent, requests: 0, to add the first's to (addKnown)
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
	s.Scheduled = addKnown(s.Scheduled, rs.Scheduled)
	s.Sent = addKnown(s.Sent, rs.Sent)
	s.Requests = addKnown(s.Requests, rs.Requests)
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
	return nil
}

// mergeRows merges the attack directories' rows into out's, by model
// time. Every attacker ticks on the grid of its interval from model time 0
// (its first row at one interval) while it runs and while its last
// attempts finish, and writes its last row at its end (any model time
// after its previous row: its span is partial). So shards' rows line up on
// the grid, and only their last rows differ:
//
//   - the merged rows are the grid rows any shard has, then one at the
//     latest shard's end (the merged last row, its span partial);
//   - a shard's row goes into the merged row at its own time, its last row
//     (off the grid) into the first merged row not before it, whose
//     interval holds it: counts and latencies add up in the interval they
//     happened in;
//   - a shard that ended before a merged row counts in it as its last row
//     left it: its droplets leased and expired carried forward, nothing
//     scheduled, sent, in flight, lagging or finished (so leased + expired
//     stay every shard's droplets in every row); queue is the largest that
//     the shards with a row there reported;
//   - goodput_per_s is over each merged row's own span.
//
// Rows at times off the grid (but a shard's last), or grids that differ,
// are refused.
func (out *Run) mergeRows(runs []*Run) error {
	var grid float64 // the interval: the first row of a source with two or more
	var from string
	for _, r := range runs {
		if len(r.Rows) < 2 {
			continue
		}
		if grid == 0 {
			grid, from = r.Rows[0].T, r.Sources[0]
		} else if !sameT(r.Rows[0].T, grid) {
			return fmt.Errorf("record: %q: first row at t_s %.3f, %q's at %.3f: attackers must share start and interval", r.Sources[0], r.Rows[0].T, from, grid)
		}
	}
	onGrid := func(t float64) bool {
		return grid > 0 && math.Abs(t/grid-math.Round(t/grid)) <= 1e-6 && math.Round(t/grid) >= 1
	}
	var times []float64 // the merged rows' times: the grid rows, then the latest end
	end := 0.0
	for _, r := range runs {
		for i, row := range r.Rows {
			last := i == len(r.Rows)-1
			switch {
			case !last && !onGrid(row.T):
				return fmt.Errorf("record: %q: row %d at t_s %.3f, off the grid of its interval %.3f: attackers must share start and interval", r.Sources[0], i+1, row.T, grid)
			case onGrid(row.T):
				times = append(times, row.T)
			}
			if last {
				end = math.Max(end, row.T)
			}
		}
	}
	times = append(times, end)
	slices.Sort(times)
	times = slices.CompactFunc(times, func(a, b float64) bool { return sameT(a, b) })
	if len(runs) == 0 || len(times) == 0 || times[len(times)-1] <= 0 {
		return nil
	}
	out.Rows = make([]Row, len(times))
	out.Intervals = make([]Sparse, len(times))
	for j, t := range times {
		out.Rows[j] = Row{T: t, Leased: -1, Expired: -1, Queue: -1}
	}
	for _, r := range runs {
		j := 0
		for i, row := range r.Rows {
			for j < len(times) && times[j] < row.T && !sameT(times[j], row.T) {
				j++
			}
			o := &out.Rows[j]
			if sameT(o.T, row.T) && o.Clock == "" {
				o.Clock = row.Clock
			}
			o.Leased = addOpt(o.Leased, row.Leased)
			o.Expired = addOpt(o.Expired, row.Expired)
			o.Queue = max(o.Queue, row.Queue)
			o.Scheduled += row.Scheduled
			o.Attempts += row.Attempts
			o.Lag += row.Lag
			o.InFlight += row.InFlight
			o.Counts.Merge(row.Counts)
			out.Intervals[j] = out.Intervals[j].Merge(r.Intervals[i])
			if i == len(r.Rows)-1 { // ended: its droplets as it left them, in every later row
				for k := j + 1; k < len(times); k++ {
					out.Rows[k].Leased = addOpt(out.Rows[k].Leased, row.Leased)
					out.Rows[k].Expired = addOpt(out.Rows[k].Expired, row.Expired)
				}
			}
			j++
		}
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

// sameT reports whether two rows' times (seconds, written to the
// millisecond) are the same.
func sameT(a, b float64) bool { return math.Abs(a-b) < 5e-4 }

// sameTime reports whether two RFC 3339 times are the same instant.
func sameTime(a, b string) bool {
	ta, ea := time.Parse(time.RFC3339Nano, a)
	tb, eb := time.Parse(time.RFC3339Nano, b)
	return ea == nil && eb == nil && ta.Equal(tb)
}

// addKnown is a + b of two counts that are each an attack's whole count or
// -1, not recorded (a directory written before the column): -1 when either
// is, since a sum over some shards is not the total (requests 0 or a few
// shards' requests, under the attempts sent, is what adding the known ones
// gave).
func addKnown(a, b int64) int64 {
	if a < 0 || b < 0 {
		return -1
	}
	return a + b
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
