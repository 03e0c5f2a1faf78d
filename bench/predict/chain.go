package predict

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// ChainConfig is a small single-station system for the exact Markov chain,
// Metafor's kind (arXiv 2510.03551): Poisson arrivals, Workers exponential
// workers, a FIFO queue of Queue places, clients that give up on an attempt
// after Timeout and retry after an exponential delay of mean RetryDelay, up
// to Attempts attempts a request, at most Orbit of them waiting to retry.
// Times are in seconds, rates per second. It is the generic service's
// [clients] and [service] with service_time = "exp(1/Mu)", retry_delay =
// "exp(RetryDelay)", queue_capacity = Queue and orbit_cap = Orbit.
type ChainConfig struct {
	Lambda     float64 // new requests per second
	Mu         float64 // completions per second of one worker
	Workers    int
	Queue      int     // waiting places (the station holds at most Queue+Workers)
	Orbit      int     // clients waiting to retry, at most
	Timeout    float64 // seconds; 0: clients never give up
	Attempts   int     // per request, the first included
	RetryDelay float64 // mean seconds before a retry; above 0 when Attempts > 1
}

// Limits on a chain: its levels (station lengths) times its phases (orbit
// lengths), and the phases alone, which set the cost of each block solve
// ((Orbit+1)³ per level).
const (
	MaxChainStates = 1 << 20
	MaxChainOrbit  = 512
)

// Validate checks c's ranges.
func (c ChainConfig) Validate() error {
	switch {
	case !(c.Lambda >= 0 && c.Lambda <= 1e9):
		return fmt.Errorf("predict: chain: lambda %v outside [0, 1e9] per second", c.Lambda)
	case !(c.Mu > 0 && c.Mu <= 1e9):
		return fmt.Errorf("predict: chain: mu %v outside (0, 1e9] per second", c.Mu)
	case c.Workers < 1 || c.Workers > 1<<10:
		return fmt.Errorf("predict: chain: workers %d outside 1..%d", c.Workers, 1<<10)
	case c.Queue < 0:
		return fmt.Errorf("predict: chain: queue %d below 0", c.Queue)
	case c.Orbit < 0 || c.Orbit > MaxChainOrbit:
		return fmt.Errorf("predict: chain: orbit %d outside 0..%d", c.Orbit, MaxChainOrbit)
	case !(c.Timeout >= 0 && c.Timeout <= 1e9):
		return fmt.Errorf("predict: chain: timeout %v s outside [0, 1e9]", c.Timeout)
	case c.Attempts < 1 || c.Attempts > 1<<20:
		return fmt.Errorf("predict: chain: attempts %d outside 1..%d", c.Attempts, 1<<20)
	case c.Attempts > 1 && c.Orbit > 0 && !(c.RetryDelay > 0 && c.RetryDelay <= 1e9):
		return fmt.Errorf("predict: chain: retry delay %v s outside (0, 1e9] (needed with %d attempts and an orbit of %d)", c.RetryDelay, c.Attempts, c.Orbit)
	}
	if n := (c.Queue + c.Workers + 1) * (c.Orbit + 1); n > MaxChainStates {
		return fmt.Errorf("predict: chain: %d states ((queue %d + workers %d + 1) × (orbit %d + 1)), at most %d", n, c.Queue, c.Workers, c.Orbit, MaxChainStates)
	}
	return nil
}

