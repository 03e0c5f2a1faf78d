package predict

import (
	"fmt"
	"math"
	"strings"
)

// Kind is a fixed point's role.
type Kind uint8

// Fixed-point kinds.
const (
	Healthy   Kind = iota // stable, requests answered well
	Unstable              // the separatrix: above it the system collapses by itself
	Collapsed             // stable (or a queue that grows without bound), requests mostly fail
)

func (k Kind) String() string {
	switch k {
	case Unstable:
		return "unstable"
	case Collapsed:
		return "collapsed"
	}
	return "healthy"
}

// FixedPoint is one fixed point of the system after the trigger, in the
// station's attempts held (per host for DWFM).
type FixedPoint struct {
	Kind    Kind
	Held    float64 // +Inf: the queue grows without bound
	Good    float64 // share of requests answered well there (generic); 1 or 0 (DWFM)
	Growing bool    // the collapsed state is a queue that grows at Rate
	Rate    float64 // its growth, attempts per second; +Inf: without bound (no stationary rate: a request's attempts do not run out)
}

// FixedPoints are the fixed points of the post-trigger system, lowest first,
// and what they make of it.
type FixedPoints struct {
	Points []FixedPoint
}

// Regime is "healthy", "collapsed" or "bistable" (both stable states exist).
func (f FixedPoints) Regime() string {
	var h, c bool
	for _, p := range f.Points {
		h = h || p.Kind == Healthy
		c = c || p.Kind == Collapsed
	}
	switch {
	case h && c:
		return "bistable"
	case c:
		return "collapsed"
	}
	return "healthy"
}

// Separatrix is the unstable fixed point's held attempts, +Inf when there
// is none.
func (f FixedPoints) Separatrix() float64 {
	for _, p := range f.Points {
		if p.Kind == Unstable {
			return p.Held
		}
	}
	return math.Inf(1)
}

func (f FixedPoints) String() string {
	var parts []string
	for _, p := range f.Points {
		switch {
		case p.Growing && math.IsInf(p.Rate, 1):
			parts = append(parts, fmt.Sprintf("%s (queue grows without bound: the retries have no stationary rate)", p.Kind))
		case p.Growing:
			parts = append(parts, fmt.Sprintf("%s (queue growing %.3g/s)", p.Kind, p.Rate))
		case p.Kind == Unstable:
			parts = append(parts, fmt.Sprintf("%s at %.4g held", p.Kind, p.Held))
		default:
			parts = append(parts, fmt.Sprintf("%s at %.4g held (good %.3f)", p.Kind, p.Held, p.Good))
		}
	}
	return f.Regime() + ": " + strings.Join(parts, "; ")
}

