package cascade

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/netprop"
	"github.com/aftershock/aftershock/bench/nlb"
	"github.com/aftershock/aftershock/bench/sim"
)

// fakeDWFM is a DWFM stage of 100 droplets, expired of them without a lease
// in every sample, that returns res (and err) or stops when asked.
type fakeDWFM struct {
	res     model.Result
	err     error
	expired int
}

func (f *fakeDWFM) Run(o model.Options) (model.Result, error) {
	f.res.Amplification = math.NaN() // no request
	for t := o.Interval; t <= o.Horizon; t += o.Interval {
		o.Observe(model.Sample{T: t, Interval: o.Interval, Leased: 100 - f.expired, Expired: f.expired})
		if o.Stop != nil && o.Stop() {
			r := f.res
			r.Interrupted, r.End = true, t // its recovery as judged so far, as dwfm reports it
			return r, nil
		}
	}
	r := f.res
	r.End = o.Horizon
	return r, f.err
}

// small is a cascade of a fake DWFM stage and small later stages, on a 3 h
// timeline at 1 min.
func small(t *testing.T, d *fakeDWFM) *Model {
	t.Helper()
	m, err := New(Config{
		Link: Link{ItemsPerDropletHour: 1, ReleaseOver: model.Duration(10 * time.Minute), NLBEvery: 1, FailoverOffAt: model.Duration(time.Hour)},
		DWFM: d,
		NetProp: netprop.Config{NetProp: netprop.Section{BaseRate: 0.05, LaunchShare: 0.5, Normal: model.Duration(time.Minute)},
			Service: model.StationConfig{Workers: 2, ServiceTime: model.MustParseDist("exp(1s)")}},
		NLB: nlb.Config{NLB: nlb.Section{Zones: 2, TargetsPerZone: 5, Load: 0.5, FailoverOffAt: model.Duration(2 * time.Hour)}, // replaced by the link's
			Service: model.StationConfig{Workers: 2, ServiceTime: model.MustParseDist("exp(100ms)")}},
	}, model.Env{Seed: 1, Epoch: time.Date(2025, 10, 19, 23, 48, 0, 0, time.FixedZone("PDT", -7*3600))})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var horizon = model.Options{Horizon: sim.Time(3 * time.Hour), Interval: sim.Time(time.Minute)}

// TestLaterStagesNeverStarted: when DWFM does not recover, the later stages
// never run: every milestone never, their columns NaN in every row, their
// summary values empty, the event not recovered (and its ideal still
// DWFM's plus the release window: the same for every policy).
func TestLaterStagesNeverStarted(t *testing.T) {
	m := small(t, &fakeDWFM{res: model.Result{TriggerEnd: sim.Time(time.Hour), Ideal: sim.Time(time.Hour)}, expired: 40})
	var rows []model.Sample
	o := horizon
	o.Observe = func(s model.Sample) { rows = append(rows, s) }
	res, err := m.Run(o)
	if err != nil {
		t.Fatal(err)
	}
	out := m.Outcome()
	if res.Recovered || res.Ideal != sim.Time(70*time.Minute) || out.Milestones != never || out.NetPropRan || out.NLBRan {
		t.Fatalf("recovered %v, ideal %v, milestones %+v, ran %v %v", res.Recovered, res.Ideal, out.Milestones, out.NetPropRan, out.NLBRan)
	}
	if len(rows) != 180 || math.Abs(out.DropletHours-40*3) > 1e-9 {
		t.Fatalf("%d rows, %v droplet-hours", len(rows), out.DropletHours)
	}
	for _, s := range rows {
		for i := range StageColumns {
			if !math.IsNaN(s.Extra[i]) {
				t.Fatalf("row at %v: %s = %v, want empty", s.T, StageColumns[i], s.Extra[i])
			}
		}
	}
	for i, v := range out.Values() {
		if SummaryColumns[i] != "droplet_hours_unleased" && SummaryColumns[i][:5] != "dwfm_" && v != "" {
			t.Errorf("%s = %q, want empty", SummaryColumns[i], v)
		}
	}
	if _, err := m.Run(o); err == nil {
		t.Error("a Model ran twice")
	}
}

// TestStagesRunAfterRecovery: when DWFM recovers, the held-back work is the
// droplet-hours × the link's rate, released from the recovery; the later
// stages run to the horizon and the event's recovery is counted from the
// DWFM outage's end to the latest stage's end, never under the ideal.
func TestStagesRunAfterRecovery(t *testing.T) {
	m := small(t, &fakeDWFM{res: model.Result{TriggerEnd: sim.Time(time.Hour), Recovered: true, Recovery: sim.Time(30 * time.Minute), Ideal: sim.Time(10 * time.Minute)}, expired: 10})
	res, err := m.Run(horizon)
	if err != nil {
		t.Fatal(err)
	}
	out := m.Outcome()
	ms := out.Milestones
	if out.HeldBack != 30 || ms.DWFMRecovered != sim.Time(90*time.Minute) || !out.NetPropRan || !out.NLBRan || out.Targets < 1 {
		t.Fatalf("held back %d (want 30: 10 × 3 h × 1), dwfm recovered %v, ran %v %v, targets %d", out.HeldBack, ms.DWFMRecovered, out.NetPropRan, out.NLBRan, out.Targets)
	}
	if ms.PropNormal < ms.DWFMRecovered+sim.Time(10*time.Minute) {
		t.Errorf("propagation normal at %v, before the release ended at %v", ms.PropNormal, ms.DWFMRecovered+sim.Time(10*time.Minute))
	}
	if !res.Recovered || ms.EventEnd != res.TriggerEnd+res.Recovery || res.Recovery < res.Ideal || res.Ideal != sim.Time(20*time.Minute) {
		t.Errorf("event end %v: recovered %v at %v + %v, ideal %v", ms.EventEnd, res.Recovered, res.TriggerEnd, res.Recovery, res.Ideal)
	}
	if err := res.Check(); err != nil {
		t.Error(err)
	}
	if ms.FailoverOff != sim.Time(time.Hour) || ms.FailoverOn != -1 {
		t.Errorf("the link's failover_off_at 1h: switched off at %v, on at %v", ms.FailoverOff, ms.FailoverOn)
	}
}

// TestStageViolationIsReported: a stage that breaks an invariant stops the
// cascade with an error that is still a *model.Violation (the runner marks
// the run incomplete), naming the stage and the seed, and the rows so far
// are handed on.
func TestStageViolationIsReported(t *testing.T) {
	bad := &model.Violation{Invariant: "x", Detail: "y"}
	m := small(t, &fakeDWFM{res: model.Result{TriggerEnd: sim.Time(time.Hour), Recovered: true, Recovery: sim.Time(time.Minute)}, err: bad, expired: 1})
	rows := 0
	o := horizon
	o.Observe = func(model.Sample) { rows++ }
	_, err := m.Run(o)
	var v *model.Violation
	if !errors.As(err, &v) || err.Error() != `cascade: stage dwfm, seed 1: invariant "x" broken: y` || rows != 180 {
		t.Fatalf("%v (%d rows)", err, rows)
	}
	// A Result that breaks the kit's invariants is caught too.
	m = small(t, &fakeDWFM{res: model.Result{TriggerEnd: sim.Time(time.Hour), Recovered: true, Recovery: sim.Time(time.Minute), Ideal: sim.Time(time.Hour)}, expired: 1})
	if _, err := m.Run(horizon); !errors.As(err, &v) || v.Invariant != model.InvariantRatio {
		t.Fatalf("recovery under the ideal: %v", err)
	}
}

// TestInterruptedCascade: a stop during DWFM ends the run there: the rows
// so far, interrupted, not recovered.
func TestInterruptedCascade(t *testing.T) {
	m := small(t, &fakeDWFM{res: model.Result{TriggerEnd: sim.Time(5 * time.Minute), Recovered: true, Recovery: sim.Time(time.Minute)}, expired: 1})
	rows, polls := 0, 0
	o := horizon
	o.Observe = func(model.Sample) { rows++ }
	o.Stop = func() bool { polls++; return polls >= 10 }
	res, err := m.Run(o)
	if err != nil || !res.Interrupted || res.Recovered || rows != 10 || res.End != sim.Time(10*time.Minute) {
		t.Fatalf("interrupted %v, recovered %v, %d rows, end %v, %v", res.Interrupted, res.Recovered, rows, res.End, err)
	}
	// DWFM's milestone is its recovery as judged so far, as its recovery
	// column is; no later stage ran.
	out := m.Outcome()
	if out.Milestones.DWFMRecovered != sim.Time(6*time.Minute) || out.NetPropRan || out.Milestones.EventEnd != -1 {
		t.Errorf("dwfm recovered %v, netprop ran %v, event end %v", out.Milestones.DWFMRecovered, out.NetPropRan, out.Milestones.EventEnd)
	}
}

// TestNewRefuses: a cascade's inconsistent parts are refused before it
// runs, each in one line naming the part.
func TestNewRefuses(t *testing.T) {
	ok := Config{Link: Link{ItemsPerDropletHour: 1, NLBEvery: 1}, DWFM: &fakeDWFM{},
		NLB:     nlb.Config{NLB: nlb.Section{Zones: 1, TargetsPerZone: 1, Load: 0.5}, Service: model.StationConfig{Workers: 1, ServiceTime: model.MustParseDist("exp(1s)")}},
		NetProp: netprop.Config{Service: model.StationConfig{Workers: 1, ServiceTime: model.MustParseDist("exp(1s)")}}}
	if _, err := New(ok, model.Env{}); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		edit func(*Config)
		want string
	}{
		"no dwfm":     {func(c *Config) { c.DWFM = nil }, "cascade: no dwfm stage"},
		"bad link":    {func(c *Config) { c.Link.NLBEvery = 0 }, "cascade: nlb_every 0 below 1"},
		"no failover": {func(c *Config) { c.NLB.NLB.NoFailover = true }, "cascade: stage nlb sets no_failover"},
		"bad nlb":     {func(c *Config) { c.NLB.NLB.Zones = 0 }, "cascade: stage nlb: nlb: zones 0 outside"},
		"queue cap":   {func(c *Config) { c.NetProp.Service.QueueCapacity = 3 }, "cascade: stage netprop: delay_station and queue_capacity"},
		"no workers":  {func(c *Config) { c.NLB.Service.Workers = 0 }, "cascade: stage nlb: [service]: "},
		"targets":     {func(c *Config) { c.NLB.Targets = []nlb.Target{{}} }, "cascade: the later stages' input and targets are the cascade's to set"},
	} {
		cfg := ok
		c.edit(&cfg)
		if _, err := New(cfg, model.Env{}); err == nil || len(err.Error()) < len(c.want) || err.Error()[:len(c.want)] != c.want {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}

// TestNothingLaunched: a link that holds nothing back, to a propagation
// stage without a base stream, launches nothing to the NLB: its ends are
// DWFM's recovery (the NLB model alone would count them from virtual 0,
// before the outage), and it has no recovery of its own to report.
func TestNothingLaunched(t *testing.T) {
	d := &fakeDWFM{res: model.Result{TriggerEnd: sim.Time(time.Hour), Recovered: true, Recovery: sim.Time(30 * time.Minute)}}
	m := small(t, d)
	m.cfg.NetProp.NetProp.BaseRate = 0
	if _, err := m.Run(horizon); err != nil {
		t.Fatal(err)
	}
	out := m.Outcome()
	ms := out.Milestones
	if out.HeldBack != 0 || out.Launches != 0 || out.Targets != 0 || !out.NLBRan {
		t.Fatalf("held back %d, launches %d, targets %d, nlb ran %v", out.HeldBack, out.Launches, out.Targets, out.NLBRan)
	}
	if ms.NLBRestored != ms.DWFMRecovered || ms.ConnRestored != ms.DWFMRecovered || ms.EventEnd != ms.PropNormal || ms.PropNormal != ms.DWFMRecovered+sim.Time(10*time.Minute) {
		t.Errorf("dwfm %v: nlb restored %v, conn restored %v, prop normal %v, end %v", ms.DWFMRecovered, ms.NLBRestored, ms.ConnRestored, ms.PropNormal, ms.EventEnd)
	}
	v := out.Values()
	for i, c := range SummaryColumns {
		if (c == "nlb_recovery_s" || c == "held_back") && v[i] != map[string]string{"nlb_recovery_s": "", "held_back": "0"}[c] {
			t.Errorf("%s = %q", c, v[i])
		}
	}
}
