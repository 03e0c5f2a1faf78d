package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/bench/live"
	"github.com/aftershock/aftershock/bench/live/attack"
	"github.com/aftershock/aftershock/bench/live/record"
	"github.com/aftershock/aftershock/bench/live/server"
	"github.com/aftershock/aftershock/bench/live/targets"
	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
	"github.com/aftershock/aftershock/results"
)

// defaultAttackOut is where loadgen attack writes by default.
const defaultAttackOut = "out/attack"

// maxAttackRows bounds an attack's timeseries (horizon ÷ --interval): each
// row is an interval histogram that costs the writer about 0.6 ms and a
// reader about 1.6 ms to decode, so that report reads what attack writes
// (record.MaxRows) in minutes, not hours.
const maxAttackRows = 100_000

const attackUsage = `Usage: loadgen attack [flags]

Replay a DWFM scenario's droplets against a lease service in wall-clock time
compressed by --time-scale, open loop: every droplet whose lease lapsed in the
dependency outage asks again at its first check after it (the surge, a vegeta
pacer), a timed-out attempt is sent again at once (or after the policy's
backoff), a refused one (429, 503) asks again a check interval later, give or
take half. The attempt given up on stays with the server. Without --target it
starts loadgen serve in-process on loopback (same scenario, policy, seed and
scale) and attacks that.

A live-only policy (loadgen policies: a library, or a middleware of your
own) runs here too: its middleware in front of each host of the in-process
server, its transport wrapper (failsafe-retry) around the droplets' client;
such a library reads the wall clock, so its durations are wall time. The
live-realtime scenario runs at time scale 1 unless --time-scale says
otherwise (loadgen scenarios show live-realtime).

Every scheduled attempt is a vegeta result with its INTENDED send time and
its latency from then (no coordinated omission), attack name first or retry;
one never sent (the attacker fell behind, or stopped first) is recorded at
the attack's end as an error "unsent" with its latency up to then, so the
counts and percentiles cover every scheduled attempt. It reports scheduled,
sent and unsent attempts, and warns when it did not keep up (kept_up=false):
over 1% of scheduled attempts unsent or late (on the wire, that is with a
connection, more than 10 ms after their intended time: waiting for a worker
or for a connection is the load host's lag), or one on the wire or left
waiting more than a tenth of the attempt timeout after it. Then the
machine, not the target, shaped the numbers: lower --time-scale (or raise
--max-workers or --max-connections if you set them). It still exits 0
(unless an --assert fails: --assert kept_up makes it exit 1). When most
attempts sent failed it says so on stderr, naming the most common failure;
when none succeeded (a wrong URL, a target that resets, stalls or
redirects) it exits 1, its files kept as NAME.partial as an interrupted
attack's (an earlier complete attack in --out stays as it was). Only a 2xx
answer received whole is a lease: a 3xx is not (vegeta counts it a
success), so with --redirects -1 a redirected attempt fails, its status
named. On a terminal, a progress line: model time, sent of scheduled, in
flight, lag (due, not yet sent), p99 so far.

Writes --out DIR: results.bin (vegeta's gob encoding: vegeta report, vegeta
plot, vegeta encode), timeseries.csv, summary.csv, latency.hlog (HdrHistogram
interval log); see loadgen report. On Ctrl-C it stops sending, waits for
attempts in flight up to their timeout and writes every file as NAME.partial
(complete=false; exit 130): an earlier complete attack in DIR stays as it was.

HTTP, as vegeta attack's flags of the same names and defaults: --header
"Name: value" (repeatable), --insecure, --root-certs, --cert, --key, --http2,
--h2c, --redirects, --max-body, --keepalive, --connections, --max-connections,
--workers (the pool at the start; it grows whenever attempts are due and
too few workers are free, one for each) and --max-workers (never more than the droplets:
one attempt out each), --duration (an attack of the surge must outlast the
trigger: one that would end inside it is refused, as sim refuses such a
horizon). An https target's certificate is checked
before anything is sent. No proxy from the environment is used.

--assert EXPR (repeatable) judges the attack's summary.csv after it is
written, on any of its columns, as k6's thresholds do: kept_up (bare: must
be true), !recovered, unsent==0, timed_out==0, p99_ms<100 (or p99_ms<100ms),
recovery_s<5m; operators < <= > >= == !=. A failed one exits 1 with one line
each; an unknown column is bad input (exit 2).

--target must be on loopback unless --allow-remote: an attack is a denial of
service. A target that is loadgen serve tells its start and time scale
(GET /v1/info), which the attack adopts unless --start-at or --time-scale is
given (then they must agree). --targets FILE (- for stdin) sends each
droplet's attempts to the targets of a vegeta targets file instead (target
droplet mod n; the text {droplet} is replaced by the droplet's number).

Several load hosts: --shard i/n (from 0, as in sweep) takes droplets i, i+n, ...; give every
shard and the server the same --start-at (at most a day ahead), then merge
with loadgen report. A shard with no droplets (more shards than droplets) is
bad input (exit 2).

Zero, in a flag, is the flag unset: its default, said below (--max-body and
--redirects keep vegeta's meanings: -1 is all of the body, no redirect).

Examples:
  loadgen attack                                     # live-small under none, in-process, 60x
  loadgen attack --policy queue-size --out out/qs
  loadgen attack --scenario live-realtime --policy failsafe-adaptive-limiter --seed 2 --out out/al   # real time, 90 s
  loadgen serve --addr 127.0.0.1:8080 & sleep 1; loadgen attack --target http://127.0.0.1:8080
  loadgen attack --target http://127.0.0.1:8080 --shard 0/2 --start-at 2026-01-02T15:04:05Z
  loadgen attack --targets mine.http --rate 200/1s   # 200 droplets/s, against your service
  loadgen attack --target https://127.0.0.1:8443 --root-certs ca.pem --header 'Authorization: Bearer T'
  loadgen attack --policy queue-size --assert kept_up --assert recovered --assert 'p99_ms<2000'
`

