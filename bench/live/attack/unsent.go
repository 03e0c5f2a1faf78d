package attack

import (
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/aftershock/aftershock/bench/live/record"
)

// recordUnsent ends every scheduled attempt still waiting for a worker: it
// was never sent. Each becomes a result like any other (its target, its
// intended time as Timestamp) with Code 0, Error record.UnsentError and
// Latency from its intended time to end, the attack's end, so that the
// counts and the percentiles cover every scheduled attempt. Its lateness
// runs to stop, when sending stopped.
func (r *run) recordUnsent(end, stop time.Time) {
	for r.ready.len() > 0 {
		a := r.ready.pop()
		r.out.Unsent++
		r.out.MaxLag = max(r.out.MaxLag, stop.Sub(a.intended))
		if r.c.Recorder == nil || r.err != nil {
			continue
		}
		tgt := r.target(a)
		res := &vegeta.Result{Attack: attackName(a), Seq: a.seq, Timestamp: a.intended, Latency: max(0, end.Sub(a.intended)),
			Method: tgt.Method, URL: tgt.URL, Error: record.UnsentError}
		if err := r.c.Recorder.Add(res); err != nil {
			r.err = err
		}
	}
}
