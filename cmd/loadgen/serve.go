package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/aftershock/aftershock/bench/live"
	"github.com/aftershock/aftershock/bench/live/server"
	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
)

// Defaults of live mode (loadgen serve, loadgen attack).
const (
	defaultLiveScenario = live.SmallName
	defaultTimeScale    = 60
	defaultServeAddr    = "127.0.0.1:0"
)

const serveUsage = `Usage: loadgen serve [flags]

Serve a DWFM scenario's lease manager over HTTP on loopback, in wall-clock
time compressed by --time-scale (60: one model minute per second): per DWFM
host a real queue and worker goroutines whose work takes the model's service
time (with its growth per queued attempt) divided by the scale; the policy's
admission control and queue discipline; 503 during the dependency outage. A
client that gives up leaves its attempt queued, and it is still worked: the
collapse. It prints its address on the first line of stdout and serves until
interrupted (Ctrl-C: waiting requests get 503, then it exits 0), or for --for.

Endpoints: POST /v1/lease?droplet=ID (200 leased, 503 outage or overload,
429 refused; header X-Aftershock-Queue), GET /v1/info, GET /metrics
(Prometheus), GET /healthz. HTTP/1.1 and h2c (HTTP/2 without TLS).

Memory is bounded under any overload: beyond --max-queued attempts queued
(across hosts) or --max-inflight requests in hand, it answers 503 at once.

The default scenario, live-small, is us-east-1 shrunk to an 8 min horizon
(1,000 droplets on 4 hosts, a 2 min outage): 8 s of wall time at 60x.
live-realtime collapses and recovers in real time, 90 s at --time-scale 1
(its default). Any DWFM scenario works (loadgen scenarios). The policy's
admission control, queue discipline and interventions run here
(operator:at=3m restarts every host at model time 3m and throttles it); its
client-side control, backoff and retry gate run in the attacker.

Admission has one path: each host's queue sits behind package
throttle/httpmw's middleware holding the policy's control (the same
middleware you put in front of your own handler), and a live-only policy's
middleware (a library's: loadgen policies) in front of that. httpmw's
decisions are metrics: httpmw_decisions_total{host,outcome},
httpmw_in_flight, httpmw_limit; what a library answers itself is
aftershock_live_policy_answers_total{code}, and every answer the server
sends is in aftershock_lease_responses_total{code}.

Examples:
  loadgen serve                                  # live-small under none on 127.0.0.1:<free port>
  loadgen serve --policy queue-size --addr 127.0.0.1:8080
  loadgen serve --scenario us-east-1 --droplets 5000 --time-scale 600
  loadgen serve --scenario live-realtime --policy gobreaker   # real time
`

// liveFlags are the flags serve and attack share.
type liveFlags struct {
	scenario, policy, startAt string
	seed                      uint64
	droplets                  int
	scale                     float64
	fs                        *flag.FlagSet // to tell whether --time-scale was given (else a live preset's own scale applies)
}

func (f *liveFlags) register(fs *flag.FlagSet) {
	f.seed, f.fs = defaultSeed, fs
	fs.StringVar(&f.scenario, "scenario", defaultLiveScenario, "DWFM scenario: preset `name` or file (live-small, us-east-1, ...)")
	fs.StringVar(&f.policy, "policy", defaultPolicy, "policy `spec`: admission control, queue discipline and interventions run in the server; client-side control, backoff and retry gate in the attacker")
	fs.Var(cli.Uint64{P: &f.seed}, "seed", "random `seed` of the droplets' draws (phase, lease TTL, work)")
	fs.Var(cli.Int{P: &f.droplets}, "droplets", "DWFM `droplets` (0: the scenario's)")
	fs.Float64Var(&f.scale, "time-scale", defaultTimeScale, "model seconds per wall second, in [0.001, 100000] (live-realtime's default: 1)")
	fs.StringVar(&f.startAt, "start-at", "", "wall `time` of model time 0, RFC 3339 (shards and the server share it; default: now)")
}

