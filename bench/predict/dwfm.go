package predict

import (
	"fmt"
	"math"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/scenario"
)

// lease is DWFM's fluid model: one host, the slowest of the fleet's (see
// the package doc), as a FIFO conveyor of cohorts of attempts. Times are in
// seconds.
type lease struct {
	sc          *scenario.Scenario
	law         Law
	hosts       int
	n           float64 // droplets on the host
	p, lo, hi   float64 // check interval, lease TTL range
	tau         float64 // establishment timeout
	c           float64 // workers
	s, cv2      float64 // mean establishment time and its squared coefficient of variation
	gq, gb, cap float64 // growth per queued attempt and per busy worker; cap (0: no growth)
	start, end  float64 // the outage
	outage      bool
	horizon     float64
	lapsed      float64 // share of droplets whose lease lapses in the outage
	early, late float64 // lapse shares asking in the first P−δ and the last δ of the first check interval after the outage
	split       float64 // P − δ
	scale       float64 // the slowest host's lapsed droplets over the mean host's
	varies      bool    // the law refuses by the host's state (a queue or concurrency cap): its chain is worth following
}

// newLease builds the fluid model of a DWFM scenario with droplets in the
// fleet.
func newLease(sc *scenario.Scenario, law Law) (*lease, error) {
	d, st := sc.DWFM, sc.Service
	if law.Backoff {
		return nil, &ErrNoFluid{Part: "backoff", Why: "DWFM's fluid model re-queues a timed-out attempt at once, as the lease manager does; a client backoff has no fluid law here"}
	}
	ws, err := model.Windows(sc.Triggers, model.DependencyOutage)
	if err != nil {
		return nil, fmt.Errorf("predict: %w", err)
	}
	if len(ws) > 1 {
		return nil, fmt.Errorf("predict: dwfm: %d dependency outages; the fluid model takes at most one", len(ws))
	}
	l := &lease{sc: sc, law: law, hosts: d.Hosts(), n: float64(min(d.Droplets, d.DropletsPerHost)),
		p: time.Duration(d.CheckInterval).Seconds(), lo: time.Duration(d.LeaseTTLMin).Seconds(), hi: time.Duration(d.LeaseTTLMax).Seconds(),
		tau: time.Duration(d.EstablishTimeout).Seconds(), c: float64(st.Workers), s: st.ServiceTime.Mean().Seconds(),
		gq: time.Duration(st.PerQueued).Seconds(), gb: time.Duration(st.PerBusy).Seconds(), cap: time.Duration(st.MaxService).Seconds(),
		horizon: time.Duration(sc.Horizon).Seconds(), scale: 1}
	l.cv2, _ = cv2(st.ServiceTime.Law)
	// A concurrency limit's drops: latencies over AIMD's timeout, about
	// L·s/c with L held (the establishment timeout is far longer).
	l.law.settle(l.c, l.s, minRatio(st.ServiceTime.Law, 30*(l.c+5)), func(L float64) float64 {
		m := max(L, l.c) * l.s / l.c
		return gammaTail(m, l.cv2*m*m/max(1, L), l.law.aimdTimeout.Seconds())
	})
	lw := l.law
	l.varies = lw.QueueLaw || lw.Capacity > 0 || lw.Concurrency > 0 || (lw.Reserve && lw.Limit > 0)
	if len(ws) == 1 {
		l.outage = true
		l.start, l.end = ws[0].Start.Duration().Seconds(), ws[0].End.Duration().Seconds()
		l.lapses()
	}
	return l, nil
}

