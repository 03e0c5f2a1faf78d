package predict

import (
	"math"
	"time"
)

// Ledger is the fluid model's bookkeeping of requests and attempts, for the
// conservation invariants: requests arrived = succeeded + given up +
// abandoned + in flight, and attempts admitted = served + dropped + held.
type Ledger struct {
	Arrived, Succeeded, GaveUp, Abandoned, InFlight float64 // requests
	Admitted, Served, Dropped, Held                 float64 // attempts
	MinMass                                         float64 // the least value any compartment took (≥ 0 when no mass went negative)
}

// RequestGap is |arrived − (succeeded + given up + abandoned + in flight)|.
func (l Ledger) RequestGap() float64 {
	return math.Abs(l.Arrived - (l.Succeeded + l.GaveUp + l.Abandoned + l.InFlight))
}

// AttemptGap is |admitted − (served + dropped + held)|.
func (l Ledger) AttemptGap() float64 {
	return math.Abs(l.Admitted - (l.Served + l.Dropped + l.Held))
}

// Point is one instant of a predicted trajectory.
type Point struct {
	T       time.Duration
	Held    float64 // attempts at the station (queued or in service); per host for DWFM
	Waiting float64 // generic: clients waiting to retry; DWFM: droplets without a lease, per host
	Good    float64 // generic: share of requests arriving now answered well within the window; DWFM: share leased
}

// genRun is the state of one integration of the generic model.
type genRun struct {
	g      *generic
	dt     float64
	n      float64   // held at the station
	orbit  []float64 // orbit[k]: clients waiting to send attempt k+1 (k ≥ 1)
	good   float64   // admitted attempts that will be answered in time, not yet answered
	ring   [][]float64
	ringN  int
	slot   int
	tokens float64
	led    Ledger
	// per health bucket: arrivals and good arrivals (fluid)
	bucket          float64
	bArr, bGood     []float64
	accArr, accGood float64
	accT            float64
	traj            []Point
	every           float64 // trajectory sample spacing
	nextSample      float64
	cur             [5]float64 // the latest alpha, p, workers, slow, sojourn
	settle          float64    // when the run stopped early, settled (0: it ran to the horizon)
	offered, failed []float64  // per class, reused every step
	share           float64    // goodShare in the current health bucket; −1: not yet
	drop            []float64  // deadline-drop: attempts to skip, by the step they reach the deadline
	dropN, dropSlot int
}

func (r *genRun) minMass(x float64) {
	r.led.MinMass = min(r.led.MinMass, x)
}

// run integrates from 0 to the horizon, or until the system has settled
// after the last change of its inputs (then the rest is the settled state).
// It returns the health buckets of the window (From = the trigger end) and
// whether it stopped early.
//
// sep is the separatrix of the post-trigger system (+Inf: none): once the
// inputs stop changing, a station held well above it (twice it, and ten
// workers' worth more) and still growing is collapsed for good, and the run
// stops there too.
func (g *generic) run(traj bool, sep float64) *genRun {
	dt := g.s0 / 5
	if g.tau > 0 {
		dt = min(dt, g.tau/50)
	}
	dt = min(dt, g.window/200)
	for _, b := range g.beta {
		if b > 0 {
			dt = min(dt, b/5)
		}
	}
	for _, w := range g.windows {
		dt = min(dt, (w.End-w.Start).Duration().Seconds()/10)
	}
	dt = max(dt, g.horizon/maxSteps)
	r := &genRun{g: g, dt: dt, orbit: make([]float64, g.attempts+1), tokens: -1, share: -1, bucket: g.window / 100,
		offered: make([]float64, g.attempts+1), failed: make([]float64, g.attempts+1)}
	if g.tau > 0 {
		r.ringN = max(1, int(math.Round(g.tau/dt)))
		r.ring = make([][]float64, g.attempts+1)
		for k := range r.ring {
			r.ring[k] = make([]float64, r.ringN)
		}
	}
	if g.law.DeadlineDrop {
		r.dropN = max(1, int(math.Round(g.law.DeadlineAfter.Seconds()/dt)))
		r.drop = make([]float64, r.dropN)
	}
	if traj {
		r.every = max(g.horizon/2000, dt)
	}
	lastChange := g.lastChange()
	from := g.triggerEnd()
	// A change at c is applied by the first step that starts at or after
	// it, so the state it shapes is there from c + dt on. The run may call
	// the system settled only on two checks both at or after that: a whole
	// check interval under the final inputs.
	final := lastChange + dt
	checkEvery := max(g.window, 20*dt)
	nextCheck := checkEvery
	prevN, prevO, prevT := -1.0, -1.0, -1.0
	t := 0.0
	for i := 0; t < g.horizon; i++ {
		r.step(t)
		t = float64(i+1) * dt
		if t >= nextCheck {
			nextCheck += checkEvery
			o := r.orbitTotal()
			after := prevN >= 0 && prevT >= final-1e-9*dt && t > from+g.window
			if after && math.Abs(r.n-prevN) <= 1e-6*(1+r.n) && math.Abs(o-prevO) <= 1e-6*(1+o) {
				r.settle = t
				break
			}
			if r.n > 1e12 || (after && r.n > prevN && r.n > 2*sep+10*g.c) {
				r.settle = t
				break
			}
			prevN, prevO, prevT = r.n, o, t
		}
	}
	r.flushBucket(true)
	return r
}

