package examples_test

import (
	"os"
	"sync"
	"time"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/policy"
	"github.com/aftershock/aftershock/bench/scenario"
	"github.com/aftershock/aftershock/results"
	"github.com/aftershock/aftershock/throttle"
)

// pace admits one attempt every gap at most: a rate limit with no burst.
// Time comes in as an argument, as throttle.Admitter has it, so the
// simulator's virtual clock drives it as a live server's wall clock would.
type pace struct {
	gap time.Duration

	mu   sync.Mutex
	next time.Time // the first instant the next attempt may enter
}

// Admit lets an attempt in if gap has passed since the last one let in.
func (p *pace) Admit(now time.Time, _ int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now.Before(p.next) {
		return false
	}
	p.next = now.Add(p.gap)
	return true
}

var _ throttle.Admitter = (*pace)(nil)

// init registers pace as the policy "pace", with its rate as a parameter
// (per second, or a multiple of a host's capacity): from now on every spec
// may name it, and `loadgen policies` would list it.
func init() {
	err := policy.Register(policy.Def{
		Name:   "pace",
		Roles:  []policy.Role{policy.RoleAdmission},
		Doc:    "One attempt per host every 1/rate at most: a rate limit with no burst.",
		Source: "package examples",
		Params: []policy.Param{
			{Name: "rate", Kind: policy.KindRate, Default: "1x", Doc: "attempts admitted per second per host"},
		},
		Build: func(a policy.Args) (model.Hooks, error) {
			rate := a.Rate("rate")
			gap := time.Duration(float64(time.Second) / rate)
			// One control per station (DWFM host), built when the model
			// asks for it.
			return model.Hooks{Admit: func(int) throttle.Admitter { return &pace{gap: gap} }}, nil
		},
	})
	if err != nil {
		panic(err)
	}
}

// Rank a control of one's own against the mitigation AWS announced
// (queue-size) on the us-east-1 scenario, at 2,000 droplets and 3 seeds,
// with no control at all (none) for scale. Pacing at the hosts' capacity
// recovers, 20% slower than queue-size; pacing at twice it collapses as
// none does: a rate limit above what the hosts can do lets the queue of
// doomed attempts grow. With 3 seeds the sign test cannot tell 0/3
// recovered from 3/3 (p 0.25), so those rows tie with the first (1=).
func Example_registerAControl() {
	sc, err := scenario.Load("us-east-1")
	if err != nil {
		panic(err)
	}
	var runs []bench.Run
	for _, p := range []string{"queue-size", "pace", "pace:rate=2x", "none"} {
		for seed := uint64(1); seed <= 3; seed++ {
			runs = append(runs, bench.Run{Scenario: sc, Policy: p, Seed: seed, Droplets: 2000})
		}
	}
	outs, err := bench.Sweep(runs, 2, nil)
	if err != nil {
		panic(err)
	}
	var ss []results.Summary
	for _, o := range outs {
		ss = append(ss, o.Summary)
	}
	rk, err := results.Rank(ss, "queue-size")
	if err != nil {
		panic(err)
	}
	if err := results.WriteRanking(os.Stdout, rk, "text"); err != nil {
		panic(err)
	}
	// Output:
	// policy        recovered  recovery [95% CI]              median    ratio [95% CI]        wasted  amplification  peak queue  rank    vs queue-size
	// queue-size    3/3        1h5m39s [1h3m12s, 1h8m6s]      1h5m55s   1.045 [1.022, 1.068]  0.0%    10.88          12          1=      baseline
	// pace          3/3        1h18m53s [1h17m26s, 1h20m19s]  1h18m35s  1.255 [1.246, 1.265]  0.0%    11.85          6           2       +20.1% [+17.7%, +22.6%]: worse (paired t, 3 seeds)
	// pace:rate=2x  0/3        —                              never     —                     94.1%   21.36          29412       3 (1=)  0/3 vs 3/3 recovered: tie (sign test p 0.250, 3 seeds)
	// none          0/3        —                              never     —                     95.8%   21.03          40876       3 (1=)  0/3 vs 3/3 recovered: tie (sign test p 0.250, 3 seeds)
	//
	// note: at us-east-1, 2000 droplets the policies share 3 seeds: a policy that recovered on all of them and one that recovered on none are a tie, because the exact sign test's least p over 3 seeds is 0.25; 6 seeds or more can separate them
}
