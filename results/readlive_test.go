package results

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// TestReadLiveRowWithoutWastedFraction: a live row (vary time_scale=S, as
// loadgen rank-live and an attack's row write it) reads back with no
// wasted fraction; the same row of a simulation (no vary) is still
// refused, as the simulator always measures it.
func TestReadLiveRowWithoutWastedFraction(t *testing.T) {
	s := sample()
	s.Vary, s.WastedFraction = "time_scale=1", math.NaN()
	var b bytes.Buffer
	if err := WriteSweep(&b, s); err != nil {
		t.Fatal(err)
	}
	ss, err := ReadSummaries("live.csv", bytes.NewReader(b.Bytes()))
	if err != nil || len(ss) != 1 || !math.IsNaN(ss[0].WastedFraction) || ss[0].Vary != "time_scale=1" {
		t.Fatalf("live row: %v, %+v; want it read with no wasted fraction", err, ss)
	}
	sim := strings.Replace(b.String(), ",time_scale=1,", ",,", 1)
	if _, err := ReadSummaries("sim.csv", strings.NewReader(sim)); err == nil || !strings.Contains(err.Error(), "wasted_fraction") {
		t.Errorf("a simulated row without wasted_fraction: %v; want it refused, naming the column", err)
	}
}