func (r *genRun) orbitTotal() float64 {
	var s float64
	for _, o := range r.orbit {
		s += o
	}
	return s
}

// step advances the state by dt from t.
func (r *genRun) step(t float64) {
	g, dt := r.g, r.dt
	lam, workers, slow, out := g.inputs(t)
	if g.law.Operator && g.law.Restart && t <= g.law.OpAt.Seconds() && t+dt > g.law.OpAt.Seconds() {
		r.restart()
	}
	// Offered attempts by class: new requests (class 0) and retries out of
	// the orbit (class k ≥ 1), as rates.
	A := g.attempts
	offered, failed := r.offered, r.failed
	clear(offered)
	clear(failed)
	offered[0] = lam
	r.led.Arrived += lam * dt
	for k := 1; k < A; k++ {
		if r.orbit[k] <= 0 {
			continue
		}
		b := g.beta[k-1]
		frac := 1.0
		if b > 0 {
			frac = -math.Expm1(-dt / b)
		}
		x := r.orbit[k] * frac
		r.orbit[k] -= x
		offered[k] = x / dt
	}
	var a float64
	for _, x := range offered {
		a += x
	}
	s := g.service(r.n, workers, slow)
	busy := min(r.n, workers)
	if g.delay {
		busy = r.n
	}
	mu := busy / s
	q := max(0, r.n-workers)
	if g.delay {
		q = 0
	}
	adm := a
	if out {
		adm = 0
	} else if a > 0 {
		adm = g.law.admits(a, occupancy{q, r.n, mu, g.servers(workers), s}, dt, time.Duration(t*1e9), &r.tokens)
		if q >= g.kcap {
			adm = min(adm, mu)
		}
	}
	alpha := 0.0
	if a > 0 {
		alpha = adm / a
	}
	p := g.doomed(r.n, workers, slow)
	soj := g.sojourn(r.n, workers, slow)
	r.cur = [5]float64{alpha, p, workers, slow, soj}
	// Timeouts of attempts admitted tau ago.
	if r.ringN > 0 {
		for k := range A {
			x := r.ring[k][r.slot]
			r.ring[k][r.slot] = 0
			failed[k] += x
		}
	}
	if r.dropN > 0 { // deadline-drop: attempts that waited the deadline are skipped
		x := min(r.drop[r.dropSlot], max(0, r.n-workers))
		r.drop[r.dropSlot] = 0
		r.n -= x
		r.led.Dropped += x
	}
	// Admissions and refusals.
	var in float64
	for k := range A {
		ak := offered[k] * dt
		if ak == 0 {
			continue
		}
		got := ak * alpha
		in += got
		failed[k] += ak - got
		if r.ringN > 0 {
			r.ring[k][r.slot] += got * p
			r.good += got * (1 - p)
		} else {
			r.good += got
		}
	}
	r.led.Admitted += in
	if r.dropN > 0 {
		r.drop[r.dropSlot] += in * g.waitTail(r.n, workers, slow, g.law.DeadlineAfter.Seconds())
		r.dropSlot = (r.dropSlot + 1) % r.dropN
	}
	if r.ringN > 0 {
		r.slot = (r.slot + 1) % r.ringN
	}
	// Failures retry into the next class while the orbit has room.
	var retry float64
	for k := range A {
		if failed[k] == 0 {
			continue
		}
		if k+1 < A || g.unlimit {
			retry += failed[k]
		} else {
			r.led.GaveUp += failed[k]
		}
	}
	room := max(0, g.orbitCap-r.orbitTotal())
	keep := 1.0
	if retry > room {
		keep = room / retry
	}
	for k := range A {
		if failed[k] == 0 || !(k+1 < A || g.unlimit) {
			continue
		}
		dst := min(k+1, A-1)
		if g.unlimit && k+1 >= A {
			dst = A - 1
		}
		x := failed[k] * keep
		r.led.Abandoned += failed[k] - x
		r.orbit[dst] += x // sent from the next step on
	}
	// The station: implicit where service is linear in n (fewer than the
	// workers busy, or a delay station), explicit where it is saturated.
	before := r.n + in
	var next float64
	if g.delay {
		next = before / (1 + dt/s)
	} else {
		next = before - dt*workers/s
		if next < workers {
			next = min(workers, before/(1+dt/s))
		}
		next = max(0, next)
	}
	r.led.Served += before - next
	r.n = next
	// Answers to attempts that beat their timeout: a first-order lag of the
	// sojourn (at most the timeout).
	w := soj
	if g.tau > 0 {
		w = min(w, g.tau)
	}
	ans := r.good * -math.Expm1(-dt/max(w, dt))
	r.good -= ans
	r.led.Succeeded += ans
	r.minMass(r.n)
	r.minMass(r.good)
	for _, o := range r.orbit {
		r.minMass(o)
	}
	// Health of this instant's arrivals, worked out once a health bucket
	// (the recovery condition's resolution).
	if r.accT == 0 || r.share < 0 {
		r.share = g.goodShare(alpha, p, soj)
	}
	r.accArr += lam * dt
	r.accGood += lam * dt * r.share
	r.accT += dt
	if r.accT >= r.bucket-1e-12 {
		r.flushBucket(false)
	}
	if r.every > 0 && t >= r.nextSample {
		r.nextSample += r.every
		r.traj = append(r.traj, Point{T: time.Duration(t * 1e9), Held: r.n, Waiting: r.orbitTotal(), Good: r.share})
	}
}