// attackOpts are attack's flags, parsed and checked.
type attackOpts struct {
	liveFlags
	target, out, targetsFile, targetsFormat, rate string
	shard                                         live.Shard
	shardSet                                      bool
	pacer                                         vegeta.Pacer
	allowRemote, stopWhenRecovered                bool
	scaleSet, h2cSet                              bool
	workers, maxWorkers                           uint64
	maxMemory                                     float64
	interval, duration                            time.Duration
	http                                          attack.HTTP
	insecure                                      bool
	cert, key                                     string
	roots                                         []string
	asserts                                       assertions
}

// parseAttack reads attack's flags: every error about them is bad input,
// before anything is served or sent.
func (a app) parseAttack(args []string) (o attackOpts, done bool, err error) {
	o.http = attack.DefaultHTTP
	o.maxMemory = float64(bench.DefaultLimits.Bytes)
	o.workers, o.maxWorkers = vegeta.DefaultWorkers, vegeta.DefaultMaxWorkers
	var shard string
	fs := cli.NewFlagSet("attack")
	o.register(fs)
	o.registerAttack(fs, &shard)
	o.registerHTTP(fs)
	as := attackAssertFlag(fs)
	if done, err := cli.Parse(fs, args, 0, a.stdout, attackUsage); done || err != nil {
		return o, done, err
	}
	o.asserts = *as
	fs.Visit(func(fl *flag.Flag) {
		o.scaleSet = o.scaleSet || fl.Name == "time-scale"
		o.h2cSet = o.h2cSet || fl.Name == "h2c"
		o.shardSet = o.shardSet || fl.Name == "shard"
	})
	if o.shard, err = results.ParseShard(shard); err != nil {
		return o, false, cli.Flagf("attack", "--shard %q: want i/n with 0 <= i < n, e.g. 0/2", shard)
	}
	if err := o.check(); err != nil {
		return o, false, err
	}
	if o.rate != "" {
		if o.pacer, err = parseRate(o.rate); err != nil {
			return o, false, cli.Flagf("attack", "%v", err)
		}
	}
	if o.http.TLS, err = tlsConfig(o.insecure, o.cert, o.key, o.roots); err != nil {
		return o, false, err
	}
	return o, false, nil
}

