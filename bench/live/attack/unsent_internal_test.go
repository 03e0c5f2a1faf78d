package attack

import (
	"testing"
	"time"
)

// TestUnsentLateness: an attempt left unsent is late from its intended
// instant until sending stopped (not until the attack's end, when it is
// recorded): the worst lateness is the earliest unsent attempt's, and it
// alone can take the attack past a tenth of its timeout.
func TestUnsentLateness(t *testing.T) {
	stop := time.Now()
	r := &run{out: Outcome{Timeout: 10 * time.Second}}
	r.out.MaxLag = 10 * time.Millisecond // the attempts sent were on time
	r.ready.push(attempt{droplet: 1, intended: stop.Add(-3 * time.Second), seq: 0})
	r.ready.push(attempt{droplet: 2, intended: stop.Add(-time.Second), seq: 1})
	r.recordUnsent(stop.Add(5*time.Second), stop)
	if r.out.Unsent != 2 || r.out.MaxLag != 3*time.Second || r.ready.len() != 0 {
		t.Errorf("unsent %d, worst lateness %v, %d left: want 2, 3s, none", r.out.Unsent, r.out.MaxLag, r.ready.len())
	}
	if r.out.Scheduled, r.out.Sent = 1000, 998; r.out.KeptUp() {
		t.Errorf("%+v: 2 of 1,000 unsent, one 3 s late with a 10 s timeout: want not kept up", r.out)
	}
}