// fixed finds the generic model's fixed points after the trigger, under
// the final inputs (a schedule change after the trigger counts). The
// retries are taken at their stationary flow (the quasi-static reduction):
// with held n, an attempt is admitted with alpha(a) and times out with
// p(n), so it fails with φ = 1 − alpha(1 − p), and a request sends
// a/λ = Σ_{k<A} φ^k attempts (fewer when the orbit's cap binds, where the
// orbit holds the retry flow times its mean delay). The held attempts then
// move as dn/dt = F(n) = alpha·a − μ(n); the fixed points are F's roots,
// stable where F falls through 0, and a queue that F still feeds at its
// largest n collapses without bound (or sits at the queue's capacity).
func (g *generic) fixed() FixedPoints {
	// The final inputs: those from the trigger's end or the last change of
	// the schedule (or the operator's action), whichever comes later.
	t := max(g.triggerEnd(), g.lastChange())
	lam, workers, slow, _ := g.inputs(t)
	lam = max(lam, 0)
	var meanBeta float64
	for _, b := range g.beta {
		meanBeta += b
	}
	meanBeta /= float64(max(1, len(g.beta)))
	// F(n) is what the station gains at n, admitted less served; unbounded
	// when every attempt fails and a request's attempts do not run out (the
	// retry flow then grows with time and has no stationary value).
	f := func(n float64) (F, good float64, unbounded bool) {
		s := g.service(n, workers, slow)
		busy := min(n, workers)
		if g.delay {
			busy = n
		}
		mu := busy / s
		q := max(0, n-workers)
		if g.delay {
			q = 0
		}
		p := g.doomed(n, workers, slow)
		a := lam
		alpha, adm := 1.0, lam
		for range 60 {
			adm = a
			if a > 0 {
				law := g.law
				law.Burst = 0
				tok := 0.0 // no burst in a stationary flow: the rate caps
				adm = law.admits(a, occupancy{q, n, mu, g.servers(workers), s}, 1, sec(t), &tok)
				if q >= g.kcap {
					adm = min(adm, mu)
				}
				alpha = adm / a
			}
			phi := 1 - alpha*(1-p)
			var per float64
			switch {
			case phi >= 1 && g.total == 0:
				per = math.Inf(1)
			case phi >= 1:
				per = float64(g.total)
			case g.total == 0:
				per = 1 / (1 - phi)
			default:
				per = (1 - math.Pow(phi, float64(g.total))) / (1 - phi)
			}
			next := lam * per
			if meanBeta > 0 && (next-lam)*meanBeta > g.orbitCap {
				next = lam + g.orbitCap/meanBeta
			}
			if math.IsInf(next, 1) {
				if a > 0 {
					law := g.law
					law.Burst = 0
					tok := 0.0
					adm = law.admits(next, occupancy{q, n, mu, g.servers(workers), s}, 1, sec(t), &tok)
					if q >= g.kcap {
						adm = min(adm, mu)
					}
				}
				if math.IsInf(adm, 1) {
					return math.Inf(1), 0, true
				}
				return adm - mu, g.goodShare(0, p, g.sojourn(n, workers, slow)), false
			}
			if math.Abs(next-a) <= 1e-9*(1+a) {
				a = next
				break
			}
			a = 0.5*a + 0.5*next
		}
		return adm - mu, g.goodShare(alpha, p, g.sojourn(n, workers, slow)), false
	}
	top := g.kcap + workers
	if L := g.law.Concurrency; L > 0 { // the limit holds at most L
		top = min(top, L)
	}
	bounded := !math.IsInf(top, 0)
	if !bounded {
		// Far enough that the timeout is certain and the service slowest.
		top = workers + 10
		for range 60 {
			if g.doomed(top, workers, slow) >= 1-1e-9 || g.tau <= 0 {
				break
			}
			top *= 2
		}
		top = max(top*4, 4*workers)
	}
	if g.delay {
		top = max(top, 10*lam*g.s0*slow+100)
	}
	// Scan n on a grid fine near 0 and geometric above.
	var xs []float64
	for n := 0.0; n <= min(top, 4*workers+40); n += 0.5 {
		xs = append(xs, n)
	}
	for n := 4*workers + 40; n < top; n *= 1.02 {
		xs = append(xs, n)
	}
	xs = append(xs, top)
	var fp FixedPoints
	prevX, prevF := xs[0], 0.0
	prevF, _, _ = f(prevX)
	unbounded := false
	for _, x := range xs[1:] {
		fx, _, ub := f(x)
		unbounded = ub
		if (prevF > 0) != (fx > 0) {
			lo, hi := prevX, x
			for range 50 {
				m := (lo + hi) / 2
				fm, _, _ := f(m)
				if (fm > 0) == (prevF > 0) {
					lo = m
				} else {
					hi = m
				}
			}
			n := (lo + hi) / 2
			_, good, _ := f(n)
			if prevF > 0 { // falls through 0: stable
				k := Healthy
				if good < 0.9 {
					k = Collapsed
				}
				fp.Points = append(fp.Points, FixedPoint{Kind: k, Held: n, Good: good})
			} else {
				fp.Points = append(fp.Points, FixedPoint{Kind: Unstable, Held: n, Good: good})
			}
		}
		prevX, prevF = x, fx
	}
	atTop := len(fp.Points) > 0 && fp.Points[len(fp.Points)-1].Held >= top*(1-1e-9)
	if (prevF > 0 || (bounded && prevF >= -1e-9)) && !atTop {
		_, good, _ := f(top)
		switch {
		case bounded:
			fp.Points = append(fp.Points, FixedPoint{Kind: Collapsed, Held: top, Good: good})
		case unbounded: // the retries grow with time: no stationary rate
			fp.Points = append(fp.Points, FixedPoint{Kind: Collapsed, Held: math.Inf(1), Good: good, Growing: true, Rate: math.Inf(1)})
		default:
			fp.Points = append(fp.Points, FixedPoint{Kind: Collapsed, Held: math.Inf(1), Good: good, Growing: true, Rate: prevF})
		}
	}
	if len(fp.Points) == 0 { // F < 0 everywhere above 0: empty is the fixed point
		fp.Points = append(fp.Points, FixedPoint{Kind: Healthy, Held: 0, Good: 1})
	}
	return fp
}