// lapses works out which droplets lose their lease in the outage and when
// they ask again. A droplet's last check before the outage is u ∈ [0, P)
// before its start (uniform, from its phase), and its first check after it
// comes at the first multiple of P after D + u (D the outage's length): its
// lease, TTL ~ U[lo, hi] from that last check, lapses when the TTL is shorter
// than P·⌈(D+u)/P⌉. With D = mP + δ that is (m+1)P for u < P−δ and (m+2)P
// after, and the droplet asks at its first check after the outage, P−u−δ
// (mod P) after the end: the first P−δ of the interval takes the droplets
// of u < P−δ.
func (l *lease) lapses() {
	D := l.end - l.start
	m := math.Floor(D / l.p)
	delta := D - m*l.p
	F := func(y float64) float64 {
		if l.hi <= l.lo {
			if l.lo < y {
				return 1
			}
			return 0
		}
		return clamp01((y - l.lo) / (l.hi - l.lo + 1e-9))
	}
	l.split = l.p - delta
	l.early = F((m + 1) * l.p) // per droplet of u < P−δ
	l.late = F((m + 2) * l.p)
	l.lapsed = (l.split*l.early + delta*l.late) / l.p
	// The fleet recovers with its slowest host: give the fluid host the
	// expected largest of the hosts' work, the lapsed count Binomial(n, f)
	// times a mean work of cv² relative variance each.
	f := l.lapsed
	if f > 0 && l.hosts > 1 {
		cv := math.Sqrt((l.cv2 + 1 - f) / (l.n * f))
		l.scale = 1 + expectedMax(l.hosts)*cv
	}
}

// outside says where the run's prediction is outside the validation's
// claim: where the host's chain (variance) refuses attempts the fluid
// admits late enough that their rechecks, uniform over [P/2, 3P/2] on, are
// expected to fall past 1.15 × the predicted recovery at least half a time
// over the fleet; and where it admits attempts behind a queue past the
// separatrix while a collapse is there to fall into.
func (l *lease) outside(r *leaseRun, fp FixedPoints) []string {
	if r.recovered < 0 {
		return nil
	}
	var out []string
	fleet := float64(l.hosts) / l.scale
	var all, late float64
	for _, u := range r.unseenRefused {
		all += u.mass
		late += u.mass * clamp01((u.t+1.5*l.p-1.15*r.recovered)/l.p)
	}
	if late*fleet >= 0.5 {
		out = append(out, fmt.Sprintf("outside the 15%% claim: at a load up to %.2f of a host's capacity its queue reaches the law's limit by chance, about %.3g refusals over the fleet the fluid model does not see, each asking again a check interval (%v) on; %.3g of them are expected past 1.15 × the predicted recovery: the simulator recovers later",
			r.peakLoad, all*fleet, sec(l.p), late*fleet))
	}
	if n := r.unseenDoomed * fleet; n >= 0.5 && fp.Regime() == "bistable" {
		out = append(out, fmt.Sprintf("outside the claim: at a load up to %.2f of a host's capacity its queue passes the separatrix (%.3g queued) by chance, about %.3g attempts over the fleet outlasting the %v timeout that the fluid model does not see, and a collapse is there to fall into: the verdict itself may differ",
			r.peakLoad, fp.Separatrix(), n, sec(l.tau)))
	}
	return out
}

// expectedMax is the expected largest of k standard normal draws (Blom's
// approximation, Φ⁻¹((k − 0.375)/(k + 0.25))).
func expectedMax(k int) float64 {
	if k <= 1 {
		return 0
	}
	p := (float64(k) - 0.375) / (float64(k) + 0.25)
	return math.Sqrt2 * math.Erfinv(2*p-1)
}

// asked is the droplets (per host, the slowest host's) that have asked for
// a lease by t: the early share at a constant rate over the first P−δ after
// the outage's end, the late share over the last δ.
func (l *lease) asked(t float64) float64 {
	if !l.outage || t <= l.end {
		return 0
	}
	x := min(t-l.end, l.p)
	k := l.n * l.scale / l.p
	return k * (l.early*min(x, l.split) + l.late*max(0, x-l.split))
}

