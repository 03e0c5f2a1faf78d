package backlog

import (
	"fmt"
	"testing"
)

// BenchmarkDeque measures one push and one pop on a FIFO deque of 16-byte
// items (a station's queued job) held at a steady length: len=0 is a queue
// that is usually empty (each item drains it), the case of a station with a
// free worker; len=5000 is a standing queue that crosses block boundaries.
func BenchmarkDeque(b *testing.B) {
	for _, n := range []int{0, 1, 5000} {
		b.Run(fmt.Sprintf("len=%d", n), func(b *testing.B) {
			var d Deque[[2]int64]
			for i := 0; i < n; i++ {
				d.PushBack([2]int64{int64(i), 0})
			}
			d.PushBack([2]int64{})
			d.PopFront()
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				d.PushBack([2]int64{int64(i), 1})
				d.PopFront()
			}
		})
	}
}
