package record

import (
	"testing"
	"time"
)

// BenchmarkWriterTick is the cost of one timeseries row: its interval
// histogram encoded into the log, the row, every file handed to the
// operating system. An attack spends it once per --interval of model time,
// in the goroutine that sends, so a row every few wall milliseconds (a
// short --interval at a high --time-scale) takes the sender's time.
func BenchmarkWriterTick(b *testing.B) {
	as := synthetic(100)
	w, err := Create(opts(b.TempDir()))
	if err != nil {
		b.Fatal(err)
	}
	defer w.Abort()
	b.ReportAllocs()
	k := 0
	for b.Loop() {
		for i := range as {
			if err := w.Add(&as[i].r); err != nil {
				b.Fatal(err)
			}
		}
		k++
		if err := w.Tick(Tick{At: time.Duration(k) * time.Minute, Queued: -1}); err != nil {
			b.Fatal(err)
		}
	}
}
