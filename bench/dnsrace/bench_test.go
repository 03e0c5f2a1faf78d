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
// not depend on b.N (every op runs the same seeds). Run:
//
//	go test ./bench/dnsrace -run '^$' -bench dnsrace.Race -benchtime 1x
func BenchmarkRace(b *testing.B) {
	for _, mean := range []string{"1s", "2s", "5s", "10s", "20s", "1m"} {
		for _, v := range []dnsrace.Variant{dnsrace.Racy, dnsrace.Fixed} {
			c := config(model.MustParseDist("lognormal("+mean+",1.5)"), v)
			b.Run("delay="+mean+"/variant="+string(v), func(b *testing.B) {
				b.ReportAllocs()
				var emptied, stale int
				for b.Loop() {
					emptied, stale = 0, 0
					for s := uint64(1); s <= raceSeeds; s++ {
						out, st, err := dnsrace.Race(c, s, 0, sim.Time(time.Hour))
						if err != nil {
							b.Fatal(err)
						}
						if len(out) > 0 {
							emptied++
						}
						stale += st.Stale
					}
				}
				b.ReportMetric(float64(emptied)/raceSeeds, "p_empty/h")
				b.ReportMetric(float64(stale)/raceSeeds, "stale/h")
			})
		}
	}
}
