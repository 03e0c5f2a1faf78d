package predict

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/bench/sim"
	"gonum.org/v1/gonum/mathext"
)

// maxClasses bounds the attempt classes the generic fluid model follows;
// the last class stands for every attempt beyond (their failures retry into
// it, and give up with one over the attempts it stands for; never where
// the attempts do not run out).
const maxClasses = 64

// generic is the generic service's fluid model, built from a scenario and a
// law. Times are in seconds.
type generic struct {
	sc       *scenario.Scenario
	law      Law
	rates    []stepRate     // the clients' schedule, times in seconds
	windows  []model.Window // triggers
	c        float64        // workers (nominal)
	delay    bool           // delay station: no queue, infinite servers
	s0, cv2  float64        // mean base service time and its squared coefficient of variation
	exp      bool           // exponential service: the exact Erlang tail applies
	gb, gq   float64        // growth per busy worker and per queued attempt
	capS     float64        // cap on a grown service time (0: no growth)
	kcap     float64        // waiting places (+Inf: no cap)
	tau      float64        // the station's share of the timeout: timeout − mean round trip (0: never)
	rtt      float64        // mean round trip
	attempts int            // attempt classes followed
	unlimit  bool           // attempts beyond the classes
	total    int            // the attempts a request makes (0: unlimited)
	beta     []float64      // beta[k]: mean wait before attempt k+2 (after attempt k+1 failed)
	orbitCap float64        // +Inf: none
	window   float64        // recovery window W
	horizon  float64
	tail     map[tailKey]*tailTable
	scratch  []float64 // goodShare's
}

type stepRate struct{ from, rate float64 }

// newGeneric builds the fluid model of sc (a generic service) under law.
func newGeneric(sc *scenario.Scenario, law Law) (*generic, error) {
	cl, st := sc.Clients, sc.Service
	g := &generic{sc: sc, law: law, c: float64(st.Workers), delay: st.Delay,
		s0: st.ServiceTime.Mean().Seconds(), gb: time.Duration(st.PerBusy).Seconds(), gq: time.Duration(st.PerQueued).Seconds(),
		capS: time.Duration(st.MaxService).Seconds(), kcap: math.Inf(1), orbitCap: math.Inf(1),
		horizon: time.Duration(sc.Horizon).Seconds(), tail: map[tailKey]*tailTable{}}
	g.cv2, g.exp = cv2(st.ServiceTime.Law)
	if st.QueueCapacity > 0 {
		g.kcap = float64(st.QueueCapacity)
	}
	if law.Capacity > 0 {
		g.kcap = min(g.kcap, law.Capacity)
	}
	for _, s := range cl.Steps() {
		g.rates = append(g.rates, stepRate{s.From.Duration().Seconds(), s.Rate})
	}
	ws, err := model.Windows(sc.Triggers, model.LoadSpike, model.CapacityCut, model.DependencyOutage)
	if err != nil {
		return nil, fmt.Errorf("predict: %w", err)
	}
	g.windows = ws
	if cl.RTTOut.Law != nil {
		g.rtt += cl.RTTOut.Mean().Seconds()
	}
	if cl.RTTBack.Law != nil {
		g.rtt += cl.RTTBack.Mean().Seconds()
	}
	if cl.Timeout > 0 {
		g.tau = time.Duration(cl.Timeout).Seconds() - g.rtt
		if g.tau <= 0 {
			g.tau = 1e-9 // every attempt times out on the way
		}
	}
	g.attempts = cl.Attempts()
	if law.MaxAttempts > 0 {
		g.attempts = law.MaxAttempts
	} else if law.Backoff { // backoff's max-attempts=0: unlimited
		g.attempts = maxClasses + 1
	}
	if !law.Backoff || law.MaxAttempts > 0 {
		g.total = g.attempts
	}
	if g.attempts > maxClasses {
		g.attempts, g.unlimit = maxClasses, true
	}
	backoff, err := cl.RetryBackoff()
	if err != nil {
		return nil, fmt.Errorf("predict: %w", err)
	}
	for k := 1; k < max(g.attempts, 2); k++ {
		var b float64
		switch {
		case law.Backoff:
			b = law.BackoffMean(k).Seconds()
		case cl.RetryDelay.Law != nil:
			b = cl.RetryDelay.Mean().Seconds()
		default:
			b = backoffMean(backoff.Base, backoff.Cap, backoff.Multiplier, backoff.Jitter.String(), k).Seconds()
		}
		g.beta = append(g.beta, b)
	}
	if cl.OrbitCap > 0 {
		g.orbitCap = float64(cl.OrbitCap)
	}
	g.window = cl.Window(sim.Time(sc.Interval)).Duration().Seconds()
	// A concurrency limit sees a drop in every completion after its
	// client's timeout and every latency over its own.
	g.law.settle(g.c, g.s0, minRatio(st.ServiceTime.Law, 30*(g.c+5)), func(L float64) float64 {
		p := g.doomed(L, g.c, 1)
		if l := g.law.aimdTimeout.Seconds(); l > 0 {
			m := g.sojourn(L, g.c, 1)
			p = max(p, gammaTail(m, g.cv2*m*m/max(1, L), l))
		}
		return p
	})
	return g, nil
}

