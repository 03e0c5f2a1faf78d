package predict

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/policy"
)

// Law is a policy's fluid form: what each of its parts does to the flows,
// per station. The zero Law is `none`.
type Law struct {
	// Admission: at most Rate attempts per second enter (token-bucket,
	// operator's throttle; 0: no rate cap) from a bucket of Burst; RateAt
	// the queue-size law, Rate·max(0, 1 − queued/Limit); Concurrency caps
	// the attempts held (queued or in service; aimd and vegas where they
	// settle); Reserve books refused attempts and feeds the station at Rate
	// while they wait, nothing entering while Limit are queued.
	Rate, Burst float64
	QueueLaw    bool // Rate·(1 − queued/Limit)
	Limit       float64
	Concurrency float64 // 0: none
	Reserve     bool
	// Capacity caps the queue (bounded); 0: none.
	Capacity float64
	// DeadlineDrop skips, unworked, attempts queued for at least
	// DeadlineAfter.
	DeadlineDrop  bool
	DeadlineAfter time.Duration
	// Backoff replaces the clients' wait before a retry (generic model):
	// BackoffMean(k) is the mean wait before retry k; MaxAttempts > 0
	// replaces their attempts per request.
	Backoff     bool
	BackoffMean func(k int) time.Duration
	MaxAttempts int
	// Operator: at At the throttle (OpRate, OpBurst) takes over, and with
	// Restart every station drops its queue and the work in service.
	Operator        bool
	OpAt            time.Duration
	OpRate, OpBurst float64
	Restart         bool
	Parts           []string // the spec's part names, as given
	// AIMD's and Vegas's parameters, from which each model settles
	// Concurrency with its own latencies (settle).
	aimd                    bool
	aimdMin, aimdMax, aimdB float64
	aimdTimeout             time.Duration
	vegas                   bool
	vegasMax                float64
}

// Station is what a policy's parameters resolve against: one station's
// nominal capacity, workers and mean service time, the clients' timeout
// and the scenario's start clock.
type Station struct {
	Capacity    float64 // completions per second
	Workers     int
	MeanService time.Duration
	Timeout     time.Duration
	Start       time.Time
}

// noFluid are the registered policies without a fluid law here, each with
// the reason.
var noFluid = map[string]string{
	"lifo":            "serving the newest first gives each attempt a sojourn that depends on the arrivals after it, not on the queue ahead",
	"adaptive-lifo":   "serving the newest first gives each attempt a sojourn that depends on the arrivals after it, not on the queue ahead",
	"codel":           "its drops follow a control law in the sojourn of single items (interval/√count), with no mean-field form derived here",
	"fb-codel":        "its drops depend on whether the queue has been empty within an interval, an event the mean field does not have",
	"gradient2":       "its limit follows a ratio of two latency averages with a headroom term and has no settling point derived here",
	"envoy-gradient":  "its limit follows periodic percentile windows and minRTT probes and has no settling point derived here",
	"sre-throttle":    "it refuses on the history of accepts and requests per client window, which the mean field does not keep",
	"circuit-breaker": "it switches between closed, open and half-open states, a discontinuity the mean field does not follow",
	"retry-budget":    "it gates retries on a sliding window of counts, which the mean field does not keep",
	"aws-quota":       "it gates retries on a token quota refunded by successes, which the mean field does not keep",
	"velocity":        "it gates retries on a sliding window of counts, which the mean field does not keep",
}

// ErrNoFluid is the error of a policy part without a fluid law.
type ErrNoFluid struct{ Part, Why string }

func (e *ErrNoFluid) Error() string {
	return fmt.Sprintf("predict: policy %s has no fluid form: %s (fluid laws: none, token-bucket, queue-size, bounded, reserve, aimd and vegas where they settle, deadline-drop, fifo, backoff, operator)", e.Part, e.Why)
}

