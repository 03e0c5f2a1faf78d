package bench

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/aftershock/aftershock/bench/policy"
)

// knobs turns fuzz bytes into scenario values: each draw takes the next
// byte (0 once they run out), so a short input is a scenario near the low
// end of every range and the fuzzer's mutations move one value at a time.
type knobs struct {
	b []byte
	i int
}

func (k *knobs) byte() byte {
	if k.i >= len(k.b) {
		return 0
	}
	k.i++
	return k.b[k.i-1]
}

// pick is one of n choices.
func (k *knobs) pick(n int) int { return int(k.byte()) % n }

// chance is true with probability about p.
func (k *knobs) chance(p float64) bool { return float64(k.byte()) < p*256 }

// span is a duration from lo to hi, spaced logarithmically, rounded to a
// millisecond (so it prints exactly as a scenario value).
func (k *knobs) span(lo, hi time.Duration) time.Duration {
	f := float64(k.byte()) / 255
	d := time.Duration(float64(lo) * math.Pow(float64(hi)/float64(lo), f))
	return max(d.Round(time.Millisecond), time.Millisecond)
}

// count is a whole number from lo to hi, spaced logarithmically.
func (k *knobs) count(lo, hi int) int {
	f := float64(k.byte()) / 255
	return int(math.Round(float64(lo) * math.Pow(float64(hi)/float64(lo), f)))
}

// number is a number from lo to hi, linearly, to two decimals.
func (k *knobs) number(lo, hi float64) float64 {
	return math.Round((lo+(hi-lo)*float64(k.byte())/255)*100) / 100
}

func dur(d time.Duration) string { return fmt.Sprintf("%q", d.String()) }

// dist is a service-time or delay distribution around mean.
func (k *knobs) dist(mean time.Duration) string {
	m := mean.String()
	switch k.pick(5) {
	case 0:
		return fmt.Sprintf(`"exp(%s)"`, m)
	case 1:
		return fmt.Sprintf(`"const(%s)"`, m)
	case 2:
		return fmt.Sprintf(`"lognormal(%s,%g)"`, m, k.number(0.05, 1.5))
	case 3:
		return fmt.Sprintf(`"uniform(%s,%s)"`, (mean / 2).String(), (mean * 3 / 2).String())
	}
	return fmt.Sprintf(`"bimodal(%s,%s,%g)"`, (mean / 2).String(), (mean * 5).String(), k.number(0.01, 0.3))
}

// outages writes n dependency outages (or load spikes, capacity cuts) that
// do not overlap, from the start of the run to near the horizon: the first
// may start at 0, the last may end just before the horizon.
func (k *knobs) triggers(w *strings.Builder, horizon time.Duration, kinds []string) {
	n := k.pick(4) // 0 to 3: none at all is a case too
	at := time.Duration(0)
	if k.chance(0.5) {
		at = k.span(time.Millisecond, horizon/2)
	}
	for i := 0; i < n && at+2*time.Millisecond < horizon; i++ {
		d := k.span(time.Millisecond, horizon-at-time.Millisecond) // a trigger ends before the horizon
		kind := kinds[k.pick(len(kinds))]
		fmt.Fprintf(w, "\n[[trigger]]\nkind = %q\nat = %s\nduration = %s\n", kind, dur(at), dur(d))
		switch kind {
		case "load-spike":
			fmt.Fprintf(w, "factor = %g\n", k.number(1.1, 20))
		case "capacity-cut":
			fmt.Fprintf(w, "factor = %g\n", k.number(1, 10))
			if k.chance(0.5) {
				fmt.Fprintf(w, "workers = %d\n", k.count(1, 8))
			}
		}
		at += d + k.span(time.Millisecond, horizon)
	}
}

// service writes the [service] section of a model's station (DWFM's hosts,
// the propagator, each AZ's checker) of about the given mean service time.
func (k *knobs) service(w *strings.Builder, mean time.Duration) {
	w.WriteString("\n[service]\n")
	fmt.Fprintf(w, "workers = %d\nservice_time = %s\n", k.count(1, 64), k.dist(mean))
	if k.chance(0.5) {
		fmt.Fprintf(w, "growth_per_queued = %s\nmax_service_time = %s\n", dur(k.span(time.Microsecond*10+time.Millisecond, mean)), dur(k.span(mean, 40*mean)))
	} else if k.chance(0.2) {
		fmt.Fprintf(w, "growth_per_busy = %s\nmax_service_time = %s\n", dur(k.span(time.Millisecond, mean)), dur(k.span(mean, 40*mean)))
	}
}

// clock is every generated scenario's start: policies that act at a clock
// time (operator at 04:14, failover-off at 09:36) need one.
const clock = "start = 2025-10-19T23:48:00-07:00\n"