// registerAttack registers attack's own flags but HTTP's; --shard's text
// goes to shard.
func (o *attackOpts) registerAttack(fs *flag.FlagSet, shard *string) {
	fs.StringVar(&o.target, "target", "", "base `URL` of the lease service (default: loadgen serve in-process)")
	fs.BoolVar(&o.allowRemote, "allow-remote", false, "attack a target that is not on loopback")
	fs.StringVar(&o.targetsFile, "targets", "", "vegeta targets `file` (- for stdin): what each droplet's attempts send")
	fs.StringVar(&o.targetsFormat, "targets-format", "", "targets file `format`: http or json (default: json if it starts with {)")
	fs.StringVar(shard, "shard", "", "this attacker's share `i/n` of the droplets")
	fs.StringVar(&o.rate, "rate", "", "first attempts at vegeta's constant `rate` FREQ/PER (e.g. 200/1s; infinity: as fast as the workers go) instead of the surge")
	fs.Var(cli.Uint64{P: &o.workers}, "workers", "initial `workers` sending attempts, as vegeta's; the pool grows to --max-workers as attempts wait")
	fs.Var(cli.Uint64{P: &o.maxWorkers}, "max-workers", "most `workers` (vegeta's default: no limit); never more than the droplets, each with one attempt out at most")
	fs.Var(cli.Limit{P: &o.maxMemory, Bytes: true}, "max-memory", "refuse an attack whose workers could hold more than `size` (each about 128 KiB while its attempt is out; inf: no limit)")
	fs.BoolVar(&o.stopWhenRecovered, "stop-when-recovered", false, "end once every droplet holds a lease again after the trigger")
	fs.StringVar(&o.out, "out", defaultAttackOut, "output `directory`")
	fs.DurationVar(&o.interval, "interval", 0, "model time per timeseries row (0: the scenario's)")
	fs.DurationVar(&o.duration, "duration", 0, "end the attack this much wall time after model time 0 (0: at the scenario's horizon)")
}

// registerHTTP registers attack's HTTP flags, as vegeta attack's of the
// same names.
func (o *attackOpts) registerHTTP(fs *flag.FlagSet) {
	fs.BoolVar(&o.http.H2C, "h2c", false, "send HTTP/2 without TLS (default on against loadgen serve, in-process or a target answering /v1/info)")
	fs.BoolVar(&o.http.HTTP2, "http2", o.http.HTTP2, "send HTTP/2 to an https target that offers it")
	fs.Func("header", "request `header` \"Name: value\" added to every attempt (repeatable), as vegeta's", o.addHeader)
	fs.BoolVar(&o.insecure, "insecure", false, "accept any TLS certificate of an https target")
	fs.Func("root-certs", "TLS root certificate `files` (comma separated; repeatable) that an https target's certificate must chain to, instead of the system's", func(v string) error {
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f != "" {
				o.roots = append(o.roots, f)
			}
		}
		return nil
	})
	fs.StringVar(&o.cert, "cert", "", "TLS client certificate `file` (PEM)")
	fs.StringVar(&o.key, "key", "", "TLS client private key `file` (PEM; default: in --cert's file)")
	fs.IntVar(&o.http.Redirects, "redirects", o.http.Redirects, "redirects an attempt follows (-1: none, the redirect is the answer)")
	fs.Int64Var(&o.http.MaxBody, "max-body", o.http.MaxBody, "bytes of each answer's body kept in results.bin (-1: all of it, up to 64 KiB)")
	fs.BoolVar(&o.http.KeepAlive, "keepalive", o.http.KeepAlive, "reuse connections")
	fs.IntVar(&o.http.Connections, "connections", o.http.Connections, "most idle `connections` kept open per target host")
	fs.IntVar(&o.http.MaxConnections, "max-connections", o.http.MaxConnections, "most `connections` per target host (0: no limit)")
}

// addHeader is --header "Name: value": one more value of the header.
func (o *attackOpts) addHeader(v string) error {
	k, val, ok := strings.Cut(v, ":")
	k, val = strings.TrimSpace(k), strings.TrimSpace(val)
	if !ok || k == "" || val == "" || strings.ContainsAny(k, " \t\r\n") || strings.ContainsAny(val, "\r\n") {
		return fmt.Errorf("header %q: want \"Name: value\"", v)
	}
	if o.http.Header == nil {
		o.http.Header = http.Header{}
	}
	o.http.Header[k] = append(o.http.Header[k], val)
	return nil
}

