package httpmw_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aftershock/aftershock/throttle"
	"github.com/aftershock/aftershock/throttle/httpmw"
)

// TestCountsAddUpUnderLoad: many clients at once against a concurrency
// limit swapped twice while they run: every request is decided once, every
// admitted one reported once to the control that admitted it, and nothing
// stays in flight anywhere.
func TestCountsAddUpUnderLoad(t *testing.T) {
	newLimit := func() *throttle.AIMD {
		l, _ := throttle.NewAIMD(throttle.AIMDConfig{Initial: 4, Min: 1, Max: 8, Backoff: 0.5, Timeout: time.Second})
		return l
	}
	limits := []*throttle.AIMD{newLimit()}
	m := mustNew(t, limits[0], httpmw.Options{})
	var served, ok200, refused atomic.Int64
	var mu sync.Mutex
	srv := httptest.NewServer(m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := served.Add(1); n == 20 || n == 60 { // swapped with this request inside, and others
			l := newLimit()
			mu.Lock()
			limits = append(limits, l)
			mu.Unlock()
			m.Set(l)
		}
		time.Sleep(time.Millisecond)
		switch r.URL.Query().Get("k") {
		case "1":
			w.WriteHeader(http.StatusInternalServerError)
		case "2":
			w.(http.Flusher).Flush()
		case "3":
			w.WriteHeader(http.StatusEarlyHints)
		}
	})))
	defer srv.Close()
	const clients, each = 32, 25
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range each {
				method := http.MethodGet
				if j%5 == 4 {
					method = http.MethodHead
				}
				req, _ := http.NewRequest(method, srv.URL+"/?k="+string(rune('0'+(i+j)%4)), nil)
				resp, err := srv.Client().Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				switch resp.StatusCode {
				case http.StatusTooManyRequests:
					refused.Add(1)
				case http.StatusOK, http.StatusInternalServerError:
					ok200.Add(1)
				default:
					t.Errorf("status %d", resp.StatusCode)
				}
			}
		}()
	}
	wg.Wait()
	srv.Close() // waits for the handlers: a HEAD flushed is answered before its handler returns
	if len(limits) != 3 {
		t.Fatalf("%d limits, want 3 (swapped twice)", len(limits))
	}
	n := m.Counts()
	if n.Admitted != served.Load() || n.Admitted != ok200.Load() || n.Refused != refused.Load() || n.Admitted+n.Refused != clients*each {
		t.Errorf("counts %+v; handler ran %d times, clients saw %d answered and %d refused of %d", n, served.Load(), ok200.Load(), refused.Load(), clients*each)
	}
	for i, l := range limits {
		if l.Inflight() != 0 {
			t.Errorf("limit %d: %d in flight after every request ended", i, l.Inflight())
		}
	}
	if m.Inside() != 0 {
		t.Errorf("%d inside after every request ended", m.Inside())
	}
}