// leaseRun is one integration.
type leaseRun struct {
	l             *lease
	dt            float64
	live, stale   []float64 // per join step
	front         int       // oldest cohort not fully served
	held          float64   // queued or in service
	recheck       []float64 // increments of the recheck rate, per step
	recheckRate   float64
	pool          float64 // reserve: booked droplets waiting for their slot
	tokens        float64
	leased, asked float64
	wasted        float64
	traj          []Point
	every, next   float64
	led           Ledger
	last          int     // the last step run
	recovered     float64 // −1: not
	collapsed     bool
	// What the mean field does not see where the host has no queue (the
	// quasi-stationary chain of the host's attempts, variance), per host:
	// refusals, and attempts admitted behind a queue past the separatrix.
	unseenRefused []unseen // by the step they arise in
	unseenDoomed  float64
	peakLoad      float64 // the highest load offered where they arise, over the host's capacity
}

// unseen is refused mass the fluid does not see at t (from the outage's end).
type unseen struct{ t, mass float64 }

// variance adds to the run's unseen refusals and doomed attempts of one
// step where the fluid host has no queue: a is the offered rate, adm the
// fluid's admitted rate. The host's held attempts are a birth-death chain
// (Poisson arrivals, the law's admission in each state, exponential
// service at the grown establishment time), quasi-stationary at the step's
// rates; under reserve, its booked feed arrives (no refusal to recheck).
func (r *leaseRun) variance(a, adm, t float64, now time.Duration) {
	l, dt := r.l, r.dt
	if l.law.Reserve {
		a = adm
	}
	if a <= 0 {
		return
	}
	var z, in, doomed, pn float64 = 0, 0, 0, 1
	for n := 0; n < 4096; n++ {
		fn := float64(n)
		q := max(0, fn-l.c)
		lam := l.law.chainAdmits(a, q, fn, now)
		z += pn
		in += pn * lam
		if l.sojourn(q) >= l.tau {
			doomed += pn * lam
		}
		if lam <= 0 || (pn < 1e-15*z && n > int(l.c)) {
			break
		}
		mu := min(fn+1, l.c) / l.service(fn+1, min(fn+1, l.c))
		pn *= lam / mu
		if pn > 1e200 { // keep the weights in range
			z, in, doomed, pn = z*1e-200, in*1e-200, doomed*1e-200, pn*1e-200
		}
	}
	var ref float64
	if !l.law.Reserve {
		ref = max(0, a-in/z-(a-adm)) * dt // refused by the chain, admitted by the fluid
		if ref > 0 {
			r.unseenRefused = append(r.unseenRefused, unseen{t, ref})
		}
	}
	r.unseenDoomed += doomed / z * dt
	if ref+doomed/z*dt > 1e-9 {
		r.peakLoad = max(r.peakLoad, a/(l.c/l.service(l.c, l.c)))
	}
}

// sojourn is how long an attempt joining behind q queued takes to be
// established: its wait q·s/c and its own s, s grown by the queue.
func (l *lease) sojourn(q float64) float64 {
	s := l.service(q+l.c, l.c)
	return q*s/l.c + s
}

