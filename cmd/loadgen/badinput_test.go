package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// snapshot is every file under root and its bytes.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !d.Type().IsRegular() {
			m[p] = "(not regular)"
			return nil
		}
		b, err := os.ReadFile(p)
		m[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func diffSnapshots(before, after map[string]string) []string {
	var d []string
	for p, b := range before {
		if a, ok := after[p]; !ok {
			d = append(d, "removed "+p)
		} else if a != b {
			d = append(d, "changed "+p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			d = append(d, "new "+p)
		}
	}
	return d
}

// badInputs are command lines that must be refused: exit 2, one line on
// stderr containing every want, nothing on stdout, no file changed. Names in
// args starting with "@" are files in the test's directory (see
// TestBadInputTable).
var badInputs = []struct {
	name string
	args []string
	want []string
}{
	// Runaways refused before they start, each naming the flag that allows it.
	{"sim too many rows", []string{"sim", "--interval", "10ms", "--droplets", "1000"}, []string{"rows", "--max-rows"}},
	{"sim too much memory", []string{"sim", "--droplets", "1e7", "--max-memory", "1GiB"}, []string{"memory", "--max-memory"}},
	{"sim too many events", []string{"sim", "--droplets", "1e6", "--max-events", "1e6"}, []string{"events", "--max-events"}},
	{"sim bad --max-memory", []string{"sim", "--max-memory", "lots"}, []string{"max-memory", "want a size"}},
	{"sim zero --max-events", []string{"sim", "--max-events", "0"}, []string{"max-events", "above 0"}},
	{"sweep memory times parallel", []string{"sweep", "--droplets", "1e6", "--parallel", "64", "--max-memory", "8GiB"}, []string{"memory", "--max-memory"}},
	// the command line as a whole
	{"no command", nil, []string{"no command given", "run 'loadgen -h'"}},
	{"unknown command", []string{"simulate"}, []string{`unknown command "simulate"`}},
	{"unknown top-level flag", []string{"--verbose"}, []string{`unknown command "--verbose"`}},
	{"help for an unknown command", []string{"help", "nope"}, []string{`unknown command "nope"`}},
	{"help with two topics", []string{"help", "sim", "sweep"}, []string{"help COMMAND"}},
	{"version with an argument", []string{"version", "x"}, []string{"takes no arguments"}},

	// sim: every flag
	{"sim flag typo", []string{"sim", "--sead", "1"}, []string{"flag provided but not defined: -sead", "run 'loadgen sim -h'"}},
	{"sim stray argument", []string{"sim", "extra"}, []string{`unexpected argument "extra"`}},
	{"sim flag without value", []string{"sim", "--droplets"}, []string{"flag needs an argument: -droplets"}},
	{"sim seed not a number", []string{"sim", "--seed", "abc"}, []string{`invalid value "abc" for flag -seed`}},
	{"sim seed negative", []string{"sim", "--seed", "-1"}, []string{`"-1" is negative`}},
	{"sim seed not whole", []string{"sim", "--seed", "1.5"}, []string{"not a whole number"}},
	{"sim seed too large", []string{"sim", "--seed", "1e30"}, []string{"1e30 out of range"}},
	{"sim droplets negative", []string{"sim", "--droplets", "-5"}, []string{"--droplets -5 below 0"}},
	{"sim droplets not whole", []string{"sim", "--droplets", "1.5e0"}, []string{"1.5e0 is not a whole number"}},
	{"sim droplets overflow", []string{"sim", "--droplets", "1e19"}, []string{"1e19 out of range"}},
	{"sim droplets word", []string{"sim", "--droplets", "many"}, []string{`invalid value "many" for flag -droplets`}},
	{"sim droplets on a generic scenario", []string{"sim", "--scenario", "mm1", "--droplets", "5"}, []string{"no [dwfm] section"}},
	{"sim interval 1ns", []string{"sim", "--interval", "1ns"}, []string{"--interval 1ns below 1ms"}},
	{"sim interval 1us", []string{"sim", "--interval", "1us"}, []string{"below 1ms"}},
	{"sim interval negative", []string{"sim", "--interval", "-1s"}, []string{"--interval -1s below 1ms"}},
	{"sim interval past the horizon", []string{"sim", "--interval", "100h"}, []string{"longer than the horizon 14h32m0s"}},
	{"sim interval without unit", []string{"sim", "--interval", "5"}, []string{`invalid value "5" for flag -interval`}},
	{"sim interval word", []string{"sim", "--interval", "soon"}, []string{"flag -interval"}},
	{"sim policy empty", []string{"sim", "--policy", ""}, []string{"--policy is empty"}},
	{"sim policy blank", []string{"sim", "--policy", "  "}, []string{"--policy is empty"}},
	{"sim policy unknown", []string{"sim", "--policy", "magic"}, []string{`unknown policy "magic"`}},
	{"sim policy parameter typo", []string{"sim", "--policy", "queue-size:limt=3"}, []string{`unknown parameter "limt"`}},
	{"sim policy bad value", []string{"sim", "--policy", "token-bucket:rate=-1"}, []string{`rate="-1"`}},
	{"sim two admission policies", []string{"sim", "--policy", "queue-size+token-bucket"}, []string{"both set the admission role"}},
	{"sim scenario empty", []string{"sim", "--scenario", ""}, []string{"--scenario is empty"}},
	{"sim scenario unknown preset", []string{"sim", "--scenario", "us-west-9"}, []string{`"us-west-9"`}},
	{"sim scenario local path", []string{"sim", "--scenario", "./us-east-1"}, []string{"./us-east-1", "no such file"}},
	{"sim scenario missing file", []string{"sim", "--scenario", "@missing.scn"}, []string{"missing.scn"}},
	{"sim scenario unknown key", []string{"sim", "--scenario", "@unknown.scn"}, []string{"unknown.scn", "rat"}},
	{"sim scenario garbage", []string{"sim", "--scenario", "@garbage.scn"}, []string{"garbage.scn"}},
	{"sim scenario is a directory", []string{"sim", "--scenario", "@out"}, []string{"out"}},
	{"sim scenario endless", []string{"sim", "--scenario", "/dev/zero"}, []string{`"/dev/zero": larger than`}},
	{"sim out is a file", []string{"sim", "--out", "@file/sub", "--droplets", "1000"}, []string{"--out"}},
	{"sim out has a directory in the way", []string{"sim", "--out", "@blocked", "--droplets", "1000"}, []string{`summary.csv" exists and is not a regular file`}},
	{"sim cascade over a limit", []string{"sim", "--scenario", "us-east-1-cascade", "--max-events", "1e6"}, []string{"run too large", "--max-events"}},
	{"sim cascade holding too long a series", []string{"sim", "--scenario", "us-east-1-cascade", "--droplets", "1000", "--interval", "6ms", "--out", ""}, []string{"run too large", "--max-memory"}},
	{"sim cascade interval too short", []string{"sim", "--scenario", "us-east-1-cascade", "--interval", "1us"}, []string{"--interval 1µs below 1ms"}},
	{"sim cascade droplets negative", []string{"sim", "--scenario", "us-east-1-cascade", "--droplets", "-5"}, []string{"--droplets -5 below 0"}},
	{"sim cascade policy unknown", []string{"sim", "--scenario", "us-east-1-cascade", "--policy", "magic"}, []string{`unknown policy "magic"`}},
	{"sim cascade stage policy unknown", []string{"sim", "--scenario", "us-east-1-cascade", "--policy", "nlb=magic"}, []string{"stage nlb", `unknown policy "magic"`}},
	{"sim cascade stage policy twice", []string{"sim", "--scenario", "us-east-1-cascade", "--policy", "netprop=queue-size", "--policy", "netprop=none"}, []string{"stage netprop given twice"}},
	{"sim cascade stage policy empty", []string{"sim", "--scenario", "us-east-1-cascade", "--policy", "nlb="}, []string{"empty spec for stage nlb"}},
	{"sim stage policy on one model", []string{"sim", "--policy", "nlb=velocity"}, []string{`policy "nlb=velocity" for stage nlb`, "scenario us-east-1 is one model"}},
	{"sim an NLB-only policy on DWFM", []string{"sim", "--policy", "failover-off"}, []string{`policy "failover-off" does not apply to scenario us-east-1`, "has no [nlb]"}},
	{"sim an NLB-only part on DWFM", []string{"sim", "--policy", "queue-size+failover-off"}, []string{"does not apply", "it would do nothing"}},
	{"sweep an NLB-only policy on a generic model", []string{"sweep", "--scenario", "metastable", "--policies", "none,failover-off:at=1s,until=2s"}, []string{`policy "failover-off:at=1s,until=2s" does not apply to scenario metastable`}},
	{"attack an NLB-only policy", []string{"attack", "--policy", "failover-off:at=1m,until=2m", "--out", "@atk"}, []string{"does not apply to live mode"}},
	{"sim policy twice on one model", []string{"sim", "--policy", "operator", "--policy", "none"}, []string{`policy "operator none": several specs`, "one model"}},

	// sweep: every flag
	{"sweep flag typo", []string{"sweep", "--polices", "none"}, []string{"flag provided but not defined: -polices", "run 'loadgen sweep -h'"}},
	{"sweep stray argument", []string{"sweep", "none"}, []string{`unexpected argument "none"`}},
	{"sweep seeds zero", []string{"sweep", "--seeds", "0"}, []string{"--seeds 0 below 1"}},
	{"sweep seeds negative", []string{"sweep", "--seeds", "-1"}, []string{"--seeds -1 below 1"}},
	{"sweep seeds not whole", []string{"sweep", "--seeds", "1.5"}, []string{"not a whole number"}},
	{"sweep seeds overflow", []string{"sweep", "--seeds", "1e30"}, []string{"out of range"}},
	{"sweep runs overflow", []string{"sweep", "--policies", "none,operator", "--seeds", "9e18"}, []string{"1.8e+19 runs", "more than 1048576"}},
	{"sweep a trillion seeds", []string{"sweep", "--seeds", "1e12"}, []string{"3e+12 runs (1 --vary combination × 3 policies × 1000000000000 seeds)", "more than 1048576"}},
	{"sweep vary cross product times seeds", []string{"sweep", "--vary", "dwfm.check_interval=1m,2m,3m,4m", "--vary", "service.workers=2,3,4,5", "--seeds", "1e5"}, []string{"4.8e+06 runs (16 --vary combinations × 3 policies × 100000 seeds)"}},
	{"sweep total events", []string{"sweep", "--seeds", "1e5", "--droplets", "1e5"}, []string{"sweep: too large: 3e+05 runs", "events in all (limit 1e+11)", "--max-total-events"}},
	{"sweep shard total events", []string{"sweep", "--seeds", "2e5", "--droplets", "1e5", "--shard", "0/2"}, []string{"3e+05 runs", "--max-total-events"}},
	{"sweep bad --max-total-events", []string{"sweep", "--max-total-events", "0"}, []string{"max-total-events", "above 0"}},
	{"boundary total events", []string{"boundary", "--droplets", "1e5", "--param", "trigger.1.duration", "--lo", "1m", "--hi", "10h", "--seeds", "1000", "--tol", "1s"}, []string{"boundary: too large", "1.8e+04 runs", "--max-total-events"}},
	{"sweep parallel zero", []string{"sweep", "--parallel", "0"}, []string{"--parallel 0 outside 1..256"}},
	{"sweep parallel huge", []string{"sweep", "--parallel", "1e6"}, []string{"--parallel 1000000 outside"}},
	{"sweep parallel word", []string{"sweep", "--parallel", "all"}, []string{"flag -parallel"}},
	{"sweep droplets negative", []string{"sweep", "--droplets", "-1"}, []string{"--droplets -1 below 0"}},
	{"sweep droplets not whole", []string{"sweep", "--droplets", "2.5"}, []string{"not a whole number"}},
	{"sweep policies empty", []string{"sweep", "--policies", " "}, []string{"--policies is empty"}},
	{"sweep policies unknown", []string{"sweep", "--policies", "none,bogus"}, []string{`unknown policy "bogus"`}},
	{"sweep policies twice", []string{"sweep", "--policies", "none,queue-size,none"}, []string{`policy "none" given twice`}},
	{"sweep markdown not a bool", []string{"sweep", "--markdown=maybe"}, []string{`invalid boolean value "maybe" for -markdown`}},
	{"sweep scenario unknown", []string{"sweep", "--scenario", "nope"}, []string{`"nope"`}},
	{"sweep scenario missing file", []string{"sweep", "--scenario", "@missing.scn"}, []string{"missing.scn"}},
	{"sweep scenario empty", []string{"sweep", "--scenario", ""}, []string{"--scenario is empty"}},
	{"sweep out is a file", []string{"sweep", "--out", "@file", "--droplets", "1000"}, []string{"--out"}},
	{"sweep vary without values", []string{"sweep", "--vary", "service.workers"}, []string{`flag -vary`, "want KEY=v1,v2,..."}},
	{"sweep vary empty value", []string{"sweep", "--vary", "service.workers=2,,4"}, []string{"an empty value"}},
	{"sweep vary value twice", []string{"sweep", "--vary", "service.workers=2,2"}, []string{"value 2 given twice"}},
	{"sweep vary key twice", []string{"sweep", "--vary", "service.workers=2", "--vary", "service.workers=4"}, []string{"--vary service.workers given twice"}},
	{"sweep vary unknown key", []string{"sweep", "--vary", "dwfm.chek_interval=90s"}, []string{`unknown key "dwfm.chek_interval"`}},
	{"sweep vary unknown section", []string{"sweep", "--vary", "dfwm.check_interval=90s"}, []string{`unknown key "dfwm"`, "dfwm.check_interval"}},
	{"sweep vary a section", []string{"sweep", "--vary", "dwfm=1"}, []string{`dwfm is a section, not a value`}},
	{"sweep nlb velocity cap zero", []string{"sweep", "--scenario", "nlb", "--policies", "velocity:cap=0%"}, []string{`cap="0%"`, "percentage above 0"}},
	{"sweep nlb min_healthy above the AZ", []string{"sweep", "--scenario", "nlb", "--vary", "nlb.min_healthy=101"}, []string{"[nlb]", "min_healthy 101 outside"}},
	{"sweep nlb failover back on before off", []string{"sweep", "--scenario", "nlb", "--vary", "nlb.failover_on_at=1h"}, []string{"failover_on_at 1h0m0s not after failover_off_at 4h8m0s"}},
	{"sweep nlb weights for other zones", []string{"sweep", "--scenario", "nlb", "--vary", "nlb.zones=2"}, []string{"3 launch_weights for 2 zones"}},
	{"sweep nlb with a dwfm section", []string{"sweep", "--scenario", "nlb", "--vary", "dwfm.droplets=5"}, []string{"[dwfm], [netprop] and [nlb]: 2 set, at most one"}},
	{"sweep nlb targets overflow", []string{"sweep", "--scenario", "nlb", "--vary", "nlb.targets_per_zone=3074457345618258603"}, []string{"targets_per_zone 3074457345618258603 outside 1..1398101"}},
	{"sweep netprop surge negative", []string{"sweep", "--scenario", "netprop", "--vary", "netprop.surge=-1"}, []string{"[netprop]", "surge -1 outside"}},
	{"sweep netprop with clients", []string{"sweep", "--scenario", "netprop", "--vary", "clients.rate=5"}, []string{"[netprop] and [clients] both set"}},
	{"sweep vary trigger out of range", []string{"sweep", "--vary", "trigger.2.duration=1h"}, []string{"[[trigger]] is numbered 1..1"}},
	{"sweep vary race key on an outage", []string{"sweep", "--vary", "trigger.1.repair=1h"}, []string{"are for dns-race triggers only"}},
	{"sweep vary fails validation", []string{"sweep", "--vary", "dwfm.check_interval=90s,0s"}, []string{"check_interval 0s below 1ms", `dwfm.check_interval = "0s"`}},
	{"sweep vary horizon inside the trigger", []string{"sweep", "--vary", "horizon=1h"}, []string{"[[trigger]] 1: ends at 2h37m0s", "not before the horizon 1h0m0s"}},
	{"sim horizon inside the trigger", []string{"sim", "--scenario", "@shorthorizon.toml"}, []string{"shorthorizon.toml", "ends at 1h10m0s", "not before the horizon 30m0s"}},
	{"sweep vary wrong type", []string{"sweep", "--vary", "service.workers=2.5"}, []string{"service.workers = 2.5"}},
	{"sweep vary duration without unit", []string{"sweep", "--vary", "dwfm.establish_timeout=30"}, []string{"duration 30 has no unit"}},
	{"sweep vary bad distribution", []string{"sweep", "--vary", "service.service_time=lognormal(15s)"}, []string{"service.service_time"}},
	{"sweep vary clients on dwfm", []string{"sweep", "--vary", "clients.rate=10"}, []string{"[dwfm] and [clients] both set"}},
	{"sweep vary droplets twice", []string{"sweep", "--vary", "dwfm.droplets=1000,2000", "--droplets", "1000"}, []string{"--vary dwfm.droplets and --droplets 1000"}},
	{"sweep vary runs overflow", []string{"sweep", "--vary", "service.workers=1,2,3,4", "--policies", "none,operator", "--seeds", "2e18"}, []string{"1.6e+19 runs", "more than 1048576"}},

	// compare: arguments, flags and bad files
	{"compare nothing", []string{"compare"}, []string{"want one or more result files", "run 'loadgen compare -h'"}},
	{"compare three files of the same runs", []string{"compare", "@good.csv", "@good.csv", "@good.csv"}, []string{"is in both", "must hold different runs"}},
	{"compare flag after files", []string{"compare", "@good.csv", "@good.csv", "--allow-incomplete"}, []string{"flags go before arguments"}},
	{"compare flag typo", []string{"compare", "--allow-incompete", "@good.csv", "@good.csv"}, []string{"flag provided but not defined"}},
	{"compare threshold negative", []string{"compare", "--threshold", "-1", "@good.csv", "@good.csv"}, []string{"--threshold -1"}},
	{"compare threshold NaN", []string{"compare", "--threshold", "NaN", "@good.csv", "@good.csv"}, []string{"--threshold NaN"}},
	{"compare allow-incomplete not a bool", []string{"compare", "--allow-incomplete=maybe", "@good.csv", "@good.csv"}, []string{`invalid boolean value "maybe" for -allow-incomplete`}},
	{"compare threshold word", []string{"compare", "--threshold", "tight", "@good.csv", "@good.csv"}, []string{`invalid value "tight" for flag -threshold`}},
	{"compare missing file", []string{"compare", "@missing.csv", "@good.csv"}, []string{`missing.csv": no such file`}},
	{"compare endless file", []string{"compare", "@good.csv", "/dev/zero"}, []string{`"/dev/zero":1: line longer than 65536 bytes`}},
	{"compare empty file", []string{"compare", "@good.csv", "@empty.csv"}, []string{`empty.csv": no header row`}},
	{"compare a time series", []string{"compare", "@good.csv", "@out/timeseries.csv"}, []string{`lacks column "scenario"`}},
	{"compare a directory", []string{"compare", "@good.csv", "@out"}, []string{"out"}},
	{"compare duplicate rows", []string{"compare", "@good.csv", "@dup.csv"}, []string{`dup.csv":3: duplicate run`, "policy none"}},
	{"compare negative recovery", []string{"compare", "@negative.csv", "@good.csv"}, []string{`negative.csv":2:`, "recovery_s", "want a number >= 0"}},
	{"compare incomplete run", []string{"compare", "@good.csv", "@incomplete.csv"}, []string{"did not complete", "--allow-incomplete"}},
	{"compare ragged row", []string{"compare", "@good.csv", "@ragged.csv"}, []string{"ragged.csv"}},
	{"compare bad number", []string{"compare", "@good.csv", "@badnum.csv"}, []string{`badnum.csv":2:`, "soon"}},

	// scenarios and policies
	{"scenarios show unknown", []string{"scenarios", "show", "nope"}, []string{`no preset "nope"`}},
	{"scenarios show without name", []string{"scenarios", "show"}, []string{"scenarios show NAME", "run 'loadgen scenarios -h'"}},
	{"scenarios unknown verb", []string{"scenarios", "list"}, []string{`"list"`}},
	{"scenarios unknown flag", []string{"scenarios", "--all"}, []string{"flag provided but not defined: -all"}},
	{"policies argument", []string{"policies", "queue-size"}, []string{`unexpected argument "queue-size"`}},
	{"policies unknown flag", []string{"policies", "--verbose"}, []string{"flag provided but not defined: -verbose"}},

	// --assert on sim and sweep: refused before the run
	{"sim assert unknown column", []string{"sim", "--assert", "recovery<7200"}, []string{"flag -assert", `unknown column "recovery"`}},
	{"sim assert no value", []string{"sim", "--assert", "recovery_s<"}, []string{"no value after <"}},
	{"sim assert number bare", []string{"sim", "--assert", "recovery_s"}, []string{"recovery_s is not true or false"}},
	{"sim assert bad value", []string{"sim", "--assert", "recovery_ratio<=low"}, []string{`value "low" is not a number`}},
	{"sim assert single =", []string{"sim", "--assert", "peak_queue=5"}, []string{"operators: < <= > >= == !="}},
	{"sim assert empty", []string{"sim", "--assert", ""}, []string{"empty assertion"}},
	{"sim assert a cascade column on one model", []string{"sim", "--assert", "conn_error_share<0.1"}, []string{"--assert", "scenario us-east-1's summary", `unknown column "conn_error_share"`}},
	{"sweep assert a cascade column on one model", []string{"sweep", "--scenario", "metastable", "--assert", "event_end_clock==x"}, []string{"scenario metastable's summary", `unknown column "event_end_clock"`}},
	{"sim assert a clock ordered", []string{"sim", "--scenario", "us-east-1-cascade", "--assert", "event_end_clock<11:00"}, []string{"event_end_clock is text"}},
	{"sweep assert bool with operator", []string{"sweep", "--assert", "recovered<1"}, []string{"recovered is true or false"}},
	{"sweep assert text ordered", []string{"sweep", "--assert", "policy>none"}, []string{"policy is text"}},

	// compare FILE...: the ranking's flags and files
	{"compare unknown baseline", []string{"compare", "--baseline", "nope", "@good.csv"}, []string{"--baseline", `baseline policy "nope"`, "policies: none, queue-size"}},
	{"compare unknown format", []string{"compare", "--format", "yaml", "@good.csv"}, []string{`--format "yaml"`, "text, markdown, csv, json"}},
	{"compare baseline on the same runs", []string{"compare", "--baseline", "none", "@good.csv", "@good.csv"}, []string{"--baseline ranks pooled runs", "run by run"}},
	{"compare format on the same runs", []string{"compare", "--format", "json", "@good.csv", "@good.csv"}, []string{"--format ranks pooled runs"}},
	{"compare threshold on other runs", []string{"compare", "--threshold", "0.1", "@good.csv"}, []string{"--threshold is for two files of the same runs"}},
	{"compare one file missing", []string{"compare", "@missing.csv"}, []string{`missing.csv": no such file`}},
	{"compare one file empty", []string{"compare", "--baseline", "none", "@empty.csv"}, []string{`empty.csv": no header row`}},
	{"compare header lacks a column", []string{"compare", "@good.csv", "@nocolumn.csv", "@good.csv"}, []string{"nocolumn.csv", `lacks column "recovery_s"`}},
	{"compare row longer than the header", []string{"compare", "@long.csv"}, []string{"long.csv", "wrong number of fields"}},
	{"compare ranking a bad number", []string{"compare", "--format", "csv", "@badnum.csv"}, []string{`badnum.csv":2:`, "soon"}},
	{"compare a header only", []string{"compare", "@headeronly.csv"}, []string{`headeronly.csv" holds no runs`}},
	{"compare a header only beside a good file", []string{"compare", "@good.csv", "@headeronly.csv"}, []string{"holds no runs"}},
	{"merge out is an input", []string{"merge", "@good.csv", "--out", "@good.csv"}, []string{"--out", "would replace input", "good.csv"}},
	{"merge out is an input's partial", []string{"merge", "@salvage.csv.partial", "--out", "@salvage.csv"}, []string{"would replace input"}},
	{"report timeseries is an input", []string{"report", "--timeseries", "@a1/timeseries.csv", "@a1"}, []string{"--timeseries", "would replace input"}},
	{"compare ranking an incomplete run", []string{"compare", "@incomplete.csv"}, []string{"did not complete", "--allow-incomplete"}},
	{"compare flag after one file", []string{"compare", "@good.csv", "--baseline", "none"}, []string{"flags go before arguments"}},
	// plot (out is a run directory, out/sweep a sweep, blocked a directory without result files)
	{"plot no inputs", []string{"plot", "--out", "x.png"}, []string{"plot: want one or more run directories"}},
	{"plot without --out", []string{"plot", "out"}, []string{"plot: --out FILE is required"}},
	{"plot unknown extension", []string{"plot", "out", "--out", "x.pdf"}, []string{`plot: --out "x.pdf": want a .png or .svg file`}},
	{"plot no extension", []string{"plot", "out", "--out", "x"}, []string{`--out "x": want a .png or .svg file`}},
	{"plot unknown kind", []string{"plot", "--kind", "bars", "out", "--out", "x.png"}, []string{`plot: --kind "bars"`, "timeline, phase or ratio"}},
	{"plot flag typo", []string{"plot", "out", "--outt", "x.png"}, []string{"flag provided but not defined: -outt"}},
	{"plot missing input", []string{"plot", "nowhere", "--out", "x.png"}, []string{`plot: "nowhere": no such file or directory`}},
	{"plot directory without CSV", []string{"plot", "blocked", "--out", "x.png"}, []string{`plot: "blocked": no timeseries.csv, sweep.csv or summary.csv`}},
	{"plot empty file", []string{"plot", "empty.csv", "--out", "x.png"}, []string{"empty.csv", "no header row"}},
	{"plot ragged file", []string{"plot", "ragged.csv", "--out", "x.svg"}, []string{"ragged.csv", "wrong number of fields"}},
	{"plot mixed kinds", []string{"plot", "out", "out/sweep", "--out", "x.png"}, []string{`plot: inputs mix run directories ("out") and sweep or summary files ("out/sweep")`}},
	{"plot timeline of a sweep", []string{"plot", "--kind", "timeline", "out/sweep", "--out", "x.png"}, []string{"--kind timeline needs run directories"}},
	{"plot phase of runs", []string{"plot", "--kind", "phase", "out", "--out", "x.png"}, []string{"--kind phase needs a sweep"}},
	{"plot phase of one point", []string{"plot", "--kind", "phase", "good.csv", "--out", "x.png"}, []string{"varies 0 parameters; want 2 (sweep --vary twice)"}},
	{"plot a run twice", []string{"plot", "good.csv", "out/sweep", "--out", "x.png"}, []string{`"out/sweep/sweep.csv": run`, `is also in "good.csv"`}},
	{"plot the same run directory twice", []string{"plot", "out", "out", "--out", "x.png"}, []string{`"out": the same run as "out", given twice`}},
	{"plot the same run by two names", []string{"plot", "out", "./out/", "--out", "x.png"}, []string{"given twice"}},
	{"plot a run copied elsewhere", []string{"plot", "out", "copy", "--out", "x.png"}, []string{`"copy": run scenario us-east-1, policy none, seed 1, 2000 droplets is also in "out"`}},
	{"plot unwritable out", []string{"plot", "out", "--out", "good.csv/x.png"}, []string{`plot: --out "good.csv/x.png"`, "cannot create output directory"}},
	// report
	{"report nothing", []string{"report"}, []string{"want at least one", "run 'loadgen report -h'"}},
	{"report missing directory", []string{"report", "@nowhere"}, []string{`nowhere": no such file`}},
	{"report garbage file", []string{"report", "@garbage.scn"}, []string{"garbage.scn", "not a vegeta results file"}},
	{"report empty file", []string{"report", "@empty.csv"}, []string{"empty.csv", "not a vegeta results file"}},
	{"report endless file", []string{"report", "/dev/zero"}, []string{`"/dev/zero"`, "empty gob messages"}},
	{"report sim output is no attack", []string{"report", "@out"}, []string{"not an attack directory"}},
	{"report interrupted attack", []string{"report", "@aborted"}, []string{"aborted", "an interrupted or failed attack"}},
	{"report mismatched scenarios", []string{"report", "@a1", "@a2"}, []string{"different scenarios"}},
	{"report same shard twice", []string{"report", "@a1", "@plain.bin", "@a1"}, []string{"are the same source", "count twice"}},
	{"report bad format", []string{"report", "--format", "xml", "@a1"}, []string{`--format "xml"`}},
	{"report flag after sources", []string{"report", "@a1", "--format", "csv"}, []string{"flags go before arguments"}},
	{"report timeseries without attack", []string{"report", "--timeseries", "ts.csv", "@plain.bin"}, []string{"--timeseries", "no attack directory"}},
	{"report timeseries into a file", []string{"report", "--timeseries", "@file/ts.csv", "@a1"}, []string{"--timeseries"}},
	// sweep --shard, merge
	{"sweep shard index not below count", []string{"sweep", "--shard", "3/3"}, []string{"-shard", "shard index 3 outside 0..2"}},
	{"sweep shard negative", []string{"sweep", "--shard", "-1/3"}, []string{"outside 0..2"}},
	{"sweep shard malformed", []string{"sweep", "--shard", "1of3"}, []string{"want I/N"}},
	{"sweep shard count zero", []string{"sweep", "--shard", "0/0"}, []string{"want I/N"}},
	{"sweep shard count too large", []string{"sweep", "--shard", "0/2000000"}, []string{"--shard 0/2000000", "outside 1..1048576"}},
	{"sweep shard count without index", []string{"sweep", "--shard", "4"}, []string{"JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID", "neither is set"}},
	{"merge no files", []string{"merge"}, []string{"merge: no files given", "run 'loadgen merge -h'"}},
	{"merge only a flag", []string{"merge", "--out", "@m.csv"}, []string{"no files given"}},
	{"merge flag typo", []string{"merge", "@good.csv", "--outt", "@m.csv"}, []string{"flag provided but not defined: -outt"}},
	{"merge missing file", []string{"merge", "@missing.csv"}, []string{`missing.csv": no such file`}},
	{"merge empty file", []string{"merge", "@good.csv", "@empty.csv"}, []string{`empty.csv": no header row`}},
	{"merge a time series", []string{"merge", "@good.csv", "@out/timeseries.csv"}, []string{`lacks column "scenario"`}},
	{"merge mismatched columns", []string{"merge", "@good.csv", "@out/summary.csv"}, []string{`summary.csv": header differs`, `column 3 is "seed", not "vary"`}},
	{"merge the same runs twice", []string{"merge", "@good.csv", "@good.csv", "--out", "@m.csv"}, []string{"is in both", "good.csv"}},
	{"merge duplicate rows", []string{"merge", "@dup.csv"}, []string{`dup.csv":3: duplicate run`}},
	{"merge incomplete run", []string{"merge", "@good.csv", "@incomplete.csv"}, []string{"incomplete.csv", "did not complete"}},
	{"merge ragged row", []string{"merge", "@ragged.csv"}, []string{"ragged.csv"}},
	{"merge a shard missing", []string{"merge", "@sweep.shard-0-of-3.csv", "@sweep.shard-2-of-3.csv"}, []string{"shards 1 of 3 missing"}},
	{"merge a shard twice", []string{"merge", "@sweep.shard-0-of-2.csv", "@x/sweep.shard-0-of-2.csv"}, []string{"shard 0 of 2 given twice"}},
	{"merge shards of two sweeps", []string{"merge", "@sweep.shard-0-of-2.csv", "@sweep.shard-1-of-3.csv"}, []string{"not one sweep"}},
	{"merge a shard with another file", []string{"merge", "@sweep.shard-0-of-2.csv", "@sweep.shard-1-of-2.csv.partial"}, []string{"is named as a shard", `.partial" is not`}},
	{"merge shard index not below count", []string{"merge", "@sweep.shard-3-of-3.csv"}, []string{"not a shard name"}},
	{"merge unwritable out", []string{"merge", "@good.csv", "--out", "@file/m.csv"}, []string{"--out", "file"}},

	// boundary
	{"boundary without param", []string{"boundary", "--lo", "1", "--hi", "2"}, []string{"--param is required", "run 'loadgen boundary -h'"}},
	{"boundary without hi", []string{"boundary", "--scenario", "metastable", "--param", "clients.rate", "--lo", "1"}, []string{"--lo and --hi are both required"}},
	{"boundary stray argument", []string{"boundary", "x"}, []string{`unexpected argument "x"`}},
	{"boundary seeds zero", []string{"boundary", "--param", "k", "--lo", "1", "--hi", "2", "--seeds", "0"}, []string{"--seeds 0 outside 1..1000"}},
	{"boundary parallel zero", []string{"boundary", "--param", "k", "--lo", "1", "--hi", "2", "--parallel", "0"}, []string{"--parallel 0 outside"}},
	{"boundary lo not below hi", []string{"boundary", "--scenario", "metastable", "--param", "trigger.1.duration", "--lo", "2s", "--hi", "1s"}, []string{"--lo 2s not below --hi 1s"}},
	{"boundary mixed units", []string{"boundary", "--scenario", "metastable", "--param", "trigger.1.duration", "--lo", "1s", "--hi", "soon"}, []string{"two numbers", "two durations"}},
	{"boundary unknown key", []string{"boundary", "--scenario", "metastable", "--param", "service.wokers", "--lo", "1", "--hi", "2"}, []string{"wokers"}},
	{"boundary value out of range", []string{"boundary", "--scenario", "metastable", "--param", "service.workers", "--lo", "0", "--hi", "4"}, []string{"service.workers"}},
	{"boundary duration for a number", []string{"boundary", "--scenario", "metastable", "--param", "clients.rate", "--lo", "1s", "--hi", "2s"}, []string{"clients.rate"}},
	{"boundary tol too wide", []string{"boundary", "--scenario", "metastable", "--param", "trigger.1.duration", "--lo", "1s", "--hi", "2s", "--tol", "1s"}, []string{"--tol 1s", "not below the range"}},
	{"boundary tol not a duration", []string{"boundary", "--scenario", "metastable", "--param", "trigger.1.duration", "--lo", "1s", "--hi", "2s", "--tol", "0.1"}, []string{"--tol", "want a duration"}},
	{"boundary tol too fine", []string{"boundary", "--scenario", "metastable", "--param", "clients.rate", "--lo", "100", "--hi", "900", "--tol", "1e-12"}, []string{"more than 40 bisection steps"}},
	{"boundary unknown policy", []string{"boundary", "--scenario", "metastable", "--policy", "nope", "--param", "clients.rate", "--lo", "100", "--hi", "900"}, []string{"nope"}},
	{"boundary droplets on a generic model", []string{"boundary", "--scenario", "metastable", "--droplets", "5", "--param", "clients.rate", "--lo", "100", "--hi", "900"}, []string{"--droplets 5", "no [dwfm]"}},
	{"boundary droplets twice", []string{"boundary", "--param", "dwfm.droplets", "--lo", "1000", "--hi", "2000", "--droplets", "1000"}, []string{"--param dwfm.droplets and --droplets 1000"}},
	{"boundary unwritable out", []string{"boundary", "--scenario", "metastable", "--param", "clients.rate", "--lo", "100", "--hi", "900", "--out", "@file"}, []string{"--out"}},
	// cascade bundles, files and sweeps
	{"sim cascade two bundles", []string{"sim", "--scenario", "us-east-1-cascade", "--policy", "operator", "--policy", "mitigated"}, []string{"two bundles given"}},
	{"sim cascade bundle and a bare spec", []string{"sim", "--scenario", "us-east-1-cascade", "--policy", "operator", "--policy", "queue-size"}, []string{"stage dwfm given twice", "dwfm=queue-size"}},
	{"sim cascade interval above horizon", []string{"sim", "--scenario", "us-east-1-cascade", "--interval", "20h"}, []string{"--interval", "20h"}},
	{"sim cascade out is a file", []string{"sim", "--scenario", "us-east-1-cascade", "--droplets", "1000", "--out", "@file/sub"}, []string{"--out"}},
	{"sweep cascade unknown stage policy", []string{"sweep", "--scenario", "us-east-1-cascade", "--policies", "operator;nlb=magic"}, []string{"stage nlb", `unknown policy "magic"`}},
	{"sweep cascade two bundles in one entry", []string{"sweep", "--scenario", "us-east-1-cascade", "--policies", "operator mitigated"}, []string{"two bundles given"}},
	{"sweep cascade entry twice", []string{"sweep", "--scenario", "us-east-1-cascade", "--policies", "operator;operator"}, []string{"given twice"}},
	{"sweep cascade vary a single model's key", []string{"sweep", "--scenario", "us-east-1-cascade", "--vary", "dwfm.check_interval=1m"}, []string{"a cascade's models are its stages"}},
	{"sweep cascade vary overflows netprop", []string{"sweep", "--scenario", "us-east-1-cascade", "--vary", "link.items_per_droplet_hour=0.0126,1000"}, []string{"held-back work could reach", "items_per_droplet_hour 1000", "above netprop's"}},
	{"sweep cascade vary overflows the NLB", []string{"sweep", "--scenario", "us-east-1-cascade", "--droplets", "1.6e7", "--vary", "link.items_per_droplet_hour=0.2", "--vary", "link.nlb_every=1"}, []string{"the NLB could get", "raise nlb_every"}},
	{"sweep cascade vary a key it replaces", []string{"sweep", "--scenario", "us-east-1-cascade", "--vary", "stages.nlb.nlb.launches=10,20"}, []string{"stages.nlb.nlb.launches", "the cascade replaces stage nlb's nlb.launches", "changes nothing"}},
	{"sweep cascade vary a bad link value", []string{"sweep", "--scenario", "us-east-1-cascade", "--vary", "link.nlb_every=0"}, []string{"[link]", "nlb_every 0 below 1"}},
	{"sweep cascade vary a stage key out of range", []string{"sweep", "--scenario", "us-east-1-cascade", "--vary", "stages.dwfm.dwfm.droplets_per_host=0"}, []string{"[stages.dwfm]", "droplets_per_host 0 outside"}},
	{"sweep cascade vary an unknown stage key", []string{"sweep", "--scenario", "us-east-1-cascade", "--vary", "stages.netprop.netprop.surge_rate=2"}, []string{"[stages.netprop]", `unknown key "netprop.surge_rate"`}},
	{"sweep cascade vary an unknown stage", []string{"sweep", "--scenario", "us-east-1-cascade", "--vary", "stages.dns.x=1"}, []string{`unknown key "stages.dns"`}},
	{"sweep cascade vary a stage timeline", []string{"sweep", "--scenario", "us-east-1-cascade", "--vary", "stages.nlb.horizon=1h"}, []string{"the cascade replaces stage nlb's horizon"}},
	{"sim cascade file unknown stage key", []string{"sim", "--scenario", "@cascade-unknown.toml"}, []string{"cascade-unknown.toml", "[stages.dwfm]", `unknown key "dwfm.zonez"`}},
	{"sim cascade file unknown top key", []string{"sim", "--scenario", "@cascade-typo.toml"}, []string{"cascade-typo.toml", `unknown key "link.nlb_evry"`}},
	{"sim cascade file nlb stage without failover", []string{"sim", "--scenario", "@cascade-nofailover.toml"}, []string{"cascade-nofailover.toml", "stage nlb", "no_failover"}},
	{"sim cascade file sets a key the cascade replaces", []string{"sim", "--scenario", "@cascade-replaced.toml"}, []string{"[stages.nlb]", "the cascade replaces stage nlb's nlb.launches", "over preset nlb"}},
	{"sim cascade file stage of another model", []string{"sim", "--scenario", "@cascade-swapped.toml"}, []string{"stage nlb: scenario netprop has no [nlb] section"}},
	{"sim cascade file stage not a preset", []string{"sim", "--scenario", "@cascade-path.toml"}, []string{`"./mine.toml" is not a preset`, "[stages.dwfm]"}},
	{"sim cascade file with its own horizon", []string{"sim", "--scenario", "@cascade-horizon.toml"}, []string{"horizon: a cascade runs on its dwfm stage's timeline"}},
	{"sim cascade file missing a stage", []string{"sim", "--scenario", "@cascade-missing.toml"}, []string{"[stages] needs dwfm, netprop and nlb (missing: netprop)"}},
	{"sim cascade file link without stages", []string{"sim", "--scenario", "@cascade-linkonly.toml"}, []string{"[link] without [stages]"}},
	{"sim cascade file old zones key", []string{"sim", "--scenario", "@cascade-zones.toml"}, []string{"[stages.dwfm]", `key "dwfm.zones" was removed`}},
	{"sweep cascade policies empty", []string{"sweep", "--scenario", "us-east-1-cascade", "--policies", ";"}, []string{"--policies is empty"}},

	// serve and attack
	{"serve non-loopback address", []string{"serve", "--addr", "0.0.0.0:0"}, []string{"--addr 0.0.0.0:0", "not a loopback", "--allow-remote"}},
	{"serve bad time scale", []string{"serve", "--time-scale", "0"}, []string{"--time-scale 0"}},
	{"serve generic scenario", []string{"serve", "--scenario", "mm1"}, []string{"no [dwfm] section"}},
	{"serve two queue disciplines", []string{"serve", "--policy", "lifo+codel"}, []string{"lifo", "codel"}},
	{"serve bad start", []string{"serve", "--start-at", "noon"}, []string{"--start-at", "RFC 3339"}},
	{"attack unreachable target", []string{"attack", "--target", "http://127.0.0.1:1", "--out", "@atk"}, []string{"127.0.0.1:1", "unreachable"}},
	{"attack non-loopback target", []string{"attack", "--target", "http://192.0.2.1:80", "--out", "@atk"}, []string{"192.0.2.1", "not on loopback", "--allow-remote"}},
	{"attack target not a URL", []string{"attack", "--target", "127.0.0.1:80", "--out", "@atk"}, []string{"not an http(s) URL"}},
	{"attack bad shard", []string{"attack", "--shard", "2/2", "--out", "@atk"}, []string{`--shard "2/2"`, "0 <= i < n"}},
	{"attack negative shard", []string{"attack", "--shard", "-1/2", "--out", "@atk"}, []string{`--shard "-1/2"`}},
	{"attack bad targets file", []string{"attack", "--targets", "@garbage.scn", "--out", "@atk"}, []string{"garbage.scn"}},
	{"attack missing targets file", []string{"attack", "--targets", "@nowhere.http", "--out", "@atk"}, []string{"nowhere.http"}},
	{"attack bad rate", []string{"attack", "--rate", "fast", "--out", "@atk"}, []string{`--rate "fast"`}},
	{"attack bad scale", []string{"attack", "--time-scale", "1e9", "--out", "@atk"}, []string{"--time-scale"}},
	{"attack tiny interval", []string{"attack", "--interval", "1ns", "--out", "@atk"}, []string{"--interval 1ns", "rows"}},
	{"attack past the horizon", []string{"attack", "--start-at", "2020-01-01T00:00:00Z", "--out", "@atk"}, []string{"--start-at 2020-01-01T00:00:00Z was", "years ago", "the horizon 8m0s"}},
	{"attack start 73 years ahead", []string{"attack", "--start-at", "2099-01-01T00:00:00Z", "--out", "@atk"}, []string{"--start-at 2099-01-01T00:00:00Z is", "years from now", "more than 24h0m0s ahead"}},
	{"attack start at year 1", []string{"attack", "--start-at", "0001-01-01T00:00:00Z", "--out", "@atk"}, []string{"--start-at 0001-01-01T00:00:00Z was"}},
	{"attack start beyond time.Duration", []string{"attack", "--start-at", "9999-01-01T00:00:00Z", "--time-scale", "100000", "--out", "@atk"}, []string{"years from now"}},
	{"serve start 27 years past", []string{"serve", "--start-at", "1999-01-01T00:00:00Z"}, []string{"serve: --start-at 1999-01-01T00:00:00Z was", "years ago", "give a later start"}},
	{"serve start 73 years ahead", []string{"serve", "--start-at", "2099-01-01T00:00:00Z"}, []string{"more than 24h0m0s ahead"}},
	{"attack header without colon", []string{"attack", "--header", "X-Team blue", "--out", "@atk"}, []string{`header "X-Team blue": want "Name: value"`}},
	{"attack header empty value", []string{"attack", "--header", "X-Team:", "--out", "@atk"}, []string{"want \"Name: value\""}},
	{"attack max-body too large", []string{"attack", "--max-body", "1e9", "--out", "@atk"}, []string{"flag -max-body"}},
	{"attack max-body out of range", []string{"attack", "--max-body", "100000000", "--out", "@atk"}, []string{"--max-body 100000000 outside -1..65536"}},
	{"attack redirects below -1", []string{"attack", "--redirects", "-2", "--out", "@atk"}, []string{"--redirects -2 below -1"}},
	{"attack connections negative", []string{"attack", "--connections", "-1", "--out", "@atk"}, []string{"--connections -1 below 0"}},
	{"attack workers zero", []string{"attack", "--workers", "0", "--out", "@atk"}, []string{"--workers 0: want at least 1"}},
	{"attack max-workers zero", []string{"attack", "--max-workers", "0", "--out", "@atk"}, []string{"--max-workers 0"}},
	{"attack duration negative", []string{"attack", "--duration", "-1s", "--out", "@atk"}, []string{"--duration -1s below 0"}},
	{"attack key without cert", []string{"attack", "--key", "@file", "--out", "@atk"}, []string{"--key", "without --cert"}},
	{"attack cert missing", []string{"attack", "--cert", "@nowhere.pem", "--out", "@atk"}, []string{"--cert", `nowhere.pem": no such file`}},
	{"attack cert garbage", []string{"attack", "--cert", "@garbage.scn", "--out", "@atk"}, []string{"--cert", "garbage.scn"}},
	{"attack root-certs not PEM", []string{"attack", "--root-certs", "@garbage.scn", "--out", "@atk"}, []string{"--root-certs", "no PEM certificate"}},
	{"attack root-certs endless", []string{"attack", "--root-certs", "/dev/zero", "--out", "@atk"}, []string{"--root-certs", "larger than"}},
	{"attack h2c to https", []string{"attack", "--h2c", "--target", "https://127.0.0.1:1", "--out", "@atk"}, []string{"--h2c is HTTP/2 without TLS"}},
	{"attack workers could fill memory", []string{"attack", "--scenario", "us-east-1", "--droplets", "1e6", "--time-scale", "600", "--out", "@atk"}, []string{"up to 1000000 attempts in flight", "--max-workers", "--max-memory"}},
	{"attack targets from empty stdin", []string{"attack", "--targets", "-", "--out", "@atk"}, []string{`"stdin": no targets`}},
	{"attack targets file in the way of its output", []string{"attack", "--targets", "@out/timeseries.csv", "--out", "@out"}, []string{"writing timeseries.csv there would replace input"}},
	{"sim scenario file in the way of its output", []string{"sim", "--scenario", "@scn/summary.csv", "--out", "@scn"}, []string{"--out", "writing summary.csv there would replace input"}},
	{"attack remote without target", []string{"attack", "--allow-remote", "--out", "@atk"}, []string{"--allow-remote without --target"}},
}

// TestBadInputTable: every bad input exits 2 with one line on stderr naming
// the problem, prints nothing on stdout, and leaves every file as it was,
// previous good results included.
func TestBadInputTable(t *testing.T) {
	if len(badInputs) < 60 {
		t.Fatalf("%d bad inputs, want at least 60", len(badInputs))
	}
	dir := t.TempDir()
	t.Chdir(dir)
	// Previous good results where the defaults write (out, out/sweep).
	if code, _, e := runCLI(t, context.Background(), "sim", "--droplets", "2000"); code != 0 {
		t.Fatal(e)
	}
	if code, _, e := runCLI(t, context.Background(), "sweep", "--policies", "none,queue-size", "--droplets", "2000"); code != 0 {
		t.Fatal(e)
	}
	good, err := os.ReadFile("out/sweep/sweep.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(good), "\n") // header, none, queue-size, ""
	write := func(name, text string) {
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("good.csv", string(good))
	write("empty.csv", "")
	write("headeronly.csv", lines[0])
	os.MkdirAll("scn", 0o755)
	write("scn/summary.csv", "name = \"x\"\nhorizon = \"1h\"\n[clients]\nrate = 10\n[service]\nworkers = 2\nservice_time = \"exp(10ms)\"\n")
	write("salvage.csv.partial", string(good))
	write("dup.csv", lines[0]+lines[1]+lines[1])
	write("negative.csv", lines[0]+negate(t, lines[2]))
	write("incomplete.csv", lines[0]+strings.Replace(lines[1], ",true,", ",false,", 1))
	write("ragged.csv", lines[0]+"a,b\n")
	write("nocolumn.csv", strings.Replace(lines[0], ",recovery_s,", ",recovery,", 1)+lines[1])
	write("long.csv", lines[0]+strings.TrimSuffix(lines[1], "\n")+",extra\n")
	write("badnum.csv", lines[0]+strings.Replace(lines[1], ",false,", ",soon,", 1))
	write("shorthorizon.toml", "name = \"x\"\nhorizon = \"30m\"\n[clients]\nrate = 10\n[service]\nworkers = 2\nservice_time = \"exp(10ms)\"\n[[trigger]]\nkind = \"load-spike\"\nat = \"10m\"\nduration = \"1h\"\nfactor = 2.0\n")
	write("unknown.scn", "name = x\nhorizon = 1h\n[clients]\nrate = 10\nrat = 5\n")
	write("file", "")
	cascadeFile := func(stages, link string) string {
		return "name = \"c\"\n" + stages + "\n[link]\nitems_per_droplet_hour = 0.0126\nnlb_every = 100\n" + link
	}
	three := "[stages]\ndwfm = \"us-east-1\"\nnetprop = \"netprop\"\nnlb = \"nlb\"\n"
	write("cascade-unknown.toml", cascadeFile("[stages]\nnetprop = \"netprop\"\nnlb = \"nlb\"\n[stages.dwfm]\npreset = \"us-east-1\"\n[stages.dwfm.dwfm]\nzonez = 1\n", ""))
	write("cascade-zones.toml", cascadeFile("[stages]\nnetprop = \"netprop\"\nnlb = \"nlb\"\n[stages.dwfm]\npreset = \"us-east-1\"\n[stages.dwfm.dwfm]\nzones = 6\n", ""))
	write("cascade-typo.toml", cascadeFile(three, "nlb_evry = 3\n"))
	write("cascade-nofailover.toml", cascadeFile("[stages]\ndwfm = \"us-east-1\"\nnetprop = \"netprop\"\n[stages.nlb]\nname = \"mine\"\nhorizon = \"1h\"\n"+
		"nlb.zones = 2\nnlb.targets_per_zone = 3\nnlb.load = 0.5\nnlb.no_failover = true\nservice.workers = 1\nservice.service_time = \"exp(1s)\"\n", ""))
	write("cascade-replaced.toml", cascadeFile("[stages]\ndwfm = \"us-east-1\"\nnetprop = \"netprop\"\n[stages.nlb]\npreset = \"nlb\"\nnlb.launches = 5\n", ""))
	write("cascade-swapped.toml", cascadeFile("[stages]\ndwfm = \"us-east-1\"\nnetprop = \"netprop\"\nnlb = \"netprop\"\n", ""))
	write("cascade-path.toml", cascadeFile("[stages]\ndwfm = \"./mine.toml\"\nnetprop = \"netprop\"\nnlb = \"nlb\"\n", ""))
	write("cascade-horizon.toml", "horizon = \"2h\"\n"+cascadeFile(three, ""))
	write("cascade-missing.toml", cascadeFile("[stages]\ndwfm = \"us-east-1\"\nnlb = \"nlb\"\n", ""))
	write("cascade-linkonly.toml", "name = \"c\"\nhorizon = \"1h\"\n[clients]\nrate = 10\n[service]\nworkers = 2\nservice_time = \"exp(10ms)\"\n[link]\nnlb_every = 3\n")
	write("garbage.scn", "\x00\x01\xff binary [[[\n")
	os.MkdirAll("blocked/summary.csv", 0o755)
	os.MkdirAll("copy", 0o755)
	for _, n := range []string{"timeseries.csv", "summary.csv"} {
		b, _ := os.ReadFile(filepath.Join("out", n))
		write(filepath.Join("copy", n), string(b))
	}
	badInputReportFiles(t)
	before := snapshot(t, dir)

	for _, c := range badInputs {
		t.Run(c.name, func(t *testing.T) {
			args := make([]string, len(c.args))
			for i, a := range c.args {
				args[i] = strings.Replace(a, "@", "", 1)
				if strings.HasPrefix(a, "@") {
					args[i] = filepath.Join(dir, a[1:])
				}
			}
			var o, e bytes.Buffer
			code := func() (code int) {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panic: %v", r)
					}
				}()
				return app{stdout: &o, stderr: &e}.run(context.Background(), args)
			}()
			stderr := e.String()
			if code != 2 {
				t.Errorf("exit %d, want 2; stderr %q", code, stderr)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") || !strings.HasPrefix(stderr, "loadgen: ") {
				t.Errorf("stderr %q, want one line starting loadgen:", stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
			if o.Len() != 0 {
				t.Errorf("stdout %q, want nothing", o.String())
			}
			if d := diffSnapshots(before, snapshot(t, dir)); len(d) > 0 {
				t.Errorf("files touched: %v", d)
			}
		})
	}
}

// negate makes the recovery_s of a sweep.csv row negative (columns
// scenario, policy, vary, seed, droplets, recovered, recovery_s, ...).
func negate(t *testing.T, row string) string {
	f := strings.Split(row, ",")
	if f[5] != "true" || f[6] == "" {
		t.Fatalf("row %q did not recover; want queue-size's row", row)
	}
	f[6] = "-" + f[6]
	return strings.Join(f, ",")
}
