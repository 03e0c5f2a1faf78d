package httpmw_test

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/aftershock/aftershock/throttle"
	"github.com/aftershock/aftershock/throttle/httpmw"
)

// sink is a ResponseWriter that allocates nothing: what a request costs
// above it is the handler's and the middleware's.
type sink struct{ h http.Header }

func (s *sink) Header() http.Header         { return s.h }
func (s *sink) Write(b []byte) (int, error) { return len(b), nil }
func (s *sink) WriteHeader(int)             {}

var ok = []byte("ok")

// bare is the handler every case wraps: it answers 200 and a short body.
var bare = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(ok) })

// controls are the cases of the benchmark and of the allocation test,
// each admitting every request it is asked about at the benchmark's pace
// (rates far above it): the cost of admitting, not of refusing.
func controls() []struct {
	name string
	c    func() throttle.Admitter
} {
	return []struct {
		name string
		c    func() throttle.Admitter
	}{
		{"none", func() throttle.Admitter { return nil }},
		{"token-bucket", func() throttle.Admitter {
			c, _ := throttle.NewTokenBucket(throttle.TokenBucketConfig{Rate: 1e9, Burst: 1 << 20})
			return c
		}},
		{"queue-size", func() throttle.Admitter {
			c, _ := throttle.NewQueueSize(throttle.QueueSizeConfig{Rate: 1e9, Limit: 1 << 20, Burst: 1 << 20})
			return c
		}},
		{"reserve", func() throttle.Admitter {
			c, _ := throttle.NewReserve(throttle.ReserveConfig{Rate: 1e9, Burst: 1 << 20})
			return c
		}},
		{"aimd", func() throttle.Admitter {
			c, _ := throttle.NewAIMD(throttle.AIMDConfig{Initial: 100, Min: 1, Max: 1000, Backoff: 0.9, Timeout: time.Hour})
			return c
		}},
		{"gradient2", func() throttle.Admitter {
			c, _ := throttle.NewGradient2(throttle.DefaultGradient2)
			return c
		}},
	}
}

// BenchmarkOverhead is the middleware's cost per request against the bare
// handler in the same run: each case times the bare handler for b.N
// requests, then the wrapped one (ns/op, allocs/op), and reports the
// difference as overhead-ns/op and the bare handler's allocations as
// bare-allocs/op. The requests go straight to ServeHTTP with a writer that
// allocates nothing, so that only the handler and the middleware are
// measured (net/http's own cost per request, several µs on loopback, is
// the same with and without it).
func BenchmarkOverhead(b *testing.B) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	w := &sink{h: http.Header{}}
	for _, c := range controls() {
		b.Run(c.name, func(b *testing.B) {
			m, err := httpmw.New(c.c(), httpmw.Options{})
			if err != nil {
				b.Fatal(err)
			}
			h := m.Wrap(bare)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			t0 := time.Now()
			for range b.N {
				bare.ServeHTTP(w, r)
			}
			bareNs := float64(time.Since(t0).Nanoseconds()) / float64(b.N)
			runtime.ReadMemStats(&after)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				h.ServeHTTP(w, r)
			}
			b.StopTimer()
			if n := m.Counts(); n.Admitted != int64(b.N) {
				b.Fatalf("%+v of %d requests: the cost of admitting is measured only if all are admitted", n, b.N)
			}
			wrapped := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			b.ReportMetric(wrapped-bareNs, "overhead-ns/op")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N), "bare-allocs/op")
		})
	}
}

// TestNoAllocationBeyondTheHandler: no control allocates per admitted
// request beyond what the bare handler does: a control with feedback's
// wrapper comes from a pool, which a collection may empty now and then
// (testing.AllocsPerRun divides in integers: a few misses in 1000 runs
// count 0, a wrapper allocated per request counts 1).
func TestNoAllocationBeyondTheHandler(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	w := &sink{h: http.Header{}}
	base := testing.AllocsPerRun(1000, func() { bare.ServeHTTP(w, r) })
	for _, c := range controls() {
		m, err := httpmw.New(c.c(), httpmw.Options{})
		if err != nil {
			t.Fatal(err)
		}
		h := m.Wrap(bare)
		got := testing.AllocsPerRun(1000, func() { h.ServeHTTP(w, r) })
		if got > base {
			t.Errorf("%s: %v allocations per request, the bare handler %v", c.name, got, base)
		}
	}
}