// backoffMean is the mean of backlog.Backoff's wait before retry k.
func backoffMean(base, capd time.Duration, mult float64, jitter string, k int) time.Duration {
	d := float64(base)
	ceil := float64(capd)
	if ceil == 0 {
		ceil = math.Inf(1)
	}
	for i := 1; i < k && d < ceil; i++ {
		d *= max(mult, 1)
	}
	d = min(d, ceil)
	switch jitter {
	case "full":
		d /= 2
	case "equal":
		d *= 0.75
	case "decorrelated":
		d = min(2*float64(base), ceil)
	}
	return time.Duration(d)
}

// cv2 is the squared coefficient of variation of a service law, and whether
// it is exponential.
func cv2(l model.Law) (float64, bool) {
	m := float64(l.Mean())
	if m <= 0 {
		return 0, false
	}
	switch d := l.(type) {
	case model.Exponential:
		return 1, true
	case model.Constant:
		return 0, false
	case model.Uniform:
		w := float64(d.Hi - d.Lo)
		return w * w / 12 / (m * m), false
	case model.LogNormal:
		return math.Exp(d.Sigma*d.Sigma) - 1, false
	case model.Bimodal:
		w := float64(d.Slow - d.Fast)
		return d.P * (1 - d.P) * w * w / (m * m), false
	}
	return 1, false
}

// inputs at t: arrival rate, workers, service-time factor, and whether the
// dependency is out.
func (g *generic) inputs(t float64) (rate, workers, slow float64, out bool) {
	// The schedule is sorted by its steps' starts: the last one at or before t.
	if i := sort.Search(len(g.rates), func(i int) bool { return g.rates[i].from > t }); i > 0 {
		rate = g.rates[i-1].rate
	}
	workers, slow = g.c, 1
	for _, w := range g.windows {
		if t < w.Start.Duration().Seconds() || t >= w.End.Duration().Seconds() {
			continue
		}
		switch w.Kind {
		case model.LoadSpike:
			rate *= w.Factor
		case model.CapacityCut:
			if w.Workers > 0 {
				workers = float64(w.Workers)
			}
			slow = w.Factor
		case model.DependencyOutage:
			out = true
		}
	}
	return rate, workers, slow, out
}

// changes are the instants at which the inputs change, sorted.
func (g *generic) changes() []float64 {
	var ts []float64
	for _, s := range g.rates {
		ts = append(ts, s.from)
	}
	for _, w := range g.windows {
		ts = append(ts, w.Start.Duration().Seconds(), w.End.Duration().Seconds())
	}
	if g.law.Operator {
		ts = append(ts, g.law.OpAt.Seconds())
	}
	return ts
}

// lastChange is the last instant within the horizon at which the inputs
// change (0: none).
func (g *generic) lastChange() float64 {
	var last float64
	for _, c := range g.changes() {
		if c <= g.horizon {
			last = max(last, c)
		}
	}
	return last
}

// triggerEnd is when the last trigger ends (0: none).
func (g *generic) triggerEnd() float64 {
	return model.End(g.windows).Duration().Seconds()
}