// check refuses flags out of range, each alone; the checks that need the
// scenario are runAttack's.
func (o *attackOpts) check() error {
	switch {
	case o.workers == 0:
		return cli.Flagf("attack", "--workers 0: want at least 1 (default %d)", vegeta.DefaultWorkers)
	case o.maxWorkers == 0:
		return cli.Flagf("attack", "--max-workers 0: want at least 1 (default: no limit)")
	case o.interval < 0:
		return cli.Flagf("attack", "--interval %v below 0", o.interval)
	case o.duration < 0:
		return cli.Flagf("attack", "--duration %v below 0", o.duration)
	case o.out == "":
		return cli.Flagf("attack", "--out is empty")
	case o.http.Redirects < vegeta.NoFollow:
		return cli.Flagf("attack", "--redirects %d below -1 (-1: follow none)", o.http.Redirects)
	case o.http.MaxBody < -1 || o.http.MaxBody > attack.MaxCapture:
		return cli.Flagf("attack", "--max-body %d outside -1..%d (-1: the whole body, up to %d bytes)", o.http.MaxBody, attack.MaxCapture, attack.MaxCapture)
	case o.http.Connections < 0:
		return cli.Flagf("attack", "--connections %d below 0", o.http.Connections)
	case o.http.MaxConnections < 0:
		return cli.Flagf("attack", "--max-connections %d below 0 (0: no limit)", o.http.MaxConnections)
	case o.http.H2C && strings.HasPrefix(o.target, "https:"):
		return cli.Flagf("attack", "--h2c is HTTP/2 without TLS, but --target %q is https (which speaks HTTP/2 with --http2)", o.target)
	}
	return nil
}

func (a app) attack(ctx context.Context, args []string) error {
	o, done, err := a.parseAttack(args)
	if done || err != nil {
		return err
	}
	return a.runAttack(ctx, o)
}

// attackRun is one attack being set up: its flags, the scenario resolved,
// the attack's configuration and clock, and how to stop the in-process
// server (a no-op without one).
type attackRun struct {
	f     attackOpts
	set   *live.Setup
	cfg   attack.Config
	clock live.Clock
	stop  func()
}

// runAttack resolves the scenario and the target, then attacks and writes
// --out.
func (a app) runAttack(ctx context.Context, f attackOpts) error {
	set, start, err := f.setup("attack")
	if err != nil {
		return err
	}
	r := &attackRun{f: f, set: set, clock: live.Clock{Start: start, Scale: f.scale}, stop: func() {}}
	if err := r.configure(); err != nil {
		return err
	}
	if err := r.target(ctx, a.stdin); err != nil {
		return err
	}
	if err := r.window(); err != nil {
		r.stop()
		return err
	}
	defer r.stop()
	w, err := a.attackRecorder(r)
	if err != nil {
		return err
	}
	until := r.cfg.Until
	if until == 0 {
		until = set.Horizon()
	}
	prog := cli.NewProgress(a.stderr, cli.IsTerminal(a.stderr))
	r.cfg.Progress = func(s attack.Status) { attackProgress(prog, w, s, until) }
	wall := time.Now()
	o, err := attack.Run(ctx, r.cfg)
	prog.Done()
	if err != nil {
		w.Abort()
		return fmt.Errorf("attack: %w", err)
	}
	return a.finishAttack(f, o, w, set, wall)
}

// configure checks the flags against the scenario (the shard's droplets,
// --interval, the memory the workers could hold) and fills in r.cfg but its
// target, clock and recorder.
func (r *attackRun) configure() error {
	f, set := r.f, r.set
	if err := overInputs("attack", f.out, []string{record.ResultsFile, record.TimeSeriesFile, record.SummaryFile, record.LatencyFile},
		append([]string{f.scenario, f.targetsFile, f.cert, f.key}, f.roots...)...); err != nil {
		return err
	}
	if err := attack.NoDroplets(f.shard, set.DWFM.Droplets); err != nil {
		return cli.Usage(fmt.Errorf("attack: %w", err))
	}
	if f.interval > set.Horizon() {
		return cli.Flagf("attack", "--interval %v longer than the horizon %v", f.interval, set.Horizon())
	}
	if f.interval > 0 && set.Horizon()/f.interval > maxAttackRows {
		return cli.Flagf("attack", "--interval %v: %d timeseries rows over the horizon %v, at most %d", f.interval, set.Horizon()/f.interval, set.Horizon(), maxAttackRows)
	}
	r.cfg = attack.Config{Setup: set, Shard: f.shard, Workers: f.workers, MaxWorkers: f.maxWorkers, Pacer: f.pacer, Interval: f.interval,
		StopWhenLeased: f.stopWhenRecovered}
	if pool := r.cfg.MaxPool(); float64(pool)*attack.WorkerBytes > f.maxMemory {
		return cli.Usage(fmt.Errorf("attack: up to %d attempts in flight at once (one per droplet of the shard) would hold about %s (limit %s); give --max-workers, or raise the limit with --max-memory",
			pool, bench.Bytes(float64(pool)*attack.WorkerBytes), bench.Bytes(f.maxMemory)))
	}
	hc := f.http
	hc.AllowRemote = f.allowRemote
	r.cfg.HTTP = &hc
	return nil
}

