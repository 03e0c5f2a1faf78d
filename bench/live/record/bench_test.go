package record

import (
	"testing"
	"time"
)

// BenchmarkWriterAdd is the cost of recording one finished attempt (gob
// encoding by vegeta's encoder, two histogram updates, counts), with a tick
// every 1,000 attempts: the writer's share of an attack's per-request work.
func BenchmarkWriterAdd(b *testing.B) {
	as := synthetic(1000)
	w, err := Create(opts(b.TempDir()))
	if err != nil {
		b.Fatal(err)
	}
	defer w.Abort()
	b.ReportAllocs()
	k := 0
	for i := 0; b.Loop(); i++ {
		if err := w.Add(&as[i%len(as)].r); err != nil {
			b.Fatal(err)
		}
		if i%len(as) == len(as)-1 {
			k++
			if err := w.Tick(Tick{At: time.Duration(k) * time.Minute, Queued: -1}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
