package results

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func sample() Summary {
	return Summary{Scenario: "us-east-1", Policy: "queue-size:limit=8,burst=8", Seed: 3, Droplets: 1000000,
		Recovered: true, RecoveryS: 4038.739, IdealS: 3751.398,
		RecoveredClock: time.Date(2025, 10, 20, 3, 32, 18, 0, time.FixedZone("", -7*3600)),
		PeakQueue:      4500, WastedFraction: 0.0123, Amplification: 10.9123,
		Sojourn: [4]float64{30.669, 30.54, 44.466, 50.594}, Events: 13911152, SimS: 52320, Complete: true, WallS: 5.4,
		AdmitRefusals: 123456, ClientRefusals: -1, RetryRefusals: 0, QueueDrops: -1}
}

// TestReadSummariesWithoutRefusalColumns: a file written before the refusal
// counts existed still reads, with each count unknown (-1); a file that has
// them reads them back.
func TestReadSummariesWithoutRefusalColumns(t *testing.T) {
	var b bytes.Buffer
	WriteSummaries(&b, sample())
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	cut := func(l string) string { // drop the last four fields
		f := strings.Split(l, ",")
		return strings.Join(f[:len(f)-4], ",")
	}
	if !strings.HasSuffix(lines[0], ",wall_s,admit_refusals,client_refusals,retry_refusals,queue_drops") {
		t.Fatalf("header %q does not end with the refusal columns", lines[0])
	}
	old := cut(lines[0]) + "\n" + cut(lines[1]) + "\n"
	out, err := ReadSummaries("old.csv", strings.NewReader(old))
	if err != nil {
		t.Fatal(err)
	}
	if s := out[0]; s.AdmitRefusals != -1 || s.ClientRefusals != -1 || s.RetryRefusals != -1 || s.QueueDrops != -1 || s.PeakQueue != 4500 {
		t.Fatalf("old file read as %+v", s)
	}
	out, err = ReadSummaries("new.csv", &b)
	if err != nil {
		t.Fatal(err)
	}
	if s := out[0]; s.AdmitRefusals != 123456 || s.ClientRefusals != -1 || s.RetryRefusals != 0 || s.QueueDrops != -1 {
		t.Fatalf("refusals read back as %d, %d, %d, %d", s.AdmitRefusals, s.ClientRefusals, s.RetryRefusals, s.QueueDrops)
	}
}