// target points r.cfg at the targets of --targets, at --target, or at an
// in-process server it starts; stdin is --targets -'s.
func (r *attackRun) target(ctx context.Context, stdin io.Reader) error {
	switch {
	case r.f.targetsFile != "":
		return r.targetsFile(ctx, stdin)
	case r.f.target != "":
		return r.remote(ctx)
	}
	return r.inProcess()
}

// reach checks that the target at base URL s may be attacked (loopback,
// or --allow-remote) and answers.
func (r *attackRun) reach(ctx context.Context, s string) (*url.URL, error) {
	u, err := attack.CheckTarget(ctx, s, r.f.allowRemote)
	if err != nil {
		return nil, cli.Usage(err)
	}
	if err := attack.Reachable(ctx, u, r.cfg.HTTP.TLS); err != nil {
		return nil, cli.Usage(err)
	}
	return u, nil
}

// targetsFile sends each droplet's attempts to the targets of --targets
// (- for stdin), every origin of which must be reachable.
func (r *attackRun) targetsFile(ctx context.Context, stdin io.Reader) error {
	f := r.f
	if f.target != "" {
		return cli.Flagf("attack", "--target and --targets both given: the targets file says where attempts go")
	}
	var ts *targets.Set
	var err error
	if f.targetsFile == "-" {
		if stdin == nil { // an app without one (tests): nothing to read
			stdin = strings.NewReader("")
		}
		ts, err = targets.Read("stdin", stdin, f.targetsFormat)
	} else {
		ts, err = targets.Load(f.targetsFile, f.targetsFormat)
	}
	if err != nil {
		return cli.Usage(fmt.Errorf("attack: %w", err))
	}
	for _, o := range ts.Origins() {
		if _, err := r.reach(ctx, o); err != nil {
			return err
		}
	}
	r.cfg.Targets = ts.For
	return nil
}

// remote attacks --target; a loadgen serve target (it answers /v1/info)
// lends the attack its clock and speaks h2c.
func (r *attackRun) remote(ctx context.Context) error {
	f := r.f
	u, err := r.reach(ctx, f.target)
	if err != nil {
		return err
	}
	r.cfg.Target = strings.TrimSuffix(f.target, "/")
	ic, tr := r.cfg.HTTP.Client()
	info, ok := attack.Info(ctx, r.cfg.Target, ic)
	tr.CloseIdleConnections()
	if !ok {
		return nil
	}
	if err := agree(info, r.set, &r.clock, f.scaleSet, f.startAt != ""); err != nil {
		return err
	}
	if !f.h2cSet && u.Scheme == "http" { // loadgen serve speaks h2c
		r.cfg.HTTP.H2C = true
	}
	return nil
}