// setup resolves the shared flags of command cmd. Without --time-scale a
// live preset runs at its own scale (live-realtime at 1).
func (f *liveFlags) setup(cmd string) (*live.Setup, time.Time, error) {
	given := false
	f.fs.Visit(func(fl *flag.Flag) { given = given || fl.Name == "time-scale" })
	if !given {
		for _, p := range live.Presets() {
			if p.Name == f.scenario {
				f.scale = p.Scale
			}
		}
	}
	if err := live.CheckScale(f.scale); err != nil {
		return nil, time.Time{}, cli.Flagf(cmd, "--time-scale %v outside [%v, %v]", f.scale, live.MinScale, live.MaxScale)
	}
	if f.droplets < 0 {
		return nil, time.Time{}, cli.Flagf(cmd, "--droplets %d below 0", f.droplets)
	}
	if strings.TrimSpace(f.policy) == "" {
		return nil, time.Time{}, cli.Flagf(cmd, "--policy is empty (none is no policy)")
	}
	var start time.Time
	if f.startAt != "" {
		t, err := time.Parse(time.RFC3339Nano, f.startAt)
		if err != nil {
			return nil, time.Time{}, cli.Flagf(cmd, "--start-at %q: want an RFC 3339 time such as 2026-01-02T15:04:05Z", f.startAt)
		}
		start = t
	}
	ref := f.scenario
	s, err := func() (*live.Setup, error) {
		if live.IsPreset(ref) {
			sc, err := live.LoadScenario(ref)
			if err != nil {
				return nil, err
			}
			return live.Resolve(sc, f.policy, f.droplets, f.seed)
		}
		sc, err := loadScenario(cmd, ref)
		if err != nil {
			return nil, err
		}
		return live.Resolve(sc, f.policy, f.droplets, f.seed)
	}()
	if err != nil {
		var u cli.UsageError
		if errors.As(err, &u) {
			return nil, time.Time{}, err
		}
		return nil, time.Time{}, cli.Usage(fmt.Errorf("%s: %w", cmd, err))
	}
	if f.startAt != "" {
		if err := checkStart(cmd, "--start-at", live.Clock{Start: start, Scale: f.scale}, s.Horizon(), time.Now()); err != nil {
			return nil, time.Time{}, err
		}
	}
	return s, start, nil
}

// maxStartAhead is how far ahead of now model time 0 may be: a start
// further off is a typo (a year, a time zone), and a process waiting for it
// would wait silently.
const maxStartAhead = 24 * time.Hour

// checkStart refuses a model time 0 (clock.Start, from what: a flag or a
// target) more than maxStartAhead ahead of now, or so far back that the
// horizon has passed by now.
func checkStart(cmd, what string, clock live.Clock, horizon time.Duration, now time.Time) error {
	start := clock.Start
	// In seconds, as floats: time.Duration saturates 292 years out.
	ahead := float64(start.Unix()-now.Unix()) + float64(start.Nanosecond()-now.Nanosecond())/1e9
	switch {
	case ahead > maxStartAhead.Seconds():
		return cli.Usage(fmt.Errorf("%s: %s %s is %s from now, more than %s ahead: give a time within a day", cmd, what,
			start.Format(time.RFC3339), spanS(ahead), maxStartAhead))
	case ahead > 0:
		return nil
	}
	if left := ahead + clock.Span(horizon).Seconds(); left <= 0 {
		return cli.Usage(fmt.Errorf("%s: %s %s was %s ago: at time scale %g the horizon %s (%s of wall time) had passed %s ago; give a later start, or none (now)",
			cmd, what, start.Format(time.RFC3339), spanS(-ahead), clock.Scale, horizon, span(clock.Span(horizon)), spanS(-left)))
	}
	return nil
}

// span writes a wall-clock span for a person: 3s, 2h15m0s, 41 days, 27 years.
func span(d time.Duration) string { return spanS(d.Seconds()) }

// spanS is span of s seconds.
func spanS(s float64) string {
	const day = 24 * 3600
	switch {
	case s < 0:
		return "-" + spanS(-s)
	case s >= 2*365.25*day:
		return fmt.Sprintf("%.0f years", s/(365.25*day))
	case s >= 3*day:
		return fmt.Sprintf("%.0f days", s/day)
	case s >= 60:
		return time.Duration(s * float64(time.Second)).Round(time.Second).String()
	}
	return time.Duration(s * float64(time.Second)).Round(time.Millisecond).String()
}

// loopback reports whether addr's host is a loopback address (or names
// localhost).
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serveOpts are serve's flags, parsed and checked.
type serveOpts struct {
	liveFlags
	addr                   string
	allowRemote            bool
	maxQueued, maxInFlight int
	lifetime               time.Duration
}