// ParseLaw resolves spec's parts against st into a Law, or says which part
// has no fluid form.
func ParseLaw(spec string, st Station) (Law, error) {
	if strings.TrimSpace(spec) == "" {
		spec = "none"
	}
	parts, err := policy.Parse(spec)
	if err != nil {
		return Law{}, fmt.Errorf("predict: %w", err)
	}
	var l Law
	for _, p := range parts {
		l.Parts = append(l.Parts, p.Name)
		if why, ok := noFluid[p.Name]; ok {
			return Law{}, &ErrNoFluid{Part: p.Name, Why: why}
		}
		d, _ := policy.Lookup(p.Name)
		arg := func(name string) string {
			if v, ok := p.Args[name]; ok {
				return v
			}
			for _, pd := range d.Params {
				if pd.Name == name {
					return pd.Default
				}
			}
			return ""
		}
		rate := func(name string) float64 {
			v := arg(name)
			if f, ok := strings.CutSuffix(v, "x"); ok {
				x, _ := strconv.ParseFloat(f, 64)
				return x * st.Capacity
			}
			x, _ := strconv.ParseFloat(v, 64)
			return x
		}
		count := func(name string) float64 {
			v := arg(name)
			if f, ok := strings.CutSuffix(v, "w"); ok {
				n, _ := strconv.Atoi(f)
				return float64(n * st.Workers)
			}
			n, _ := strconv.Atoi(v)
			return float64(n)
		}
		number := func(name string) float64 {
			f, _ := strconv.ParseFloat(arg(name), 64)
			return f
		}
		span := func(name string) time.Duration {
			v := arg(name)
			if x, ok := strings.CutSuffix(v, "x"); ok {
				f, _ := strconv.ParseFloat(x, 64)
				return time.Duration(f * float64(st.MeanService))
			}
			dd, _ := time.ParseDuration(v)
			return dd
		}
		switch p.Name {
		case "none", "fifo":
		case "failover-off":
			return Law{}, &ErrNoFluid{Part: p.Name, Why: "it switches NLB's health-check failover, and the fluid models have no NLB"}
		case "token-bucket":
			l.Rate, l.Burst = rate("rate"), count("burst")
		case "queue-size":
			l.QueueLaw, l.Rate, l.Limit, l.Burst = true, rate("rate"), count("limit"), count("burst")
		case "reserve":
			l.Reserve, l.Rate, l.Burst, l.Limit = true, rate("rate"), count("burst"), count("limit")
		case "bounded":
			l.Capacity = count("capacity")
		case "deadline-drop":
			l.DeadlineDrop, l.DeadlineAfter = true, st.Timeout
			if _, set := p.Args["timeout"]; set {
				l.DeadlineAfter = span("timeout")
			}
			if l.DeadlineAfter <= 0 {
				return Law{}, fmt.Errorf("predict: deadline-drop: the clients have no timeout and none is given (deadline-drop:timeout=...)")
			}
		case "aimd":
			l.aimd = true
			l.aimdMin, l.aimdMax, l.aimdB, l.aimdTimeout = count("min"), count("max"), number("backoff"), span("timeout")
		case "vegas":
			l.vegas, l.vegasMax = true, count("max")
		case "backoff":
			base, capd, mult := span("base"), span("cap"), number("multiplier")
			jitter := arg("jitter")
			l.Backoff, l.MaxAttempts = true, int(number("max-attempts"))
			l.BackoffMean = func(k int) time.Duration {
				d := float64(base)
				for i := 1; i < k && (capd == 0 || d < float64(capd)); i++ {
					d *= max(mult, 1)
				}
				if capd > 0 {
					d = min(d, float64(capd))
				}
				switch jitter {
				case "full":
					d /= 2
				case "equal":
					d *= 0.75
				case "decorrelated": // uniform on [base, 3·prev]: about twice the base, capped
					d = min(2*float64(base), float64(max(capd, base)))
				}
				return time.Duration(d)
			}
		case "operator":
			at, err := when(arg("at"), st.Start)
			if err != nil {
				return Law{}, err
			}
			l.Operator, l.OpAt, l.OpRate, l.OpBurst = true, at, rate("rate"), count("burst")
			l.Restart = arg("restart") == "true"
		default:
			return Law{}, &ErrNoFluid{Part: p.Name, Why: "no fluid law is written for it"}
		}
	}
	return l, nil
}

// when resolves an operator's at: a clock time "HH:MM" on start's clock
// (the first such time at or after start) or an offset.
func when(v string, start time.Time) (time.Duration, error) {
	if h, m, ok := strings.Cut(v, ":"); ok && len(h) == 2 && len(m) == 2 {
		hh, err1 := strconv.Atoi(h)
		mm, err2 := strconv.Atoi(m)
		if err1 == nil && err2 == nil {
			if start.IsZero() {
				return 0, fmt.Errorf("predict: at=%s is a clock time but the scenario has no start clock; give an offset like 4h26m", v)
			}
			mid := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, start.Location())
			t := mid.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
			if t.Before(start) {
				t = t.AddDate(0, 0, 1)
			}
			return t.Sub(start), nil
		}
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("predict: at=%q: want a clock time or an offset", v)
	}
	return d, nil
}

