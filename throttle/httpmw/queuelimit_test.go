package httpmw_test

import (
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/aftershock/aftershock/throttle"
	"github.com/aftershock/aftershock/throttle/httpmw"
)

// below admits while fewer than n are queued: a hard limit on the queue,
// slow to decide (a millisecond), so that arrivals at once overlap.
type below int

func (n below) Admit(_ time.Time, queued int) bool {
	time.Sleep(time.Millisecond)
	return queued < int(n)
}

// TestQueueLimitUnderConcurrentArrivals: a control that admits while fewer
// than 3 are queued never has more than 3 inside the handler, however many
// arrive at once (reserve's limit likewise): each arrival is judged with
// every arrival before it counted.
func TestQueueLimitUnderConcurrentArrivals(t *testing.T) {
	const limit, arrivals = 3, 64
	controls := map[string]func() throttle.Admitter{
		"below": func() throttle.Admitter { return below(limit) },
		"reserve": func() throttle.Admitter {
			r, _ := throttle.NewReserve(throttle.ReserveConfig{Rate: 1e9, Burst: arrivals, Limit: limit})
			return r
		},
	}
	for name, c := range controls {
		for range 5 {
			m := mustNew(t, c(), httpmw.Options{Now: newClock().Now})
			release := make(chan struct{})
			h := m.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { wait(release) }))
			var start, wg sync.WaitGroup
			start.Add(1)
			for range arrivals {
				wg.Add(1)
				go func() { defer wg.Done(); start.Wait(); serve(h, get()) }()
			}
			start.Done()
			for n := m.Counts(); n.Admitted+n.Refused+n.Booked < arrivals; n = m.Counts() {
				runtime.Gosched()
			}
			most := m.Inside()
			close(release)
			wg.Wait()
			if n := m.Counts(); most > limit || n.Admitted > limit || m.Inside() != 0 {
				t.Fatalf("%s: %d arrivals at once, limit %d: %d inside, %+v; then %d inside", name, arrivals, limit, most, n, m.Inside())
			}
		}
	}
}