// servers is how many attempts can be in service at once: the workers, or
// every one held on a delay station.
func (g *generic) servers(workers float64) float64 {
	if g.delay {
		return math.Inf(1)
	}
	return workers
}

// service is the mean service time with n held on workers (slowed by slow).
func (g *generic) service(n, workers, slow float64) float64 {
	s := g.s0 * slow
	if g.capS > 0 {
		busy := min(n, workers)
		if g.delay {
			busy = n
		}
		s = min(g.capS, s+g.gb*busy+g.gq*max(0, n-workers))
		s = max(s, g.s0*slow)
	}
	return s
}

// sojourn is the mean sojourn of an attempt joining behind n.
func (g *generic) sojourn(n, workers, slow float64) float64 {
	s := g.service(n, workers, slow)
	if g.delay || n < workers {
		return s
	}
	return (n-workers+1)*s/workers + s
}

// doomed is the probability that an attempt joining behind n outlasts its
// client's timeout at the station.
func (g *generic) doomed(n, workers, slow float64) float64 {
	if g.tau <= 0 {
		return 0
	}
	if g.delay {
		s := g.service(n, workers, slow)
		return gammaTail(s, g.cv2*s*s, g.tau)
	}
	t := g.tailTable(workers, slow)
	return t.at(n)
}

// waitTail is the probability that an attempt joining behind n waits in
// the queue (before its service starts) at least d: what deadline-drop skips.
func (g *generic) waitTail(n, workers, slow, d float64) float64 {
	if g.delay || n < workers || d <= 0 {
		return 0
	}
	s := g.service(n, workers, slow)
	w := n - workers + 1
	if g.exp {
		return clamp01(mathext.GammaIncRegComp(w, workers*d/s))
	}
	m := w * s / workers
	return gammaTail(m, w*g.cv2*(s/workers)*(s/workers), d)
}

// tailKey identifies a table of timeout probabilities by integer n.
type tailKey struct{ workers, slow float64 }

// tailTable caches the timeout probability at each integer n for one
// station regime (workers, slowdown); it is filled lazily, and once it
// reaches 1 − 1e-12 every larger n is taken as certain (the tail grows with
// n).
type tailTable struct {
	g             *generic
	workers, slow float64
	p             []float64
	sat           int // p is 1 from here on; -1 while unknown
}

func (g *generic) tailTable(workers, slow float64) *tailTable {
	k := tailKey{workers, slow}
	t := g.tail[k]
	if t == nil {
		t = &tailTable{g: g, workers: workers, slow: slow, sat: -1}
		g.tail[k] = t
	}
	return t
}

func (t *tailTable) get(i int) float64 {
	if t.sat >= 0 && i >= t.sat {
		return 1
	}
	for len(t.p) <= i {
		j := len(t.p)
		n := float64(j)
		g := t.g
		s := g.service(n, t.workers, t.slow)
		var p float64
		if g.exp && g.capS == 0 && t.workers == math.Trunc(t.workers) {
			p = erlangTail(j, int(t.workers), 1/s, g.tau)
		} else {
			m := g.sojourn(n, t.workers, t.slow)
			w := max(0, n-t.workers+1)
			v := g.cv2*s*s + w*g.cv2*(s/t.workers)*(s/t.workers)
			if g.exp && w > 0 { // exponential service: the inter-departures are Exp(c/s)
				v = s*s + w*(s/t.workers)*(s/t.workers)
			}
			p = gammaTail(m, v, g.tau)
		}
		t.p = append(t.p, p)
		if p >= 1-1e-12 {
			t.sat = j
			return 1
		}
		if j > 1<<22 { // far past any timeout a run reaches; keep the table bounded
			t.sat = j
			return 1
		}
	}
	return t.p[i]
}

// at interpolates between the integers around n.
func (t *tailTable) at(n float64) float64 {
	if n <= 0 {
		return t.get(0)
	}
	i := int(n)
	f := n - float64(i)
	a := t.get(i)
	if f == 0 {
		return a
	}
	return a*(1-f) + t.get(i+1)*f
}