func TestSummaryRoundTrip(t *testing.T) {
	in := []Summary{sample(), {Scenario: "mm1", Policy: "none", Seed: 1, Droplets: -1, RecoveryS: math.NaN(), IdealS: math.NaN(),
		Sojourn: [4]float64{math.NaN(), math.NaN(), math.NaN(), math.NaN()}}}
	var b bytes.Buffer
	if err := WriteSummaries(&b, in...); err != nil {
		t.Fatal(err)
	}
	out, err := ReadSummaries("t.csv", bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	WriteSummaries(&again, out...)
	if again.String() != b.String() {
		t.Fatalf("write → read → write differs:\n%s\n%s", b.String(), again.String())
	}
	if out[1].Droplets != -1 || !math.IsNaN(out[1].RecoveryS) || !out[1].RecoveredClock.IsZero() {
		t.Fatalf("missing values did not read back as missing: %+v", out[1])
	}
}

// TestSweepRoundTripKeepsVary: sweep.csv's vary column reads back, tells
// runs apart (same policy and seed, other values: not a duplicate), and a
// file without the column (summary.csv, older sweeps) reads with vary empty.
func TestSweepRoundTripKeepsVary(t *testing.T) {
	a, b := sample(), sample()
	a.Vary, b.Vary = "dwfm.check_interval=90s;service.workers=2", "dwfm.check_interval=270s;service.workers=2"
	var w bytes.Buffer
	if err := WriteSweep(&w, a, b, sample()); err != nil {
		t.Fatal(err)
	}
	if h := strings.SplitN(w.String(), "\n", 2)[0]; !strings.HasPrefix(h, "scenario,policy,vary,seed,droplets,") {
		t.Fatalf("sweep.csv header %q, want vary after policy", h)
	}
	ss, err := ReadSummaries("sweep.csv", bytes.NewReader(w.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 3 || ss[0].Vary != a.Vary || ss[1].Vary != b.Vary || ss[2].Vary != "" {
		t.Fatalf("read %+v", ss)
	}
	var again bytes.Buffer
	WriteSweep(&again, ss...)
	if again.String() != w.String() {
		t.Fatalf("write → read → write differs:\n%s\n%s", w.String(), again.String())
	}
	// Matching keys on vary: a's run pairs with a's, not with b's.
	ps := Match([]Summary{a, b}, []Summary{b, a})
	if len(ps) != 2 || ps[0].New == nil || ps[0].New.Vary != a.Vary || ps[1].New.Vary != b.Vary {
		t.Fatalf("pairs %+v", ps)
	}
	var cmp bytes.Buffer
	WriteComparison(&cmp, ps)
	if !strings.Contains(cmp.String(), "vary") || !strings.Contains(cmp.String(), a.Vary) {
		t.Fatalf("comparison without the vary column:\n%s", cmp.String())
	}
	if _, err := ReadSummaries("s.csv", strings.NewReader(strings.Replace(w.String(), a.Vary, "=90s", 1))); err == nil || !strings.Contains(err.Error(), `vary = "=90s"`) {
		t.Fatalf("a vary without a key: %v", err)
	}
}

func TestReadSummariesErrors(t *testing.T) {
	var b bytes.Buffer
	WriteSummaries(&b, sample())
	good := b.String()
	b.Reset()
	WriteSweep(&b, sample())
	goodSweep := b.String()
	for name, c := range map[string]struct{ text, want string }{
		"empty":                  {"", "no header row"},
		"not summary":            {"t_s,clock\n1,2\n", `lacks column "scenario"`},
		"bad number":             {strings.Replace(good, ",4038.739,", ",soon,", 1), `"t.csv":2: recovery_s = "soon"`},
		"bad bool":               {strings.Replace(good, ",true,4038", ",yes,4038", 1), `recovered = "yes"`},
		"ragged":                 {good + "a,b\n", "t.csv"},
		"duplicate":              {good + strings.SplitN(good, "\n", 2)[1], `"t.csv":3: duplicate run scenario us-east-1, policy queue-size:limit=8,burst=8, seed 3, 1000000 droplets (first at line 2)`},
		"duplicate varied":       {strings.Replace(goodSweep+strings.SplitN(goodSweep, "\n", 2)[1], ",,3,", ",service.workers=2,3,", -1), `"t.csv":3: duplicate run scenario us-east-1, policy queue-size:limit=8,burst=8, vary service.workers=2, seed 3`},
		"negative recovery":      {strings.Replace(good, ",4038.739,", ",-4038.739,", 1), `"t.csv":2: recovery_s = "-4038.739": want a number >= 0`},
		"recovered without time": {strings.Replace(good, ",4038.739,", ",,", 1), `recovery_s = "": want a number exactly when recovered`},
		"wasted above 1":         {strings.Replace(good, ",0.0123,", ",1.5,", 1), `wasted_fraction = "1.5"`},
		"header twice":           {strings.Replace(good, "wall_s", "scenario", 1), `header has column "scenario" twice`},
		"long line":              {strings.Repeat("x", MaxLineBytes+1), `"t.csv":1: line longer than 65536 bytes`},
	} {
		_, err := ReadSummaries("t.csv", strings.NewReader(c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, ErrFormat) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want one-line ErrFormat containing %q", name, err, c.want)
		}
	}
}

func TestReadSummariesSkipsAByteOrderMark(t *testing.T) {
	var b bytes.Buffer
	WriteSummaries(&b, sample())
	ss, err := ReadSummaries("bom.csv", strings.NewReader("\ufeff"+b.String()))
	if err != nil || len(ss) != 1 || ss[0].Scenario != "us-east-1" {
		t.Fatalf("with a BOM: %v, %+v", err, ss)
	}
}

// zeros is /dev/zero.
type zeros struct{ n int }

func (z *zeros) Read(p []byte) (int, error) {
	clear(p)
	z.n += len(p)
	return len(p), nil
}

// TestReadSummariesStopsEarlyOnEndlessInput: /dev/zero fails after one
// line's limit, not after memory runs out.
func TestReadSummariesStopsEarlyOnEndlessInput(t *testing.T) {
	z := &zeros{}
	_, err := ReadSummaries("/dev/zero", z)
	if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), `"/dev/zero":1: line longer than`) {
		t.Fatalf("err %v", err)
	}
	if z.n > 2*MaxLineBytes {
		t.Fatalf("read %d bytes before failing, want at most %d", z.n, 2*MaxLineBytes)
	}
}

func TestMatchAndCompare(t *testing.T) {
	a, b := sample(), sample()
	b.RecoveryS = a.RecoveryS * 1.1
	c := sample()
	c.Policy = "vegas"
	ps := Match([]Summary{a}, []Summary{b, c})
	if len(ps) != 2 || ps[0].New == nil || ps[1].Base != nil {
		t.Fatalf("pairs %+v", ps)
	}
	var out bytes.Buffer
	WriteComparison(&out, ps)
	if !strings.Contains(out.String(), "+10.0%") || !strings.Contains(out.String(), "absent") {
		t.Fatalf("comparison:\n%s", out.String())
	}
}

// FuzzReadSummaries: reading never panics, errors are one line, and whatever
// reads writes back to something that reads the same.
func FuzzReadSummaries(f *testing.F) {
	var b bytes.Buffer
	WriteSummaries(&b, sample())
	f.Add(b.String())
	f.Add(strings.Join(SummaryHeader, ",") + "\n" + strings.Repeat(",", len(SummaryHeader)-1) + "\n")
	varied := sample()
	varied.Vary = "service.workers=2"
	b.Reset()
	WriteSweep(&b, sample(), varied)
	f.Add(b.String())
	f.Fuzz(func(t *testing.T, text string) {
		ss, err := ReadSummaries("f.csv", strings.NewReader(text))
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		var w bytes.Buffer
		if err := WriteSweep(&w, ss...); err != nil { // sweep.csv: keeps a vary column the input had
			t.Fatal(err)
		}
		again, err := ReadSummaries("f.csv", bytes.NewReader(w.Bytes()))
		if err != nil || len(again) != len(ss) {
			t.Fatalf("rewritten file does not read back: %v", err)
		}
	})
}

// FuzzReadSweep: sweep.csv files (many rows, a byte-order mark, duplicate
// and incomplete runs): reading never panics, errors are one line and
// ErrFormat, and what reads has one row per run, no negative time, and
// writes back to a file that reads the same.
func FuzzReadSweep(f *testing.F) {
	a, b, c := sample(), sample(), sample()
	b.Policy, b.Seed = "none", 1
	b.Recovered, b.RecoveryS, b.RecoveredClock = false, math.NaN(), time.Time{}
	c.Policy, c.Complete = "aimd", false
	d := a
	d.Vary = "dwfm.check_interval=90s;service.service_time=lognormal(7.5s,0.25)"
	var w bytes.Buffer
	WriteSweep(&w, a, b, c, d)
	f.Add(w.String())
	f.Add("\ufeff" + w.String())
	lines := strings.SplitAfter(w.String(), "\n")
	f.Add(lines[0] + lines[1] + lines[1])
	f.Add(strings.ReplaceAll(w.String(), "\n", "\r\n"))
	f.Fuzz(func(t *testing.T, text string) {
		ss, err := ReadSummaries("sweep.csv", strings.NewReader(text))
		if err != nil {
			if strings.Contains(err.Error(), "\n") || !errors.Is(err, ErrFormat) {
				t.Fatalf("error %q: want one line, ErrFormat", err)
			}
			return
		}
		seen := map[Key]bool{}
		for _, s := range ss {
			if seen[KeyOf(s)] {
				t.Fatalf("duplicate run %s read", KeyOf(s))
			}
			seen[KeyOf(s)] = true
			if s.RecoveryS < 0 || s.SimS < 0 || s.WastedFraction < 0 || s.WastedFraction > 1 {
				t.Fatalf("impossible value read: %+v", s)
			}
		}
		var out bytes.Buffer
		if err := WriteSweep(&out, ss...); err != nil {
			t.Fatal(err)
		}
		again, err := ReadSummaries("sweep.csv", bytes.NewReader(out.Bytes()))
		if err != nil || len(again) != len(ss) {
			t.Fatalf("rewritten file does not read back: %v", err)
		}
		var out2 bytes.Buffer
		WriteSweep(&out2, again...)
		if out2.String() != out.String() {
			t.Fatalf("write → read → write differs:\n%s\n%s", out.String(), out2.String())
		}
	})
}