// run integrates from the outage's end at the model's own resolution (a
// quarter of the establishment time, a 60th of the check interval, a 100th
// of the timeout, never coarser whatever the horizon) until the fleet
// recovers, collapses for good or reaches the horizon; a run that needs
// more than maxRunSteps is refused.
func (l *lease) run(traj bool) (*leaseRun, error) {
	span := l.horizon - l.end
	dt := min(l.s/4, l.p/60, l.tau/100)
	steps := int(math.Ceil(span/dt)) + 2
	ahead := int(2*l.p/dt) + 4 // a refused attempt asks again within 1.5 check intervals
	n0 := min(steps, 1<<12)
	r := &leaseRun{l: l, dt: dt, live: make([]float64, n0), stale: make([]float64, n0), recheck: make([]float64, n0+ahead), tokens: -1, recovered: -1}
	r.led.MinMass = 0
	if traj {
		r.every = max(span/2000, dt)
	}
	lt := int(math.Round(l.tau / dt)) // timeout, in steps
	total := l.n * l.scale * l.lapsed
	if total <= 0 {
		r.recovered = 0
		return r, nil
	}
	// Stuck: once every lapsed droplet has asked, nothing leased over two
	// check intervals and two timeouts (a refusal's recheck and a timed-out
	// attempt's next round both fall within), with a queue no shorter than
	// at their start, is a collapse held for good.
	stuck := int(math.Ceil((2*l.p + 2*l.tau) / dt))
	leasedAt, heldAt := -1.0, 0.0
	for i := 0; i < steps-1; i++ {
		t := l.end + float64(i)*dt
		if t >= l.horizon {
			break
		}
		if i >= maxRunSteps {
			return nil, fmt.Errorf("predict: the fluid run of %s neither recovered nor collapsed within %d steps of %v (to t=%v of the horizon %v): its resolution cannot be held further; shorten the horizon",
				l.sc.Name, maxRunSteps, sec(dt), sec(t), sec(l.horizon))
		}
		r.live, r.stale = extend(r.live, i+1), extend(r.stale, i+1)
		r.recheck = extend(r.recheck, i+ahead)
		if t > l.end+l.p && i%stuck == 0 {
			if leasedAt >= 0 && r.leased-leasedAt <= 1e-9*l.n && r.held > 0 && r.held >= heldAt*(1-1e-9) {
				r.collapsed = true
				break
			}
			leasedAt, heldAt = r.leased, r.held
		}
		r.last = i
		now := time.Duration(t * 1e9)
		if l.law.Operator && l.law.Restart && t <= l.law.OpAt.Seconds() && t+dt > l.law.OpAt.Seconds() {
			r.restart(i)
		}
		// Offered attempts: new asks, rechecks after a refusal, and
		// timed-out attempts re-queued at once.
		r.recheckRate += r.recheck[i]
		ask := l.asked(t+dt) - l.asked(t)
		offered := ask + max(0, r.recheckRate)*dt
		r.asked += ask
		if j := i - lt; j >= 0 && j >= r.front && r.live[j] > 0 {
			x := r.live[j]
			r.live[j] = 0
			r.stale[j] += x
			offered += x
		}
		busy := min(l.c, r.held)
		s := l.service(r.held, busy)
		mu := busy / s
		q := max(0, r.held-l.c)
		var adm float64
		if l.law.Reserve {
			demand := offered + r.pool
			if l.law.Limit == 0 || q < l.law.Limit {
				adm = min(demand, l.law.Rate*dt)
			}
			r.pool = demand - adm
		} else {
			adm = 0
			if offered > 0 {
				adm = l.law.admits(offered/dt, occupancy{q, r.held, mu, l.c, s}, dt, now, &r.tokens) * dt
			}
			adm = min(adm, offered)
			if ref := offered - adm; ref > 0 { // asks again at a check in [P/2, 3P/2]
				a, b := i+int(math.Round(l.p/2/dt)), i+int(math.Round(1.5*l.p/dt))
				if b <= a {
					b = a + 1
				}
				k := ref / (float64(b-a) * dt)
				r.recheck[a] += k
				r.recheck[b] -= k
			}
		}
		if offered > 0 && r.held < l.c && l.varies {
			r.variance(offered/dt, adm/dt, t-l.end, now)
		}
		r.live[i] += adm
		r.held += adm
		r.led.Admitted += adm
		// Service from the front, implicit where fewer than the workers are busy.
		before := r.held
		next := before - dt*l.c/s
		if next < l.c {
			next = min(l.c, before/(1+dt/s))
		}
		next = max(0, next)
		r.serve(before-next, i, lt)
		if r.every > 0 && t >= r.next {
			r.next += r.every
			r.traj = append(r.traj, Point{T: time.Duration(t * 1e9), Held: r.held, Waiting: r.asked - r.leased, Good: 1 - (total-r.leased)/(l.n*l.scale)})
		}
		// The fleet's last droplet: fewer than half a droplet left unleased
		// over all hosts (this host stands for the slowest).
		if t+dt >= l.end+l.p && float64(l.hosts)*(r.asked-r.leased)/l.scale < 0.5 {
			r.recovered = t + dt - l.end
			break
		}
		// Collapsed: far more queued than droplets, none of it live work
		// that can finish in time.
		if r.held > 20*l.n && r.held*s/l.c > 4*l.tau {
			r.collapsed = true
			break
		}
	}
	r.led.Held = r.held
	r.led.Arrived = r.asked
	r.led.Succeeded = r.leased
	r.led.InFlight = r.inFlight()
	return r, nil
}

