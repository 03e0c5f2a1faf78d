package netprop

import "github.com/aftershock/aftershock/bench/sim"

// Ideal is a bound on recovery that no policy beats: the least R − SurgeEnd
// that the work of the items offered by the surge's end allows, with the
// station's workers at their base service times (growth and retries only add
// time), or -1 when the run ended before the surge did.
//
// For any item i offered by the surge's end, the items offered from i's
// offer instant a up to the surge's end need their total base work W of
// service, none of it before a, on at most k workers: the last of them
// finishes at or after b = a + W/k (and every item j at or after
// a_j + work_j). That last item was offered by the surge's end, so its
// latency is at least b − SurgeEnd: when that exceeds normal_latency it is
// abnormal, and latency cannot be back to normal before b. The bound is the
// largest such b (or a_j + work_j with work_j above normal), and SurgeEnd if
// none: it depends on the input, the workers and the drawn work, never on
// the policy. One pass over the items, from the last back.
func (m *Model) Ideal() sim.Time {
	if m.end < m.surgeEnd {
		return -1
	}
	k := float64(m.sp.Workers)
	L := sim.Time(m.cfg.Normal)
	r := m.surgeEnd
	var w float64 // base work of the items from i to the surge's end, ns
	for i := len(m.items) - 1; i >= 0; i-- {
		it := m.items[i]
		if it.born > m.surgeEnd {
			continue
		}
		w += float64(it.work)
		b := it.born + sim.Time(w/k)
		if b-m.surgeEnd > L {
			r = max(r, b)
		}
		if it.work > L {
			r = max(r, it.born+it.work)
		}
	}
	return r - m.surgeEnd
}