// fixed finds DWFM's fixed points after the outage, per host. Every
// droplet leased with an empty queue is one (healthy, stable: nothing
// lapses once the dependency is back). The other is the collapse: droplets
// re-queue an attempt every timeout, so an attempt joining a host whose
// queue holds q completes after about q·s(q)/c + s(q), s(q) the grown
// establishment time; once that passes the timeout no live attempt is
// served (the separatrix q*), and the droplets offer n/τ. Where the law
// admits more than the host serves at every queue from q* on, the queue
// grows without bound (at n/τ − c/s(q) where that is positive); where the
// law's cap on what enters brings the two level at some q ≥ q* (queue-size,
// bounded, reserve, a concurrency limit), the queue is held there, every
// attempt outlasting the timeout: a bounded collapse.
func (l *lease) fixed() FixedPoints {
	fp := FixedPoints{Points: []FixedPoint{{Kind: Healthy, Held: 0, Good: 1}}}
	sojourn := l.sojourn
	// q*: the least queue at which a new attempt outlasts the timeout.
	lo, hi := 0.0, 1.0
	if sojourn(0) >= l.tau {
		hi = 0
	}
	for sojourn(hi) < l.tau {
		hi *= 2
		if hi > 1e12 {
			return fp
		}
	}
	for range 60 {
		if hi == 0 {
			break
		}
		m := (lo + hi) / 2
		if sojourn(m) < l.tau {
			lo = m
		} else {
			hi = m
		}
	}
	qs := hi
	gain := func(q float64) float64 { // admitted less served, in the collapse
		a := l.n / l.tau
		s := l.service(q+l.c, l.c)
		mu := l.c / s
		if l.law.Reserve {
			if l.law.Limit > 0 && q >= l.law.Limit {
				return -mu
			}
			return min(a, l.law.Rate) - mu
		}
		tok := 0.0
		law := l.law
		law.Burst = 0
		return law.admits(a, occupancy{q, q + l.c, mu, l.c, s}, 1, sec(l.horizon), &tok) - mu
	}
	rate := gain(qs)
	if rate <= 0 { // the law holds the queue below q*: attempts there are served in time
		return fp
	}
	prev := qs
	for q := max(qs, 1e-3) * 1.1; q < max(qs*64, 1e6); q *= 1.1 {
		if gain(q) > 0 {
			prev = q
			continue
		}
		lo, hi := prev, q // the queue the law holds
		for range 60 {
			m := (lo + hi) / 2
			if gain(m) > 0 {
				lo = m
			} else {
				hi = m
			}
		}
		fp.Points = append(fp.Points, FixedPoint{Kind: Unstable, Held: qs}, FixedPoint{Kind: Collapsed, Held: (lo + hi) / 2})
		return fp
	}
	fp.Points = append(fp.Points, FixedPoint{Kind: Unstable, Held: qs},
		FixedPoint{Kind: Collapsed, Held: math.Inf(1), Growing: true, Rate: rate})
	return fp
}