// extend is s grown to at least n (zeros added), its backing array doubled
// when it must grow.
func extend(s []float64, n int) []float64 {
	if len(s) >= n {
		return s
	}
	if cap(s) >= n {
		return s[:n]
	}
	ns := make([]float64, n, max(n, 2*cap(s)))
	copy(ns, s)
	return ns
}

// inFlight is the droplets that asked and hold no lease: live attempts
// queued, refused ones waiting for their next check, booked ones waiting
// for their slot.
func (r *leaseRun) inFlight() float64 {
	x := r.pool
	for j := r.front; j < len(r.live); j++ {
		x += r.live[j]
	}
	// Rechecks still to come: the rate's increments not yet applied,
	// integrated over the steps ahead (the last step run is r.last).
	rate := r.recheckRate
	for j := r.last + 1; j < len(r.recheck); j++ {
		rate += r.recheck[j]
		x += rate * r.dt
	}
	return x
}

// service is the establishment time with held attempts at the host.
func (l *lease) service(held, busy float64) float64 {
	s := l.s
	if l.cap > 0 {
		s = min(l.cap, s+l.gq*max(0, held-l.c)+l.gb*busy)
		s = max(s, l.s)
	}
	return s
}

// serve takes amount from the front of the queue: live attempts become
// leases, stale ones are wasted work; with deadline-drop, attempts older than
// the deadline are skipped at no cost.
func (r *leaseRun) serve(amount float64, i, lt int) {
	r.led.Served += amount
	for amount > 1e-15 && r.front <= i {
		j := r.front
		if r.l.law.DeadlineDrop && float64(i-j)*r.dt >= r.l.law.DeadlineAfter.Seconds() && r.stale[j] > 0 {
			r.held -= r.stale[j]
			r.led.Dropped += r.stale[j]
			r.stale[j] = 0
		}
		m := r.live[j] + r.stale[j]
		if m <= 0 {
			r.front++
			continue
		}
		take := min(amount, m)
		fl := take * r.live[j] / m
		r.live[j] -= fl
		r.stale[j] -= take - fl
		r.leased += fl
		r.wasted += take - fl
		r.held -= take
		amount -= take
		if take == m {
			r.live[j], r.stale[j] = 0, 0
			r.front++
		}
	}
	r.held = max(0, r.held)
	r.led.MinMass = min(r.led.MinMass, r.held)
}

// restart drops the host's queue: live attempts fail fast (their droplets
// ask again at a check in [P/2, 3P/2]); stale ones vanish.
func (r *leaseRun) restart(i int) {
	l := r.l
	var live float64
	for j := r.front; j <= i && j < len(r.live); j++ {
		live += r.live[j]
		r.led.Dropped += r.live[j] + r.stale[j]
		r.live[j], r.stale[j] = 0, 0
	}
	r.front = i
	r.held = 0
	a, b := i+int(math.Round(l.p/2/r.dt)), i+int(math.Round(1.5*l.p/r.dt))
	if b <= a {
		b = a + 1
	}
	k := live / (float64(b-a) * r.dt)
	r.recheck[a] += k
	r.recheck[b] -= k
}