// genDWFM is a lease manager at small scale: outages from milliseconds to
// the horizon (several, or none), lease spreads wider than the outage, check
// intervals longer than it, timeouts from tiny to hours.
func (k *knobs) genDWFM() string {
	var w strings.Builder
	horizon := k.span(10*time.Minute, 16*time.Hour)
	fmt.Fprintf(&w, "name = \"fuzz-dwfm\"\n"+clock+"horizon = %s\ninterval = %s\n", dur(horizon), dur(k.span(time.Second, 10*time.Minute)))
	n := k.count(1, 600)
	lo := k.span(time.Second, 4*time.Hour)
	fmt.Fprintf(&w, "\n[dwfm]\ndroplets = %d\ndroplets_per_host = %d\ncheck_interval = %s\nlease_ttl_min = %s\nlease_ttl_max = %s\nestablish_timeout = %s\n",
		n, k.count(1, n), dur(k.span(time.Second, 2*time.Hour)), dur(lo), dur(lo+k.span(time.Millisecond, 6*time.Hour)), dur(k.span(time.Second, 6*time.Hour)))
	k.service(&w, k.span(100*time.Millisecond, time.Minute))
	k.triggers(&w, horizon, []string{"dependency-outage"})
	return w.String()
}

// genService is the generic service under retries: client schedules that
// spike, trickle, stop and relapse; timeouts from tiny to none; one worker
// to many; networks; every trigger kind.
func (k *knobs) genService() string {
	var w strings.Builder
	horizon := k.span(time.Second, 3*time.Minute)
	fmt.Fprintf(&w, "name = \"fuzz-service\"\n"+clock+"horizon = %s\ninterval = %s\n", dur(horizon), dur(k.span(10*time.Millisecond, horizon)))
	mean := k.span(100*time.Microsecond+time.Millisecond, 200*time.Millisecond)
	workers := 1 + k.pick(32)
	capacity := float64(workers) / mean.Seconds()
	budget := 2e5 / horizon.Seconds() // arrivals per second the run can afford
	rate := func() float64 { return math.Min(budget, math.Round(capacity*k.number(0, 2.5)*100)/100) }
	w.WriteString("\n[clients]\n")
	if k.chance(0.5) {
		var steps []string
		t := time.Duration(0)
		for i := 0; i < 1+k.pick(6) && t < horizon; i++ {
			steps = append(steps, fmt.Sprintf("%s=%g", t, rate()))
			t += k.span(time.Millisecond, horizon)
		}
		fmt.Fprintf(&w, "schedule = %q\n", strings.Join(steps, ", "))
	} else {
		fmt.Fprintf(&w, "rate = %g\n", max(rate(), 0.01))
	}
	if !k.chance(0.15) {
		fmt.Fprintf(&w, "timeout = %s\n", dur(k.span(time.Millisecond, 10*time.Second)))
	}
	fmt.Fprintf(&w, "max_attempts = %d\n", k.pick(8))
	switch k.pick(3) {
	case 0:
		fmt.Fprintf(&w, "backoff = %s\nbackoff_max = %s\nbackoff_kind = %q\njitter = %q\n", dur(k.span(time.Millisecond, time.Second)), dur(k.span(time.Second, 10*time.Second)),
			[]string{"fixed", "exponential"}[k.pick(2)], []string{"none", "full", "equal", "decorrelated"}[k.pick(4)])
	case 1:
		fmt.Fprintf(&w, "retry_delay = %s\n", k.dist(k.span(time.Millisecond, time.Second)))
	}
	if k.chance(0.3) {
		fmt.Fprintf(&w, "orbit_cap = %d\n", k.count(1, 10000))
	}
	if k.chance(0.25) {
		fmt.Fprintf(&w, "rtt_out = %s\nrtt_back = %s\n", k.dist(k.span(time.Millisecond, 50*time.Millisecond)), k.dist(k.span(time.Millisecond, 50*time.Millisecond)))
	}
	if k.chance(0.3) {
		fmt.Fprintf(&w, "recovery_window = %s\n", dur(k.span(time.Millisecond, horizon)))
	}
	w.WriteString("\n[service]\n")
	if k.chance(0.08) {
		fmt.Fprintf(&w, "delay_station = true\nservice_time = %s\n", k.dist(mean))
	} else {
		fmt.Fprintf(&w, "workers = %d\nservice_time = %s\n", workers, k.dist(mean))
		if k.chance(0.4) {
			fmt.Fprintf(&w, "growth_per_queued = %s\nmax_service_time = %s\n", dur(k.span(time.Millisecond, mean)), dur(k.span(mean, 40*mean)))
		}
		if k.chance(0.2) {
			fmt.Fprintf(&w, "queue_capacity = %d\n", k.count(1, 5000))
		}
	}
	k.triggers(&w, horizon, []string{"load-spike", "capacity-cut", "dependency-outage"})
	return w.String()
}