// settle sets Concurrency where AIMD or Vegas settles on a station of c
// workers and mean service s, whose completions are drops (a failure, or a
// latency over AIMD's timeout) with probability drop(L) when L are held:
//
//   - AIMD adds one per success under load and multiplies by b per drop, so
//     it settles where the drops balance: drop(L) = 1/(1 + (1−b)·L),
//     within [min, max].
//   - Vegas estimates the queue as L·(1 − rtt₀/rtt), rtt₀ the least latency
//     it has seen (m₀·s, m₀ the ratio of a sample's minimum over about 30·L
//     samples to the mean: minRatio) and rtt = L·s/c, so L − c·m₀, and holds
//     it between 3·lg and 6·lg (lg = max(1, log10 L)): L = c·m₀ + 4.5·lg.
func (l *Law) settle(c, s, m0 float64, drop func(L float64) float64) {
	switch {
	case l.aimd:
		lo, hi := l.aimdMin, max(l.aimdMin, l.aimdMax)
		f := func(L float64) float64 { return drop(L) - 1/(1+(1-l.aimdB)*L) }
		switch {
		case f(lo) >= 0:
			l.Concurrency = lo
		case f(hi) <= 0:
			l.Concurrency = hi
		default:
			for range 60 {
				m := (lo + hi) / 2
				if f(m) < 0 {
					lo = m
				} else {
					hi = m
				}
			}
			l.Concurrency = (lo + hi) / 2
		}
	case l.vegas:
		L := c + 4.5
		for range 30 {
			L = c*m0 + 4.5*max(1, math.Log10(L))
		}
		l.Concurrency = max(1, min(l.vegasMax, L))
	}
}

// minRatio is the expected least of k service times over their mean: what
// Vegas takes for the no-load latency.
func minRatio(law model.Law, k float64) float64 {
	m := float64(law.Mean())
	if m <= 0 {
		return 1
	}
	switch d := law.(type) {
	case model.Exponential:
		return 1 / k
	case model.Constant:
		return 1
	case model.Uniform:
		return float64(d.Lo) / m
	case model.LogNormal:
		return math.Exp(-d.Sigma*d.Sigma/2 - d.Sigma*expectedMax(int(k)))
	case model.Bimodal:
		if d.P < 1 {
			return float64(d.Fast) / m
		}
		return float64(d.Slow) / m
	}
	return 1 / k
}

// occupancy is the station's state a law's admission reads: q waiting, n held
// (queued or in service), mu its current completion rate, on workers
// workers (+Inf for a delay station) of mean service s.
type occupancy struct{ q, n, mu, workers, s float64 }

// admits is the admitted rate of the law's admission part, given the
// offered rate a, the station's state st, and the bucket level (tokens,
// updated). now decides whether the operator's throttle is on.
//
// A concurrency limit L (aimd and vegas where they settle) refuses while L
// are held: the station then completes min(L, workers)/s, which is all that
// may enter, and below L no more may enter in a step than brings it to L.
func (l *Law) admits(a float64, st occupancy, dt float64, now time.Duration, tokens *float64) float64 {
	adm := a
	if l.Operator && now >= l.OpAt {
		adm = bucket(adm, l.OpRate, l.OpBurst, dt, tokens)
	} else if l.Rate > 0 && !l.QueueLaw && !l.Reserve {
		adm = bucket(adm, l.Rate, l.Burst, dt, tokens)
	}
	if l.QueueLaw {
		adm = min(adm, l.Rate*max(0, 1-st.q/l.Limit))
	}
	if l.Reserve {
		if l.Limit > 0 && st.q >= l.Limit {
			adm = 0
		} else {
			adm = min(adm, l.Rate)
		}
	}
	if L := l.Concurrency; L > 0 {
		full := min(L, st.workers) / st.s // completions with L held
		if st.n >= L {
			adm = min(adm, full)
		} else {
			adm = min(adm, full+(L-st.n)/dt)
		}
	}
	if l.Capacity > 0 && st.q >= l.Capacity {
		adm = min(adm, st.mu)
	}
	return max(0, adm)
}

// chainAdmits is the law's admitted rate in one state of a station's
// chain (held n, q waiting) for an offered rate a: a rate cap bounds it,
// and a hard cap (a full queue under bounded or reserve's limit, L held
// under a concurrency limit, queue-size's limit) refuses every attempt. A
// token bucket's burst is left out: it admits more than this at a state
// the chain passes through briefly.
func (l *Law) chainAdmits(a, q, n float64, now time.Duration) float64 {
	adm := a
	if l.Operator && now >= l.OpAt {
		adm = min(adm, l.OpRate)
	} else if l.Rate > 0 && !l.QueueLaw && !l.Reserve {
		adm = min(adm, l.Rate)
	}
	if l.QueueLaw {
		adm = min(adm, l.Rate*max(0, 1-q/l.Limit))
	}
	if l.Reserve {
		if l.Limit > 0 && q >= l.Limit {
			adm = 0
		} else {
			adm = min(adm, l.Rate)
		}
	}
	if l.Concurrency > 0 && n >= l.Concurrency {
		adm = 0
	}
	if l.Capacity > 0 && q >= l.Capacity {
		adm = 0
	}
	return max(0, adm)
}

// bucket admits from a token bucket of rate r and size b over dt: what the
// level holds plus the refill.
func bucket(a, r, b, dt float64, tokens *float64) float64 {
	if *tokens < 0 { // first use: a full bucket
		*tokens = b
	}
	avail := *tokens + r*dt
	take := min(a*dt, avail)
	*tokens = min(b, avail-take)
	return take / dt
}
