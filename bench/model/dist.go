package model

import (
	"encoding"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/bench/sim"
)

// Law is a distribution of service times.
type Law interface {
	Sample(r *rand.Rand) sim.Time
	Mean() sim.Time
	String() string
}

// Dist is a scenario value holding a Law: it parses itself from the text a
// scenario file uses (see ParseDist). The zero Dist holds none, and Validate
// of a config holding it fails.
type Dist struct{ Law }

// UnmarshalText parses a distribution, see ParseDist.
func (d *Dist) UnmarshalText(b []byte) error {
	v, err := ParseDist(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText writes d in the form ParseDist reads.
func (d Dist) MarshalText() ([]byte, error) {
	if d.Law == nil {
		return nil, nil
	}
	return []byte(d.String()), nil
}

// MustParseDist is ParseDist for distributions written in code; it panics on
// an error.
func MustParseDist(s string) Dist {
	d, err := ParseDist(s)
	if err != nil {
		panic(err)
	}
	return d
}

// MaxDistArg bounds every duration a distribution takes; with it and the
// clamp on log-normal samples, a sample stays below maxSample.
const MaxDistArg = 24 * time.Hour

// maxSample is the largest service time a distribution draws: beyond any
// exponential sample of MaxDistArg's mean, far below sim.Time's range.
const maxSample = float64(64 * MaxDistArg)

// ParseDist reads the forms a scenario file uses:
//
//	exp(MEAN)                  exponential with the given mean
//	const(D)                   deterministic
//	uniform(LO,HI)             uniform on [LO, HI]
//	lognormal(MEAN,SIGMA)      log-normal with that mean; SIGMA is the σ of the log
//	bimodal(FAST,SLOW,P)       FAST with probability 1−P, SLOW with probability P
//
// Durations take units (10ms, 2.5s) and are at most MaxDistArg.
func ParseDist(s string) (Dist, error) {
	l, err := parseLaw(s)
	return Dist{l}, err
}

func parseLaw(s string) (Law, error) {
	name, rest, ok := strings.Cut(strings.TrimSpace(s), "(")
	if !ok || !strings.HasSuffix(rest, ")") {
		return nil, fmt.Errorf("model: distribution %q: want name(args), e.g. exp(10ms)", s)
	}
	args := strings.Split(strings.TrimSuffix(rest, ")"), ",")
	for i := range args {
		args[i] = strings.TrimSpace(args[i])
	}
	want := map[string]int{"exp": 1, "const": 1, "uniform": 2, "lognormal": 2, "bimodal": 3}
	n, known := want[name]
	if !known {
		return nil, fmt.Errorf("model: distribution %q: unknown kind %q (want exp, const, uniform, lognormal or bimodal)", s, name)
	}
	if len(args) != n {
		return nil, fmt.Errorf("model: distribution %q: %s takes %d arguments, got %d", s, name, n, len(args))
	}
	dur := func(i int) (sim.Time, error) {
		d, err := time.ParseDuration(args[i])
		if err != nil || d < 0 || d > MaxDistArg {
			return 0, fmt.Errorf("model: distribution %q: argument %d %q is not a duration with a unit in [0s, %v]", s, i+1, args[i], MaxDistArg)
		}
		return sim.Time(d), nil
	}
	num := func(i int, lo, hi float64) (float64, error) {
		f, err := strconv.ParseFloat(args[i], 64)
		if err != nil || !(f >= lo && f <= hi) {
			return 0, fmt.Errorf("model: distribution %q: argument %d %q is not a number in [%g, %g]", s, i+1, args[i], lo, hi)
		}
		return f, nil
	}
	a, err := dur(0)
	if err != nil {
		return nil, err
	}
	switch name {
	case "exp":
		if a == 0 {
			return nil, fmt.Errorf("model: distribution %q: mean must be above 0", s)
		}
		return Exponential{a}, nil
	case "const":
		return Constant{a}, nil
	case "uniform":
		b, err := dur(1)
		if err != nil {
			return nil, err
		}
		if b < a {
			return nil, fmt.Errorf("model: distribution %q: high %v below low %v", s, b, a)
		}
		return Uniform{a, b}, nil
	case "lognormal":
		sigma, err := num(1, 0, 10)
		if err != nil {
			return nil, err
		}
		if a == 0 {
			return nil, fmt.Errorf("model: distribution %q: mean must be above 0", s)
		}
		return LogNormal{MeanTime: a, Sigma: sigma}, nil
	default: // bimodal
		b, err := dur(1)
		if err != nil {
			return nil, err
		}
		p, err := num(2, 0, 1)
		if err != nil {
			return nil, err
		}
		return Bimodal{a, b, p}, nil
	}
}

// Exponential service times with the given mean.
type Exponential struct{ M sim.Time }

func (d Exponential) Sample(r *rand.Rand) sim.Time { return sim.Time(r.ExpFloat64() * float64(d.M)) }
func (d Exponential) Mean() sim.Time               { return d.M }
func (d Exponential) String() string               { return "exp(" + d.M.String() + ")" }

// Constant service times.
type Constant struct{ D sim.Time }

func (d Constant) Sample(*rand.Rand) sim.Time { return d.D }
func (d Constant) Mean() sim.Time             { return d.D }
func (d Constant) String() string             { return "const(" + d.D.String() + ")" }

// Uniform service times on [Lo, Hi].
type Uniform struct{ Lo, Hi sim.Time }

func (d Uniform) Sample(r *rand.Rand) sim.Time {
	return d.Lo + sim.Time(r.Float64()*float64(d.Hi-d.Lo))
}
func (d Uniform) Mean() sim.Time { return (d.Lo + d.Hi) / 2 }
func (d Uniform) String() string { return "uniform(" + d.Lo.String() + "," + d.Hi.String() + ")" }

// LogNormal service times with mean MeanTime and log-σ Sigma: heavy-ish tails
// with a tunable spread, the usual shape of RPC latencies.
type LogNormal struct {
	MeanTime sim.Time
	Sigma    float64
}

func (d LogNormal) Sample(r *rand.Rand) sim.Time {
	mu := math.Log(float64(d.MeanTime)) - d.Sigma*d.Sigma/2
	return sim.Time(min(math.Exp(mu+d.Sigma*r.NormFloat64()), maxSample))
}
func (d LogNormal) Mean() sim.Time { return d.MeanTime }
func (d LogNormal) String() string {
	return "lognormal(" + d.MeanTime.String() + "," + strconv.FormatFloat(d.Sigma, 'g', -1, 64) + ")"
}

// Bimodal service times: Fast with probability 1−P, Slow with probability P
// (a cache hit/miss mix).
type Bimodal struct {
	Fast, Slow sim.Time
	P          float64
}

func (d Bimodal) Sample(r *rand.Rand) sim.Time {
	if r.Float64() < d.P {
		return d.Slow
	}
	return d.Fast
}
func (d Bimodal) Mean() sim.Time {
	return sim.Time((1-d.P)*float64(d.Fast) + d.P*float64(d.Slow))
}
func (d Bimodal) String() string {
	return "bimodal(" + d.Fast.String() + "," + d.Slow.String() + "," + strconv.FormatFloat(d.P, 'g', -1, 64) + ")"
}

var (
	_ Law = Exponential{}
	_ Law = Constant{}
	_ Law = Uniform{}
	_ Law = LogNormal{}
	_ Law = Bimodal{}

	_ encoding.TextUnmarshaler = (*Dist)(nil)
	_ encoding.TextMarshaler   = Dist{}
)
