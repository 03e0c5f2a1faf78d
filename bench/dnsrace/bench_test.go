package dnsrace_test

import (
	"testing"
	"time"

	"github.com/aftershock/aftershock/bench/dnsrace"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/bench/sim"
)

// raceSeeds is how many seeds one op of BenchmarkRace runs, each a race of
// an hour.
const raceSeeds = 1000

// BenchmarkRace reports how often the race empties the record within an hour
// as a function of the Enactors' delay (log-normal, σ 1.5, by its mean), the
// other parameters at their defaults: p_empty/h is the share of seeds whose
// hour holds an empty, stale/h the mean stale writes per hour. The figures do
// not depend on b.N (every op runs the same seeds); the README's table holds
// them (TestREADMERaceTable). Run:
//
//	go test ./bench/dnsrace -run '^$' -bench Race -benchtime 1x
func BenchmarkRace(b *testing.B) {
	for _, mean := range raceMeans {
		for _, v := range []dnsrace.Variant{dnsrace.Racy, dnsrace.Fixed} {
			b.Run("delay="+mean+"/variant="+string(v), func(b *testing.B) {
				b.ReportAllocs()
				var p, stale float64
				for b.Loop() {
					p, stale = raceShare(b, mean, v)
				}
				b.ReportMetric(p, "p_empty/h")
				b.ReportMetric(stale, "stale/h")
			})
		}
	}
}

// raceMeans are the mean Enactor delays BenchmarkRace and the README's table
// cover.
var raceMeans = []string{"1s", "2s", "5s", "10s", "20s", "1m"}

// raceShare runs raceSeeds races of an hour with the given mean delay and
// returns the share that emptied the record and the mean stale writes.
func raceShare(tb testing.TB, mean string, v dnsrace.Variant) (pEmpty, stale float64) {
	c := config(model.MustParseDist("lognormal("+mean+",1.5)"), v)
	var emptied, n int
	for s := uint64(1); s <= raceSeeds; s++ {
		out, st, err := dnsrace.Race(c, s, 0, sim.Time(time.Hour))
		if err != nil {
			tb.Fatal(err)
		}
		if len(out) > 0 {
			emptied++
		}
		n += st.Stale
	}
	return float64(emptied) / raceSeeds, float64(n) / raceSeeds
}