// Chain is the continuous-time Markov chain of a ChainConfig. A state is
// (n, o): n attempts at the station (queued or in service, 0…N with N =
// Queue+Workers) and o clients waiting to retry (0…Orbit). From (n, o):
//
//	new request, rate λ:       n < N: admitted (n+1); its client joins the orbit
//	                           with probability T(n)·r(T(n)) (its attempt will
//	                           time out and it has attempts left), if o < Orbit
//	                           n = N: refused at once; joins the orbit with r(1)
//	retry, rate o/RetryDelay:  n < N: admitted (n+1, o−1), or (n+1, o) with
//	                           probability T(n)·r(T(n)); n = N: refused, leaves
//	                           the orbit with probability 1 − r(1)
//	completion, min(n,c)·μ:    (n−1, o)
//
// T(n) is the probability that an attempt joining behind n times out: its
// FIFO sojourn, Erlang(n−c+1, cμ) of waiting plus its own Exp(μ), exceeds
// Timeout (erlangTail). r(φ) is the share of failures that are not their
// request's last when attempts fail with probability φ (retryShare).
//
// Where it is exact and where not: arrivals, service and retry delays are
// exponential as in the configured simulator, and attempts still queued after
// their client gave up are served (the simulator's stale work). Two things a
// two-dimensional state cannot hold are approximated, as Metafor does: a
// client whose attempt will time out joins the orbit when the attempt is
// admitted, not Timeout later (the lag of the timeout is dropped), and the
// attempts a client has left are not in the state (r(φ) stands for them).
// Without a timeout and with attempts that never run out the chain is the
// exact retrial queue the simulator runs.
//
// The states are ordered by level n, each level a block of Orbit+1 phases;
// the generator is block tridiagonal (n moves by at most one), so every solve
// is a block elimination over the levels, (N+1)·(Orbit+1)³ work, with gonum's
// dense LU on each block.
type Chain struct {
	cfg  ChainConfig
	N, O int
	// Per level n: the blocks to n−1 (down), within n (same, diagonal
	// included) and to n+1 (up), (O+1)×(O+1) each.
	down, same, up []*mat.Dense
}

// NewChain validates c and builds its generator.
func NewChain(c ChainConfig) (*Chain, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	ch := &Chain{cfg: c, N: c.Queue + c.Workers, O: c.Orbit}
	k := ch.O + 1
	for n := 0; n <= ch.N; n++ {
		ch.down = append(ch.down, mat.NewDense(k, k, nil))
		ch.same = append(ch.same, mat.NewDense(k, k, nil))
		ch.up = append(ch.up, mat.NewDense(k, k, nil))
	}
	for n := 0; n <= ch.N; n++ {
		for o := 0; o <= ch.O; o++ {
			var out float64
			ch.each(n, o, func(n2, o2 int, rate float64) {
				if rate <= 0 || (n2 == n && o2 == o) {
					return
				}
				out += rate
				var b *mat.Dense
				switch n2 {
				case n - 1:
					b = ch.down[n]
				case n:
					b = ch.same[n]
				default:
					b = ch.up[n]
				}
				b.Set(o, o2, b.At(o, o2)+rate)
			})
			ch.same[n].Set(o, o, ch.same[n].At(o, o)-out)
		}
	}
	return ch, nil
}

// States is the number of states, (N+1)·(O+1).
func (ch *Chain) States() int { return (ch.N + 1) * (ch.O + 1) }

// each calls emit with every transition out of (n, o) and its rate
// (self-loops included, for the invariant test; they carry no rate out).
func (ch *Chain) each(n, o int, emit func(n2, o2 int, rate float64)) {
	c := ch.cfg
	retries := 0.0
	if c.Orbit > 0 && c.Attempts > 1 {
		retries = float64(o) / c.RetryDelay
	}
	if n < ch.N {
		t := 0.0
		if c.Timeout > 0 {
			t = erlangTail(n, c.Workers, c.Mu, c.Timeout)
		}
		join := t * retryShare(t, c.Attempts) // admitted, will time out, retries
		if o < ch.O {
			emit(n+1, o+1, c.Lambda*join)
			emit(n+1, o, c.Lambda*(1-join))
		} else {
			emit(n+1, o, c.Lambda) // the orbit is full: its retry is abandoned
		}
		emit(n+1, o, retries*join)
		if o > 0 {
			emit(n+1, o-1, retries*(1-join))
		}
	} else {
		r := retryShare(1, c.Attempts)
		if o < ch.O {
			emit(n, o+1, c.Lambda*r)
		}
		if o > 0 {
			emit(n, o-1, retries*(1-r))
		}
	}
	if n > 0 {
		emit(n-1, o, float64(min(n, c.Workers))*c.Mu)
	}
}

