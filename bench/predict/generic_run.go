package predict

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/aftershock/aftershock/bench/model"
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
	// per health bucket (a whole number of steps, perBucket): arrivals and
	// good arrivals (fluid)
	bucket          float64
	perBucket       int
	buckets         []segment
	accArr, accGood float64
	accN            int // steps in the bucket under way
	steps           int // steps integrated (a jump over a settled stretch takes none)
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

// segment is n health buckets from bucket from on, each with arr arrivals
// of which good were answered well: one bucket as integrated, or the many
// of a settled stretch the run jumped over.
type segment struct {
	from, n   int
	arr, good float64
}

// maxRunSteps bounds the steps one run integrates: a run that neither
// settles nor collapses for good within them at its resolution is refused.
const maxRunSteps = 1_000_000

// run integrates from 0 to the horizon at the model's own resolution (a
// fifth of the service time, a fiftieth of the timeout, a 200th of the
// recovery window and a tenth of each trigger, never coarser whatever the
// horizon), or until the system has settled after the last change of its
// inputs (then the rest is the settled state). Where it settles before a
// change of its inputs, it jumps to the change: every flow is constant
// there, and the buckets and the ledger take the settled step's values.
//
// sep is the separatrix of the post-trigger system (+Inf: none): once the
// inputs stop changing, a station held well above it (twice it, and ten
// workers' worth more) and still growing is collapsed for good, and the run
// stops there too.
func (g *generic) run(traj bool, sep float64) (*genRun, error) {
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
	bucket := g.window / 100
	perBucket := int(math.Ceil(bucket/dt - 1e-9))
	dt = bucket / float64(perBucket) // a whole number of steps a bucket
	r := &genRun{g: g, dt: dt, orbit: make([]float64, g.attempts+1), tokens: -1, share: -1, bucket: bucket, perBucket: perBucket,
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
	var changes []float64
	for _, c := range g.changes() {
		if c > 0 && c <= g.horizon {
			changes = append(changes, c)
		}
	}
	slices.Sort(changes)
	from := g.triggerEnd()
	total := int(math.Ceil(g.horizon/dt - 1e-9))
	checkEvery := max(perBucket*model.WindowBuckets, 20)
	nextCheck := checkEvery
	prevN, prevO, prevI := -1.0, -1.0, -1
	for i := 0; i < total; {
		before := r.led
		r.step(float64(i) * dt)
		i++
		r.steps++
		if r.steps > maxRunSteps {
			return nil, fmt.Errorf("predict: the fluid run of %s did not settle within %d steps of %v (to t=%v of the horizon %v): its resolution (%v a step) cannot be held further; shorten the horizon",
				g.sc.Name, maxRunSteps, sec(dt), sec(float64(i)*dt), sec(g.horizon), sec(dt))
		}
		if i < nextCheck {
			continue
		}
		nextCheck += checkEvery
		// A change at c is applied by the step starting at or after it (an
		// operator's restart by the step holding it), so the state it
		// shapes is there a step later. The system is settled only on two
		// checks both after that: a whole check interval under the inputs.
		applied, pending := 0.0, math.Inf(1)
		if k := sort.SearchFloat64s(changes, math.Nextafter(float64(i-1)*dt, math.Inf(1))); k < len(changes) {
			pending = changes[k]
			if k > 0 {
				applied = changes[k-1]
			}
		} else if k > 0 {
			applied = changes[k-1]
		}
		o := r.orbitTotal()
		after := prevN >= 0 && float64(prevI)*dt >= applied+dt*(1-1e-9)
		settled := after && math.Abs(r.n-prevN) <= 1e-6*(1+r.n) && math.Abs(o-prevO) <= 1e-6*(1+o)
		final := math.IsInf(pending, 1)
		judged := float64(i)*dt > from+g.window
		switch {
		case settled && final && judged:
			r.settle = float64(i) * dt
			r.flushBucket(true)
			return r, nil
		case settled && !final:
			if j := int(math.Floor(pending / dt)); j > i {
				r.jump(j-i, before, float64(j)*dt)
				i = j
				nextCheck = i + checkEvery
				prevN = -1
				continue
			}
		case r.n > 1e12 || (after && final && judged && r.n > prevN && r.n > 2*sep+10*g.c):
			r.settle = float64(i) * dt
			r.flushBucket(true)
			return r, nil
		}
		prevN, prevO, prevI = r.n, o, i
	}
	r.flushBucket(true)
	return r, nil
}

// jump carries a settled state k steps on: every flow as in the step just
// taken (whose ledger began at before), the health buckets filled with its
// arrivals, the delay lines turned.
func (r *genRun) jump(k int, before Ledger, end float64) {
	d := r.led
	scale := float64(k)
	r.led.Arrived += (d.Arrived - before.Arrived) * scale
	r.led.Succeeded += (d.Succeeded - before.Succeeded) * scale
	r.led.GaveUp += (d.GaveUp - before.GaveUp) * scale
	r.led.Abandoned += (d.Abandoned - before.Abandoned) * scale
	r.led.Admitted += (d.Admitted - before.Admitted) * scale
	r.led.Served += (d.Served - before.Served) * scale
	r.led.Dropped += (d.Dropped - before.Dropped) * scale
	if r.ringN > 0 {
		r.slot = (r.slot + k) % r.ringN
	}
	if r.dropN > 0 {
		r.dropSlot = (r.dropSlot + k) % r.dropN
	}
	arr, good := d.Arrived-before.Arrived, (d.Arrived-before.Arrived)*r.share
	for r.every > 0 && r.nextSample < end { // a settled stretch is flat
		r.traj = append(r.traj, Point{T: sec(r.nextSample), Held: r.n, Waiting: r.orbitTotal(), Good: r.share})
		r.nextSample += r.every
	}
	// The bucket under way, then whole buckets, then the rest.
	fill := min(k, r.perBucket-r.accN)
	r.accArr += arr * float64(fill)
	r.accGood += good * float64(fill)
	r.accN += fill
	k -= fill
	if r.accN == r.perBucket {
		r.flushBucket(false)
	}
	if whole := k / r.perBucket; whole > 0 {
		r.appendBuckets(whole, arr*float64(r.perBucket), good*float64(r.perBucket))
		k -= whole * r.perBucket
	}
	r.accArr += arr * float64(k)
	r.accGood += good * float64(k)
	r.accN += k
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
	// Failures retry into the next class while the orbit has room. The last
	// class, when it stands for several attempts (more than maxClasses a
	// request), retries into itself: each failure there gives up with one
	// over the attempts it stands for (their count in the mean).
	if g.unlimit && g.total > 0 && failed[A-1] > 0 {
		x := failed[A-1] / float64(g.total-A+1)
		failed[A-1] -= x
		r.led.GaveUp += x
	}
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
	if r.accN == 0 || r.share < 0 {
		r.share = g.goodShare(alpha, p, soj)
	}
	r.accArr += lam * dt
	r.accGood += lam * dt * r.share
	r.accN++
	if r.accN >= r.perBucket {
		r.flushBucket(false)
	}
	if r.every > 0 && t >= r.nextSample {
		r.nextSample += r.every
		r.traj = append(r.traj, Point{T: time.Duration(t * 1e9), Held: r.n, Waiting: r.orbitTotal(), Good: r.share})
	}
}

func (r *genRun) flushBucket(last bool) {
	if r.accN == 0 || (last && 2*r.accN < r.perBucket) {
		return
	}
	r.appendBuckets(1, r.accArr, r.accGood)
	r.accArr, r.accGood, r.accN = 0, 0, 0
}

// appendBuckets adds n buckets of arr arrivals, good of them good.
func (r *genRun) appendBuckets(n int, arr, good float64) {
	next := 0
	if k := len(r.buckets); k > 0 {
		last := &r.buckets[k-1]
		next = last.from + last.n
		if last.arr == arr && last.good == good {
			last.n += n
			return
		}
	}
	r.buckets = append(r.buckets, segment{from: next, n: n, arr: arr, good: good})
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