// inProcess starts loadgen serve in-process on loopback and attacks it;
// r.stop shuts it down.
func (r *attackRun) inProcess() error {
	if r.f.allowRemote {
		return cli.Flagf("attack", "--allow-remote without --target or --targets: the in-process server is on loopback")
	}
	if r.clock.Start.IsZero() {
		r.clock.Start = time.Now()
	}
	srv, err := server.New(server.Config{Setup: r.set, Clock: r.clock})
	if err != nil {
		return cli.Usage(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Shutdown(context.Background())
		return fmt.Errorf("attack: %w", err)
	}
	bg := srv.ServeBackground(l)
	r.stop = func() { bg.Stop() }
	r.cfg.Target = "http://" + l.Addr().String()
	if !r.f.h2cSet {
		r.cfg.HTTP.H2C = true
	}
	return nil
}

// window fixes the attack's clock (model time 0: now, unless given or
// adopted) and its end (--duration), refusing a start too far off and an
// end inside the trigger.
func (r *attackRun) window() error {
	if r.clock.Start.IsZero() {
		r.clock.Start = time.Now()
	}
	clock, set, f := r.clock, r.set, r.f
	if err := checkStart("attack", "model time 0 at", clock, set.Horizon(), time.Now()); err != nil {
		return err // a target's start (serve's /v1/info) is checked as --start-at is
	}
	r.cfg.Clock = clock
	if f.duration <= 0 {
		return nil
	}
	r.cfg.Until = min(set.Horizon(), clock.ModelSpan(f.duration))
	// As sim refuses a horizon inside the trigger: the surge asks only
	// after it, so such an attack would send nothing and judge a recovery
	// it never saw. A paced attack has no trigger to wait for.
	if te := set.TriggerEnd(); f.pacer == nil && te > 0 && r.cfg.Until <= te {
		return cli.Flagf("attack", "--duration %v ends the attack at model time %v (time scale %g), not after the trigger's end at %v: it would end inside it, before any droplet asks again; give --duration over %v",
			f.duration, r.cfg.Until.Round(time.Millisecond), clock.Scale, te, clock.Span(te).Round(time.Millisecond))
	}
	return nil
}

// attackRecorder creates --out's files for r (r.cfg.Recorder) and says on
// stderr what is attacked.
func (a app) attackRecorder(r *attackRun) (*record.Writer, error) {
	f, set, clock, shard := r.f, r.set, r.clock, r.f.shard
	interval := f.interval
	if interval == 0 {
		interval = time.Duration(set.Scenario.Interval)
	}
	shardName := ""
	if f.shardSet {
		shardName = shard.String()
	}
	w, err := record.Create(record.Options{Dir: f.out, Scenario: set.Scenario.Name, Policy: set.Policy, Seed: set.Seed,
		Droplets: shard.Count(set.DWFM.Droplets), Start: clock.Start, Incident: set.Scenario.Start, TimeScale: clock.Scale,
		Interval: interval, Shard: shardName, Wrap: a.wrap})
	if err != nil {
		return nil, cli.Usage(fmt.Errorf("attack: --out %q: %w", f.out, err))
	}
	r.cfg.Recorder = w
	wait := ""
	if ahead := time.Until(clock.Start); ahead > 0 {
		wait = fmt.Sprintf(" · model time 0 in %s (%s)", span(ahead), clock.Start.Format(time.RFC3339))
	}
	fmt.Fprintf(a.stderr, "attack %s · policy %s · %d droplets%s · time scale %g → %s%s\n", set.Scenario.Name, set.Policy,
		shard.Count(set.DWFM.Droplets), shardOf(shardName), clock.Scale, targetName(r.cfg, f.targetsFile), wait)
	return w, nil
}

// attackProgress draws the progress line: model time, attempts sent of
// those scheduled, in flight, waiting for a worker (lag), the p99 so far.
func attackProgress(p *cli.Progress, w *record.Writer, s attack.Status, until time.Duration) {
	if s.At < 0 {
		p.Update(0, fmt.Sprintf("attack: model time 0 in %s", (-s.At).Round(time.Second)))
		return
	}
	p99 := "—"
	if q := w.Latency(0.99); q > 0 {
		p99 = roundSpan(q).String()
	}
	p.Update(float64(s.At)/float64(until), fmt.Sprintf("attack t=%s of %s · sent %d of %d scheduled · in flight %d · lag %d · p99 %s · workers %d",
		s.At.Round(time.Second), until, s.Sent, s.Scheduled, s.InFlight, s.Lag, p99, s.Workers))
}

// finishAttack closes the files with the attack's summary, prints what it
// did and says what went wrong (attackVerdict).
func (a app) finishAttack(f attackOpts, o attack.Outcome, w *record.Writer, set *live.Setup, wall time.Time) error {
	// A broken invariant is a bug here, not the target's doing: the files
	// are written all the same, complete=false, and the run fails.
	broken := o.Invariant()
	s := record.Summary{Recovered: o.Recovered, Undefined: o.Undefined, RecoveryS: math.NaN(), TriggerEndS: math.NaN(),
		KeptUp: o.KeptUp(), Complete: !o.Interrupted && broken == nil, WallS: time.Since(wall).Seconds(), Requests: o.Requests}
	if o.Recovered {
		s.RecoveryS = o.Recovery.Seconds()
	}
	if len(set.Outages) > 0 && !o.Undefined {
		s.TriggerEndS = o.TriggerEnd.Seconds()
	}
	// An attack none of whose attempts succeeded measured nothing of the
	// service: its files are kept as .partial, as an interrupted one's.
	warn, failed := attackFailures(f.out, w.Counts(), w.Breakdown(), o.NoConn)
	closeFiles := w.Close
	if failed != nil {
		closeFiles, s.Complete = w.Keep, false
	}
	if err := closeFiles(s); err != nil {
		return fmt.Errorf("attack: %w", err)
	}
	printAttack(a, o, w.Summary())
	if warn != "" {
		fmt.Fprintln(a.stderr, warn)
	}
	suffix := ""
	if w.Kept() { // an earlier complete attack in --out stays as it was
		suffix = results.PartialSuffix
	}
	files := fmt.Sprintf("%s/{%s,%s,%s,%s}%s", f.out, record.ResultsFile, record.TimeSeriesFile, record.SummaryFile, record.LatencyFile, suffix)
	if !w.Kept() {
		fmt.Fprintf(a.stderr, "wrote %s\n", files)
	}
	return f.attackVerdict(o, w.Summary(), attackFaults{broken: broken, failed: failed}, files)
}

// attackFaults are what finishAttack found wrong before the verdict: a
// broken invariant, no attempt succeeded.
type attackFaults struct{ broken, failed error }

// attackVerdict says what went wrong, in order of weight: a broken
// invariant (of the outcome or of summary.csv, s), an interrupt, an attack
// in which no attempt succeeded, failed assertions; files names the files
// written.
func (f attackOpts) attackVerdict(o attack.Outcome, s record.Summary, e attackFaults, files string) error {
	if e.broken != nil {
		return fmt.Errorf("%w; the files are kept as %s", e.broken, files)
	}
	if err := s.Invariant(); err != nil {
		return fmt.Errorf("attack: %s: %w; the files are kept as %s", record.SummaryFile, err, files)
	}
	if o.Interrupted {
		return fmt.Errorf("attack: %w at model time %s (its attempts in flight ended by %s); every attempt scheduled by then, sent or not, is in %s",
			cli.ErrInterrupted, o.Stopped.Round(time.Second), o.End.Round(time.Second), files)
	}
	var fs cli.Failures // one line each: no attempt succeeded, each failed assertion
	if e.failed != nil {
		fs = append(fs, fmt.Errorf("%w; the files are kept as %s, an earlier complete attack in %s as it was", e.failed, files, strconv.Quote(f.out)))
	}
	if len(f.asserts) > 0 {
		if err := f.asserts.checkAttack(s); err != nil {
			var afs cli.Failures
			if !errors.As(err, &afs) {
				return err
			}
			fs = append(fs, afs...)
		}
	}
	if len(fs) == 0 {
		return nil
	}
	return fs
}

// agree adopts a loadgen serve target's clock, or checks that the flags
// agree with it.
func agree(info server.Info, set *live.Setup, clock *live.Clock, scaleSet, startSet bool) error {
	if info.Policy != set.Policy || info.Seed != set.Seed {
		return cli.Usage(fmt.Errorf("attack: the target runs policy %s with seed %d; this attack has policy %s, seed %d (give both the same)",
			info.Policy, info.Seed, set.Policy, set.Seed))
	}
	if info.Droplets != set.DWFM.Droplets || info.Scenario != set.Scenario.Name {
		return cli.Usage(fmt.Errorf("attack: the target serves %s with %d droplets; this attack replays %s with %d (give --scenario and --droplets as to serve)",
			info.Scenario, info.Droplets, set.Scenario.Name, set.DWFM.Droplets))
	}
	if scaleSet && info.TimeScale != clock.Scale {
		return cli.Usage(fmt.Errorf("attack: --time-scale %g, but the target runs at %g", clock.Scale, info.TimeScale))
	}
	if startSet && !info.Start.Equal(clock.Start) {
		return cli.Usage(fmt.Errorf("attack: --start-at %s, but the target's model time 0 is %s", clock.Start.Format(time.RFC3339Nano), info.Start.Format(time.RFC3339Nano)))
	}
	clock.Scale, clock.Start = info.TimeScale, info.Start
	return nil
}

// parseRate reads vegeta's rate syntax: FREQ/PER (PER defaults to 1s), or 0
// or infinity for as fast as the workers go.
func parseRate(s string) (vegeta.Pacer, error) {
	if s == "0" || s == "infinity" {
		return vegeta.ConstantPacer{}, nil
	}
	freq, per, found := strings.Cut(s, "/")
	n, err := strconv.Atoi(freq)
	if err != nil || n < 1 {
		return nil, fmt.Errorf("--rate %q: want FREQ/PER with FREQ a whole number above 0 (e.g. 200/1s), or infinity", s)
	}
	p := time.Second
	if found {
		if !strings.ContainsAny(per, "0123456789") {
			per = "1" + per
		}
		if p, err = time.ParseDuration(per); err != nil || p <= 0 {
			return nil, fmt.Errorf("--rate %q: PER %q is not a duration above 0", s, per)
		}
	}
	return vegeta.ConstantPacer{Freq: n, Per: p}, nil
}

func shardOf(s string) string {
	if s == "" {
		return ""
	}
	return " (shard " + s + ")"
}

func targetName(c attack.Config, file string) string {
	if file != "" {
		return "targets in " + file
	}
	return c.Target
}

// printAttack prints what the attack did: its schedule and outcomes as
// summary.csv counts them (s), its recovery and whether it kept up (o).
func printAttack(a app, o attack.Outcome, s record.Summary) {
	c := s.Counts
	fmt.Fprintf(a.stdout, "attempts       %d sent of %d scheduled, %d unsent: %d first, %d retries\n",
		s.Sent, s.Scheduled, c.Unsent, c.First, c.Retries)
	fmt.Fprintf(a.stdout, "outcomes       good %d, rejected %d (%d of them 429), errors %d, timed out %d, unsent %d\n",
		c.Good, c.Rejected, o.Refused, c.Failed, c.TimedOut, c.Unsent)
	if o.ClientRefused > 0 {
		fmt.Fprintf(a.stdout, "client         %d attempts not sent: the droplets' client-side control refused them\n", o.ClientRefused)
	}
	if o.Requests > o.Sent {
		fmt.Fprintf(a.stdout, "on the wire    %d requests for %d attempts sent: the client-side library's own retries (each attempt one result)\n", o.Requests, o.Sent)
	}
	switch {
	case o.Undefined:
		fmt.Fprintf(a.stdout, "leased         %d of %d droplets (a paced attack: no trigger, recovery not defined)\n", o.Leased, o.Droplets)
	case o.Recovered && o.Asking == 0:
		fmt.Fprintf(a.stdout, "recovered      yes: none of the %d droplets lost its lease (nothing to ask for; trigger ends t=%s)\n", o.Droplets, o.TriggerEnd)
	case o.Recovered:
		fmt.Fprintf(a.stdout, "recovered      yes, %s after the trigger (model time; trigger ends t=%s)\n", o.Recovery.Round(100*time.Millisecond), o.TriggerEnd)
	default:
		fmt.Fprintf(a.stdout, "recovered      no: %d of %d droplets leased at t=%s (trigger ends t=%s)\n", o.Leased, o.Droplets, o.End.Round(time.Second), o.TriggerEnd)
	}
	behind := fmt.Sprintf("scheduled %d, sent %d, unsent %d, late %d (on the wire over %v after the intended time), worst lateness %v",
		o.Scheduled, o.Sent, o.Unsent, o.Late, attack.LateAfter, roundSpan(o.MaxLag))
	if o.NoConn > 0 {
		behind += fmt.Sprintf(", %d never got a connection (waited in the attacker until they ended)", o.NoConn)
	}
	limit := fmt.Sprintf("at most %g%% unsent or late and none over %v", 100*attack.MaxBehind, roundSpan(o.Timeout/10))
	if o.KeptUp() {
		fmt.Fprintf(a.stdout, "kept up        yes: %s (%s)\n", behind, limit)
		return
	}
	fmt.Fprintf(a.stdout, "kept up        NO: %s (%s)\n", behind, limit)
	fmt.Fprintf(a.stderr, "attack: WARNING: the attacker did not keep up (kept_up=false): %s; wanted %s. The machine, not the target, shaped these numbers (lateness runs until an attempt gets a connection: waiting for a worker or for a connection is the load host's): lower --time-scale, or raise --max-workers or --max-connections if you set them\n",
		behind, limit)
}

// roundSpan rounds a wall-clock span for printing: to the millisecond, or
// the microsecond under 10 ms.
func roundSpan(d time.Duration) time.Duration {
	if d < 10*time.Millisecond {
		return d.Round(time.Microsecond)
	}
	return d.Round(time.Millisecond)
}
