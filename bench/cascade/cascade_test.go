package cascade

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/aftershock/aftershock/bench/netprop"
	"github.com/aftershock/aftershock/bench/sim"
)

func load(t *testing.T) *File {
	t.Helper()
	f, err := Load("us-east-1-cascade")
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// small is the preset at 2·10⁴ droplets (the timeline does not depend on
// the scale; the held-back work scales with it), for -race.
func small(t *testing.T, seed uint64) Outcome {
	t.Helper()
	o, err := Run{File: load(t), Policy: "operator", Seed: seed, Droplets: 20000}.Execute()
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// seed1 is small(t, 1), run once for the package's tests.
var seed1 = sync.OnceValues(func() (Outcome, error) {
	return Run{File: must(Load("us-east-1-cascade")), Policy: "operator", Seed: 1, Droplets: 20000}.Execute()
})

func must(f *File, err error) *File {
	if err != nil {
		panic(err)
	}
	return f
}

func first(t *testing.T) Outcome {
	t.Helper()
	o, err := seed1()
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestBacklogStartsAfterDWFM: nothing is offered to propagation from the
// outage's start until every droplet holds a lease again, and then the
// held-back work is.
func TestBacklogStartsAfterDWFM(t *testing.T) {
	o := first(t)
	m := o.Milestones
	if m.DWFMRecovered <= 0 || o.FirstOffer < m.DWFMRecovered {
		t.Fatalf("first propagation work at %v, DWFM recovered at %v", o.FirstOffer, m.DWFMRecovered)
	}
	if o.HeldBack < 1 || o.NetProp.TriggerEnd <= m.DWFMRecovered {
		t.Fatalf("held back %d items, surge ends at %v (DWFM recovered %v)", o.HeldBack, o.NetProp.TriggerEnd, m.DWFMRecovered)
	}
	if m.PropUp >= 0 && m.PropUp < m.DWFMRecovered {
		t.Fatalf("propagation latency up at %v before DWFM recovered at %v", m.PropUp, m.DWFMRecovered)
	}
	if o.Targets < 1 {
		t.Fatalf("no launch reached the NLB (%d launches)", o.Launches)
	}
	t.Logf("dwfm %s, prop up %s, normal %s; nlb errors %s, restored %s; end %s", o.Clock(m.DWFMRecovered), o.Clock(m.PropUp), o.Clock(m.PropNormal), o.Clock(m.NLBErrors), o.Clock(m.NLBRestored), o.Clock(m.EventEnd))
}

// TestNoRecoveryNoRelease: under no policy DWFM collapses for good, so
// nothing is held back, released or measured downstream.
func TestNoRecoveryNoRelease(t *testing.T) {
	o, err := Run{File: load(t), Policy: "none", Seed: 1, Droplets: 20000}.Execute()
	if err != nil {
		t.Fatal(err)
	}
	if o.DWFM.Recovered || o.Milestones != never || o.HeldBack != 0 || o.Launches != 0 || o.DropletHours <= 0 {
		t.Fatalf("DWFM recovered %v; milestones %+v; held back %d, launches %d, droplet-hours %g", o.DWFM.Recovered, o.Milestones, o.HeldBack, o.Launches, o.DropletHours)
	}
}

// TestHoldBack: the input drops exactly the items of [from, until) and
// records the first it passes at or after from.
func TestHoldBack(t *testing.T) {
	at := []sim.Time{0, 5, 10, 15, 20, 25}
	var evs []netprop.Event
	for _, a := range at {
		evs = append(evs, netprop.Event{At: a})
	}
	h := &holdBack{in: &slice{evs: evs}, from: 5, until: 20, first: -1}
	var got []sim.Time
	for e, ok := h.Next(); ok; e, ok = h.Next() {
		got = append(got, e.At)
	}
	if fmt.Sprint(got) != "[0s 20ns 25ns]" || h.first != 20 {
		t.Fatalf("passed %v, first %v; want [0 20 25], 20", got, h.first)
	}
}

type slice struct{ evs []netprop.Event }

func (s *slice) Next() (netprop.Event, bool) {
	if len(s.evs) == 0 {
		return netprop.Event{}, false
	}
	e := s.evs[0]
	s.evs = s.evs[1:]
	return e, true
}

// TestDeterministic: same seed, same outcome, printed.
func TestDeterministic(t *testing.T) {
	if a, b := fmt.Sprintf("%+v", first(t)), fmt.Sprintf("%+v", small(t, 1)); a != b {
		t.Fatalf("same seed, different outcomes:\n%s\n%s", a, b)
	}
}

// TestBadParameters: each bad stage or link parameter is one line naming it.
func TestBadParameters(t *testing.T) {
	base := `name = "x"
[stages]
dwfm = "us-east-1"
netprop = "netprop"
nlb = "nlb"
[link]
items_per_droplet_hour = 0.01
nlb_every = 100
`
	for _, c := range []struct{ edit, want string }{
		{`items_per_droplet_hour = 0.01`, ""},
		{`items_per_droplet_hour = 0`, "items_per_droplet_hour 0 outside"},
		{`items_per_droplet_hour = -1`, "items_per_droplet_hour -1 outside"},
		{`nlb_every = 0`, "nlb_every 0 below 1"},
		{`nlb = "nlb"` + "\n" + `extra = 1`, "unknown key"},
		{`nlb = ""`, "[stages] needs dwfm, netprop and nlb"},
		{"[link]\nfailover_off_at = \"2h\"\nfailover_on_at = \"1h\"", "failover_on_at 1h0m0s not after failover_off_at 2h0m0s"},
		{"[link]\nrelease_over = \"-1h\"", "release_over"},
		{"[link]\nreach_before = 1.5", "reach_before 1.5 outside 0..1"},
		{"[link]\nreach_before = -0.1", "reach_before -0.1 outside 0..1"},
		{"[link]\nvisible_latency = \"-1m\"", "visible_latency"},
	} {
		text := base
		if c.edit != `items_per_droplet_hour = 0.01` {
			key, _, _ := strings.Cut(c.edit, " ")
			if strings.HasPrefix(c.edit, "[link]") {
				text = base + strings.TrimPrefix(c.edit, "[link]\n") + "\n"
			} else {
				text = replaceLine(base, key, c.edit)
			}
		}
		_, err := Parse("test", []byte(text))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%q: %v", c.edit, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "cascade: ") || strings.Contains(err.Error(), "\n")):
			t.Errorf("%q: error %v, want one line starting cascade: with %q", c.edit, err, c.want)
		}
	}
	// A stage that names a scenario without that stage's section.
	f := load(t)
	f.Stages.NLB = "netprop"
	if _, err := (Run{File: f, Seed: 1}).Execute(); err == nil || err.Error() != "cascade: stage nlb: scenario netprop has no [nlb] section" {
		t.Errorf("nlb stage on the netprop preset: %v", err)
	}
	f = load(t)
	f.Stages.DWFM = "nope"
	if _, err := (Run{File: f, Seed: 1}).Execute(); err == nil || !strings.HasPrefix(err.Error(), "cascade: stage dwfm: ") {
		t.Errorf("unknown dwfm preset: %v", err)
	}
	if _, err := (Run{File: load(t), Seed: 1, Droplets: -1}).Execute(); err == nil || strings.Contains(err.Error(), "\n") {
		t.Errorf("droplets -1: %v", err)
	}
	if _, err := Load("nope"); err == nil || !strings.Contains(err.Error(), "us-east-1-cascade") {
		t.Errorf("unknown preset: %v", err)
	}
}

// replaceLine replaces the line of text starting with key.
func replaceLine(text, key, line string) string {
	ls := strings.Split(text, "\n")
	for i, l := range ls {
		if strings.HasPrefix(l, key+" ") {
			ls[i] = line
		}
	}
	return strings.Join(ls, "\n")
}

// TestPolicies: per-stage specs reach their stages' hooks; a bare spec is
// DWFM's; a stage twice, an empty spec or a bad one is a one-line error.
func TestPolicies(t *testing.T) {
	pol, err := ParsePolicies([]string{"operator:at=04:14", "netprop=queue-size", "nlb=velocity:cap=10%,window=5m"})
	if err != nil || pol != (Policies{"operator:at=04:14", "queue-size", "velocity:cap=10%,window=5m", ""}) {
		t.Fatalf("parsed %+v, %v", pol, err)
	}
	if s := pol.String(); s != "dwfm=operator:at=04:14 netprop=queue-size nlb=velocity:cap=10%,window=5m" {
		t.Errorf("String %q", s)
	}
	// Bundles set every stage that no stage=spec sets, in any order.
	for _, c := range []struct {
		specs []string
		want  Policies
		str   string
	}{
		{[]string{"operator"}, Policies{"operator", "", "failover-off", "operator"}, "operator (dwfm=operator nlb=failover-off)"},
		{[]string{"nlb=velocity", "operator"}, Policies{"operator", "", "velocity", "operator"}, "operator (dwfm=operator nlb=velocity)"},
		{[]string{"mitigated"}, Policies{"queue-size", "queue-size", MitigatedVelocity, "mitigated"}, "mitigated (dwfm=queue-size netprop=queue-size nlb=" + MitigatedVelocity + ")"},
		{[]string{"mitigated", "dwfm=operator"}, Policies{"operator", "queue-size", MitigatedVelocity, "mitigated"}, "mitigated (dwfm=operator netprop=queue-size nlb=" + MitigatedVelocity + ")"},
	} {
		got, err := ParsePolicies(c.specs)
		if err != nil || got != c.want || got.String() != c.str {
			t.Errorf("%q: %+v %q, %v; want %+v %q", c.specs, got, got.String(), err, c.want, c.str)
		}
	}
	p, err := Run{File: load(t), Policy: pol.DWFM, NetPropPolicy: pol.NetProp, NLBPolicy: pol.NLB, Seed: 1, Droplets: 1000}.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	if p.hp.Admit == nil || p.hn.Velocity == nil || p.hp.Velocity != nil || p.hn.Admit != nil {
		t.Errorf("netprop admission %v velocity %v; nlb admission %v velocity %v", p.hp.Admit != nil, p.hp.Velocity != nil, p.hn.Admit != nil, p.hn.Velocity != nil)
	}
	for _, c := range []struct {
		specs []string
		want  string
	}{
		{[]string{"queue-size", "dwfm=none"}, "cascade: policy for stage dwfm given twice"},
		{[]string{"nlb= "}, "cascade: policy \"nlb= \": empty spec for stage nlb"},
		{[]string{"operator", "mitigated"}, "cascade: two bundles given"},
		{[]string{"operator", "queue-size"}, "cascade: policy for stage dwfm given twice"},
		{[]string{"queue-size", "operator"}, "cascade: policy for stage dwfm given twice"},
	} {
		if _, err := ParsePolicies(c.specs); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: %v, want %s", c.specs, err, c.want)
		}
	}
	_, err = Run{File: load(t), NLBPolicy: "velocity:cap=200%", Seed: 1, Droplets: 1000}.Prepare()
	if err == nil || !strings.HasPrefix(err.Error(), "cascade: stage nlb: ") || strings.Contains(err.Error(), "\n") {
		t.Errorf("bad nlb policy: %v", err)
	}
}

// TestSeries: one row per sample interval of the timeline, each with the
// three stages' measures; no propagation backlog before DWFM recovered; the
// summary row has a field per header column.
func TestSeries(t *testing.T) {
	o := first(t)
	f := load(t)
	p, err := Run{File: f, Policy: "operator", Seed: 1, Droplets: 20000}.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	iv := p.dwfm.Scenario().Interval
	if want := int(p.ds.Horizon / iv); len(o.Series) != want {
		t.Fatalf("%d rows, want %d", len(o.Series), want)
	}
	for i, r := range o.Series {
		if !r.HasProp || !r.HasNLB || r.Prop.T != r.DWFM.T || r.NLB.T != r.DWFM.T {
			t.Fatalf("row %d: stages %v %v at %v %v %v", i, r.HasProp, r.HasNLB, r.DWFM.T, r.Prop.T, r.NLB.T)
		}
		if r.DWFM.T < o.Milestones.DWFMRecovered && r.Prop.Backlog != 0 {
			t.Fatalf("row %d (%s): propagation backlog %d before DWFM recovered at %s", i, o.Clock(r.DWFM.T), r.Prop.Backlog, o.Clock(o.Milestones.DWFMRecovered))
		}
	}
	if n := len(p.Columns()); n != len(p.TimeSeriesRow(o.Series[0]).Extra) || n < len(StageColumns) {
		t.Errorf("%d columns, %d extra values", n, len(p.TimeSeriesRow(o.Series[0]).Extra))
	}
	if rec := o.Record("x", Policies{DWFM: "operator"}, 1, 20000, 1); len(rec) != len(SummaryHeader) {
		t.Errorf("summary row of %d fields, header of %d", len(rec), len(SummaryHeader))
	}
}

// TestMilestoneDefs: every milestone has one definition with a label, the
// definitions read the milestones they name, and each compared with a
// published clock says what that clock is.
func TestMilestoneDefs(t *testing.T) {
	n := reflect.TypeOf(Milestones{}).NumField()
	if len(MilestoneDefs) != n {
		t.Fatalf("%d definitions for %d milestones", len(MilestoneDefs), n)
	}
	seen := map[string]bool{}
	for i, d := range MilestoneDefs {
		// Milestones with every field −1 but one: each definition must read its own.
		var m Milestones
		v := reflect.ValueOf(&m).Elem()
		for j := range n {
			v.Field(j).SetInt(-1)
		}
		switch d.Label {
		case Calibrated, Scheduled, Predicted:
		default:
			t.Errorf("%s: label %q", d.Name, d.Label)
		}
		if d.Published != "" && d.Against == "" || d.Why == "" || d.What == "" {
			t.Errorf("%s: published %q against %q, why %q, what %q", d.Name, d.Published, d.Against, d.Why, d.What)
		}
		for j := range n {
			v.Field(j).SetInt(int64(j))
			if got := d.At(m); got == sim.Time(j) {
				name := reflect.TypeOf(m).Field(j).Name
				if seen[name] {
					t.Errorf("definition %d (%s) reads %s, read by another", i, d.Name, name)
				}
				seen[name] = true
			}
			v.Field(j).SetInt(-1)
		}
	}
	if len(seen) != n {
		t.Errorf("definitions read %d of %d milestones: %v", len(seen), n, seen)
	}
}
