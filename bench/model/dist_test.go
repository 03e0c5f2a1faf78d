package model

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestDistMeans(t *testing.T) {
	for _, spec := range []string{"exp(10ms)", "const(10ms)", "uniform(5ms,15ms)", "lognormal(10ms,0.5)", "bimodal(5ms,55ms,0.1)"} {
		d, err := ParseDist(spec)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(1, 1))
		var sum float64
		const n = 200000
		for i := 0; i < n; i++ {
			sum += float64(d.Sample(r))
		}
		if got := sum / n; math.Abs(got-1e7)/1e7 > 0.01 {
			t.Errorf("%s: sample mean %.0f ns, want 1e7 ±1%%", spec, got)
		}
		if d.Mean() != 1e7 {
			t.Errorf("%s: Mean()=%v, want 10ms", spec, d.Mean())
		}
		if d.String() == "" {
			t.Errorf("%s: empty String()", spec)
		}
	}
}

func TestParseDistErrors(t *testing.T) {
	for spec, want := range map[string]string{
		"exp":                "want name(args)",
		"gauss(1s)":          "unknown kind",
		"exp(1s,2s)":         "takes 1 arguments",
		"exp(10)":            "with a unit",
		"uniform(2s,1s)":     "below low",
		"bimodal(1s,2s,1.5)": "number in [0, 1]",
		"exp(0s)":            "above 0",
		"exp(25h)":           "in [0s, 24h0m0s]",
		"exp(-1s)":           "in [0s, 24h0m0s]",
	} {
		_, err := ParseDist(spec)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseDist(%q) = %v, want error containing %q", spec, err, want)
		}
	}
}

func TestDistParsesItself(t *testing.T) {
	var d Dist
	if err := d.UnmarshalText([]byte("lognormal(15s,0.25)")); err != nil {
		t.Fatal(err)
	}
	if d.Mean() != 15e9 || d.String() != "lognormal(15s,0.25)" {
		t.Errorf("mean %v, text %q", d.Mean(), d)
	}
	if err := d.UnmarshalText([]byte("exp")); err == nil {
		t.Error("exp without arguments accepted")
	}
}

// TestLogNormalSamplesStayInRange: the widest log-normal a file may write
// never draws a time beyond maxSample (a negative time once converted).
func TestLogNormalSamplesStayInRange(t *testing.T) {
	d := MustParseDist("lognormal(24h,10)")
	r := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		if s := d.Sample(r); s < 0 || float64(s) > maxSample {
			t.Fatalf("sample %v outside [0, %v]", s, maxSample)
		}
	}
}