func (a app) serve(ctx context.Context, args []string) error {
	o, done, err := a.parseServe(args)
	if done || err != nil {
		return err
	}
	return a.runServe(ctx, o)
}

// parseServe reads serve's flags: every error about them is bad input,
// before anything is served.
func (a app) parseServe(args []string) (o serveOpts, done bool, err error) {
	fs := cli.NewFlagSet("serve")
	o.register(fs)
	fs.StringVar(&o.addr, "addr", defaultServeAddr, "`host:port` to listen on (port 0: a free one)")
	fs.BoolVar(&o.allowRemote, "allow-remote", false, "listen on an address that is not loopback")
	fs.Var(cli.Int{P: &o.maxQueued}, "max-queued", "hard limit of queued `attempts` across hosts; beyond it 503 (0: 2^20)")
	fs.Var(cli.Int{P: &o.maxInFlight}, "max-inflight", "hard limit of lease `requests` in hand; beyond it 503 (0: 2^14)")
	fs.DurationVar(&o.lifetime, "for", 0, "serve for this wall `duration`, then shut down (0: until interrupted)")
	if done, err := cli.Parse(fs, args, 0, a.stdout, serveUsage); done || err != nil {
		return o, done, err
	}
	if !o.allowRemote && !loopback(o.addr) {
		return o, false, cli.Flagf("serve", "--addr %s is not a loopback address; pass --allow-remote to listen there", o.addr)
	}
	switch {
	case o.maxQueued < 0:
		return o, false, cli.Flagf("serve", "--max-queued %d below 0", o.maxQueued)
	case o.maxInFlight < 0:
		return o, false, cli.Flagf("serve", "--max-inflight %d below 0", o.maxInFlight)
	case o.lifetime < 0:
		return o, false, cli.Flagf("serve", "--for %v below 0", o.lifetime)
	}
	return o, false, nil
}

// runServe resolves the scenario, serves it on --addr until interrupted
// (or for --for) and says what it served.
func (a app) runServe(ctx context.Context, o serveOpts) error {
	set, start, err := o.setup("serve")
	if err != nil {
		return err
	}
	srv, err := server.New(server.Config{Setup: set, Clock: live.Clock{Start: start, Scale: o.scale}, MaxQueued: o.maxQueued, MaxInFlight: o.maxInFlight})
	if err != nil {
		return cli.Usage(err)
	}
	l, err := net.Listen("tcp", o.addr)
	if err != nil {
		srv.Shutdown(context.Background())
		return cli.Usage(fmt.Errorf("serve: --addr %s: %v", o.addr, err))
	}
	fmt.Fprintf(a.stdout, "http://%s\n", l.Addr())
	fmt.Fprintf(a.stderr, "serving %s · policy %s · %d droplets on %d DWFM hosts · time scale %g · model time 0 at %s\n",
		set.Scenario.Name, set.Policy, set.DWFM.Droplets, set.Hosts(), o.scale, srv.Clock().Start.Format(time.RFC3339Nano))
	serr, err := serveUntil(ctx, srv, l, o.lifetime)
	st := srv.Stats()
	lib := ""
	if st.LiveRefused > 0 {
		lib = fmt.Sprintf(", answered by the live policy itself %d", st.LiveRefused)
	}
	fmt.Fprintf(a.stderr, "served %d leases; refused %d, outage %d, over the limits %d, dropped %d, failed %d%s; %d attempts worked, %d of them for clients that had given up\n",
		st.Leased, st.Refused, st.Outage, st.Full, st.Dropped, st.Failed, lib, st.Worked, st.Wasted)
	if serr != nil {
		return fmt.Errorf("serve: %w", serr)
	}
	if err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	return nil
}

// serveUntil serves on l until ctx is done, lifetime has passed (0: no
// limit) or Serve fails, then shuts the server down: serr is Serve's error
// (nil when it ended by the shutdown), err Shutdown's.
func serveUntil(ctx context.Context, srv *server.Server, l net.Listener, lifetime time.Duration) (serr, err error) {
	bg := srv.ServeBackground(l)
	var stop <-chan time.Time
	if lifetime > 0 {
		t := time.NewTimer(lifetime)
		defer t.Stop()
		stop = t.C
	}
	select {
	case <-ctx.Done():
	case <-stop:
	case <-bg.Done():
	}
	return bg.Stop()
}