// genNetProp is the Network Manager: a surge of propagation work.
func (k *knobs) genNetProp() string {
	var w strings.Builder
	horizon := k.span(10*time.Minute, 9*time.Hour)
	fmt.Fprintf(&w, "name = \"fuzz-netprop\"\n"+clock+"horizon = %s\ninterval = %s\n", dur(horizon), dur(k.span(time.Second, 10*time.Minute)))
	fmt.Fprintf(&w, "\n[netprop]\nbase_rate = %g\nsurge = %d\nsurge_at = %s\nsurge_over = %s\nlaunch_share = %g\nnormal_latency = %s\nretry_after = %s\n",
		k.number(0, 3), k.count(1, 5000), dur(k.span(time.Millisecond, horizon)), dur(k.span(time.Second, horizon)), k.number(0, 1),
		dur(k.span(time.Second, 10*time.Minute)), dur(k.span(time.Second, 5*time.Minute)))
	k.service(&w, k.span(100*time.Millisecond, 10*time.Second))
	return w.String()
}

// genNLB is the health checker: a fleet, launches, propagation delays.
func (k *knobs) genNLB() string {
	var w strings.Builder
	horizon := k.span(10*time.Minute, 9*time.Hour)
	zones := 1 + k.pick(4)
	fmt.Fprintf(&w, "name = \"fuzz-nlb\"\n"+clock+"horizon = %s\ninterval = %s\n", dur(horizon), dur(k.span(time.Second, 10*time.Minute)))
	fmt.Fprintf(&w, "\n[nlb]\nzones = %d\ntargets_per_zone = %d\nlaunches = %d\nlaunch_at = %s\nlaunch_over = %s\npropagation_delay = %s\nreach_before = %g\npassive_catch = %g\nload = %g\nflap_work = %d\nfailover_work = %d\n",
		zones, k.count(1, 60), k.count(1, 400), dur(k.span(time.Millisecond, horizon)), dur(k.span(time.Second, horizon)), k.dist(k.span(time.Second, time.Hour)),
		k.number(0, 1), k.number(0, 1), k.number(0.01, 1.5), k.count(1, 100), k.count(1, 10))
	if k.chance(0.3) {
		off := k.span(time.Millisecond, horizon)
		fmt.Fprintf(&w, "failover_off_at = %s\nfailover_on_at = %s\n", dur(off), dur(off+k.span(time.Millisecond, horizon)))
	}
	k.service(&w, k.span(10*time.Millisecond, 2*time.Second))
	return w.String()
}

// kinds are the scenario generators, in the order the fuzz input picks them.
var kinds = []func(*knobs) string{(*knobs).genDWFM, (*knobs).genService, (*knobs).genNetProp, (*knobs).genNLB}

// genPolicy is a registered policy with some of its parameters set, alone
// or joined with a part of another role.
func (k *knobs) genPolicy() string {
	names := policy.Names()
	var parts []string
	roles := map[policy.Role]bool{}
	for i := 0; i < 1+k.pick(3); i++ {
		d, _ := policy.Lookup(names[k.pick(len(names))])
		if d.Name == "none" {
			if i == 0 {
				return "none" // it takes no company
			}
			continue
		}
		role := policy.Role("")
		if len(d.Roles) > 0 {
			role = d.Roles[0]
		}
		if roles[role] {
			continue
		}
		roles[role] = true
		spec := d.Name
		var args []string
		for _, p := range d.Params {
			if k.chance(0.3) {
				args = append(args, p.Name+"="+k.paramValue(p.Kind))
			}
		}
		if len(args) > 0 {
			spec += ":" + strings.Join(args, ",")
		}
		parts = append(parts, spec)
	}
	return strings.Join(parts, "+")
}

// paramValue is a value of a policy parameter's kind.
func (k *knobs) paramValue(kind policy.Kind) string {
	switch kind {
	case policy.KindRate:
		if k.chance(0.5) {
			return fmt.Sprintf("%gx", k.number(0.05, 3))
		}
		return fmt.Sprintf("%g", k.number(0.01, 500))
	case policy.KindCount:
		if k.chance(0.5) {
			return fmt.Sprintf("%dw", k.count(1, 8))
		}
		return fmt.Sprint(k.count(1, 1000))
	case policy.KindWhen:
		return k.span(time.Millisecond, 10*time.Hour).String()
	case policy.KindFraction:
		return fmt.Sprint(k.number(0, 1))
	case policy.KindBool:
		return fmt.Sprint(k.chance(0.5))
	case policy.KindDuration:
		return k.span(time.Millisecond, time.Hour).String()
	case policy.KindNumber:
		return fmt.Sprint(k.number(0.01, 10))
	case policy.KindSpan:
		if k.chance(0.5) {
			return fmt.Sprintf("%gx", k.number(0.1, 50))
		}
		return k.span(time.Millisecond, time.Hour).String()
	case policy.KindJitter:
		return []string{"none", "full", "equal", "decorrelated"}[k.pick(4)]
	case policy.KindAttempts:
		return fmt.Sprint(k.pick(10))
	case policy.KindWhole:
		return fmt.Sprint(k.count(1, 1000))
	case policy.KindShare:
		if k.chance(0.5) {
			return fmt.Sprintf("%g%%", k.number(0.5, 100))
		}
		return fmt.Sprint(k.count(1, 100))
	}
	return "1"
}