func (r *genRun) flushBucket(last bool) {
	if r.accT == 0 || (last && r.accT < r.bucket/2) {
		return
	}
	r.bArr = append(r.bArr, r.accArr)
	r.bGood = append(r.bGood, r.accGood)
	r.accArr, r.accGood, r.accT = 0, 0, 0
}

// restart drops the station's queue and work in service: each live attempt
// fails at once (its client retries per its policy).
func (r *genRun) restart() {
	r.led.Dropped += r.n
	// The clients of the answered-in-time share fail fast now; the doomed
	// ones were going to fail at their timeout anyway and still do.
	r.orbit[min(1, len(r.orbit)-1)] += r.good
	r.good = 0
	r.n = 0
}

// ledger completes the run's ledger with what is still in flight.
func (r *genRun) ledger() Ledger {
	l := r.led
	l.InFlight = r.good + r.orbitTotal()
	for _, ring := range r.ring {
		for _, x := range ring {
			l.InFlight += x
		}
	}
	l.Held = r.n
	return l
}

// maxShareAttempts bounds the attempts goodShare follows for a request
// whose attempts do not run out: its first 256.
const maxShareAttempts = 256

// goodShare is the probability that a request arriving now is answered
// within the recovery window, the state held as it is now (the mean field
// evaluates each arrival's chain of attempts at the state it arrives in): an
// attempt is refused with 1−alpha (its client waits the retry delay), or
// admitted and times out with p (the timeout, then the delay), else answered
// after the sojourn. Attempt k+1 follows failure k while attempts remain.
func (g *generic) goodShare(alpha, p, soj float64) float64 {
	if g.tau > 0 {
		soj = min(soj, g.tau)
	}
	soj += g.rtt
	pr, pd, ok := 1-alpha, alpha*p, alpha*(1-p)
	if ok >= 1 {
		if soj <= g.window {
			return 1
		}
		return 0
	}
	W := g.window
	// prob[i]: probability of having failed every attempt so far with i of
	// them timeouts; elapsed = Σ beta + i·timeout.
	maxI := g.attempts
	if g.tau > 0 {
		maxI = min(maxI, int(W/g.tau)+1)
	}
	if cap(g.scratch) < 2*(maxI+2) {
		g.scratch = make([]float64, 2*(maxI+2))
	}
	prob, next := g.scratch[:maxI+2], g.scratch[maxI+2:2*(maxI+2)]
	clear(prob)
	prob[0] = 1
	var total, delays float64
	A := g.total
	if A == 0 || A > maxShareAttempts {
		A = maxShareAttempts
	}
	for k := 0; k < A; k++ {
		var alive float64
		for i, pi := range prob {
			if pi == 0 {
				continue
			}
			if delays+float64(i)*g.tau+soj <= W {
				total += pi * ok
			}
			alive += pi
		}
		if alive < 1e-9 || k+1 >= A {
			break
		}
		clear(next)
		for i, pi := range prob {
			if pi == 0 {
				continue
			}
			next[i] += pi * pr
			if i+1 < len(next) {
				next[i+1] += pi * pd
			}
		}
		prob, next = next, prob
		delays += g.beta[min(k, len(g.beta)-1)]
		if delays > W {
			break
		}
	}
	return total
}