// Distribution is a probability distribution over a chain's states.
type Distribution struct {
	N, O int
	P    []float64 // state (n, o) at n·(O+1)+o
}

// At is the probability of state (n, o).
func (d Distribution) At(n, o int) float64 { return d.P[n*(d.O+1)+o] }

// Sum is the total probability (1 for a distribution; the invariant).
func (d Distribution) Sum() float64 {
	var s float64
	for _, p := range d.P {
		s += p
	}
	return s
}

// MeanStation is the mean number of attempts at the station (queued or in
// service).
func (d Distribution) MeanStation() float64 {
	var s float64
	for n := 0; n <= d.N; n++ {
		for o := 0; o <= d.O; o++ {
			s += float64(n) * d.At(n, o)
		}
	}
	return s
}

// MeanOrbit is the mean number of clients waiting to retry.
func (d Distribution) MeanOrbit() float64 {
	var s float64
	for n := 0; n <= d.N; n++ {
		for o := 0; o <= d.O; o++ {
			s += float64(o) * d.At(n, o)
		}
	}
	return s
}

// Stationary solves πQ = 0, Σπ = 1 by linear level reduction: S_0 = B_0,
// S_n = B_n − L_n S_{n−1}⁻¹ U_{n−1} (B, L, U the within-, down- and up-level
// blocks), π_N S_N = 0, then π_{n−1} = −π_n L_n S_{n−1}⁻¹ down to level 0.
// Each S_n is the generator of the chain censored to levels ≤ n, so the
// elimination needs no pivoting across levels. Probabilities below 0 by
// rounding (|p| < 1e-12 of the total) are set to 0; a larger negative one is
// an error.
func (ch *Chain) Stationary() (Distribution, error) {
	k := ch.O + 1
	x := make([]*mat.Dense, ch.N+1) // x[n] = L_n S_{n−1}⁻¹
	s := mat.DenseCopyOf(ch.same[0])
	for n := 1; n <= ch.N; n++ {
		var lu mat.LU
		lu.Factorize(s)
		if lu.Det() == 0 {
			return Distribution{}, fmt.Errorf("predict: chain: level %d of %d is singular", n-1, ch.N)
		}
		// x = L_n S⁻¹: solve Sᵀ xᵀ = L_nᵀ.
		var xt mat.Dense
		if err := lu.SolveTo(&xt, true, ch.down[n].T()); err != nil {
			return Distribution{}, fmt.Errorf("predict: chain: level %d: %v", n, err)
		}
		x[n] = mat.DenseCopyOf(xt.T())
		var prod mat.Dense
		prod.Mul(x[n], ch.up[n-1])
		next := mat.DenseCopyOf(ch.same[n])
		next.Sub(next, &prod)
		s = next
	}
	// π_N S_N = 0: replace the last column of S_N by ones, π_N M = e_last.
	m := mat.DenseCopyOf(s)
	for i := range k {
		m.Set(i, k-1, 1)
	}
	e := mat.NewVecDense(k, nil)
	e.SetVec(k-1, 1)
	var top mat.VecDense
	if err := top.SolveVec(m.T(), e); err != nil {
		return Distribution{}, fmt.Errorf("predict: chain: top level: %v", err)
	}
	d := Distribution{N: ch.N, O: ch.O, P: make([]float64, ch.States())}
	cur := mat.VecDenseCopyOf(&top)
	for n := ch.N; ; n-- {
		for o := range k {
			d.P[n*k+o] = cur.AtVec(o)
		}
		if n == 0 {
			break
		}
		var prev mat.VecDense
		prev.MulVec(x[n].T(), cur) // π_{n−1}ᵀ = −(π_n x_n)ᵀ
		prev.ScaleVec(-1, &prev)
		cur = &prev
	}
	total := d.Sum()
	if !(total > 0) || math.IsInf(total, 0) {
		return Distribution{}, fmt.Errorf("predict: chain: stationary mass %v", total)
	}
	for i, p := range d.P {
		p /= total
		if p < 0 {
			if p < -1e-12 {
				return Distribution{}, fmt.Errorf("predict: chain: stationary probability %v below 0 at state %d", p, i)
			}
			p = 0
		}
		d.P[i] = p
	}
	return d, nil
}

// HittingTimes is the expected time to reach a target state from every
// state (0 on targets), in seconds, solving Q_TT u = −1 over the states T
// that are not targets by block elimination over the levels (the block
// Thomas algorithm). A target row is the identity with right-hand side 0. The
// result is indexed as Distribution.P.
func (ch *Chain) HittingTimes(target func(n, o int) bool) ([]float64, error) {
	k := ch.O + 1
	rows := func(n int) (l, b, u *mat.Dense, r *mat.VecDense) {
		l, b, u = mat.DenseCopyOf(ch.down[n]), mat.DenseCopyOf(ch.same[n]), mat.DenseCopyOf(ch.up[n])
		r = mat.NewVecDense(k, nil)
		for o := range k {
			if target(n, o) {
				for j := range k {
					l.Set(o, j, 0)
					b.Set(o, j, 0)
					u.Set(o, j, 0)
				}
				b.Set(o, o, 1)
				continue
			}
			r.SetVec(o, -1)
		}
		return l, b, u, r
	}
	// Forward: T_n = B_n − L_n T_{n−1}⁻¹ U_{n−1}, y_n = r_n − L_n T_{n−1}⁻¹ y_{n−1}.
	lus := make([]mat.LU, ch.N+1)
	ups := make([]*mat.Dense, ch.N+1)
	ys := make([]*mat.VecDense, ch.N+1)
	var prevU *mat.Dense
	for n := 0; n <= ch.N; n++ {
		l, b, u, r := rows(n)
		if n > 0 {
			var w mat.Dense // T_{n−1}⁻¹ U_{n−1}
			if err := lus[n-1].SolveTo(&w, false, prevU); err != nil {
				return nil, fmt.Errorf("predict: chain: hitting level %d: %v", n-1, err)
			}
			var lw mat.Dense
			lw.Mul(l, &w)
			b.Sub(b, &lw)
			var z mat.VecDense // T_{n−1}⁻¹ y_{n−1}
			if err := lus[n-1].SolveVecTo(&z, false, ys[n-1]); err != nil {
				return nil, fmt.Errorf("predict: chain: hitting level %d: %v", n-1, err)
			}
			var lz mat.VecDense
			lz.MulVec(l, &z)
			r.SubVec(r, &lz)
		}
		lus[n].Factorize(b)
		if lus[n].Det() == 0 {
			return nil, fmt.Errorf("predict: chain: hitting level %d is singular (no target reachable?)", n)
		}
		ups[n], ys[n], prevU = u, r, u
	}
	// Backward: u_N = T_N⁻¹ y_N, u_n = T_n⁻¹ (y_n − U_n u_{n+1}).
	out := make([]float64, ch.States())
	var next *mat.VecDense
	for n := ch.N; n >= 0; n-- {
		rhs := mat.VecDenseCopyOf(ys[n])
		if next != nil {
			var un mat.VecDense
			un.MulVec(ups[n], next)
			rhs.SubVec(rhs, &un)
		}
		var v mat.VecDense
		if err := lus[n].SolveVecTo(&v, false, rhs); err != nil {
			return nil, fmt.Errorf("predict: chain: hitting level %d: %v", n, err)
		}
		for o := range k {
			out[n*k+o] = v.AtVec(o)
		}
		next = &v
	}
	return out, nil
}

// DrainTime is the expected time from a full station with a full orbit
// (state (N, Orbit), Metafor's "full") to an empty station (n = 0, any
// orbit), in seconds.
func (ch *Chain) DrainTime() (float64, error) {
	u, err := ch.HittingTimes(func(n, _ int) bool { return n == 0 })
	if err != nil {
		return 0, err
	}
	return u[ch.N*(ch.O+1)+ch.O], nil
}
