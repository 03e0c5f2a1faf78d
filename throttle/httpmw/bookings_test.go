package httpmw_test

import (
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/aftershock/aftershock/throttle"
	"github.com/aftershock/aftershock/throttle/httpmw"
)

// TestManyBookAtOnce: clients refused at the same instant, concurrently,
// are each booked a slot of their own, one every 1/Rate after the last,
// and each that comes back at its instant is let in: the service is fed at
// exactly Rate and every decision is counted once.
func TestManyBookAtOnce(t *testing.T) {
	const clients, rate = 64, 10.0
	r, _ := throttle.NewReserve(throttle.ReserveConfig{Rate: rate, Burst: 1})
	clk := newClock()
	t0 := clk.Now()
	m := mustNew(t, r, httpmw.Options{Now: clk.Now})
	h := m.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	var mu sync.Mutex
	var booked []string
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := httptest.NewRecorder()
			h.ServeHTTP(w, get())
			if w.Code == http.StatusTooManyRequests {
				mu.Lock()
				booked = append(booked, w.Header().Get(httpmw.RetryAtHeader))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(booked) != clients-1 {
		t.Fatalf("%d booked of %d at once, want %d (one token)", len(booked), clients, clients-1)
	}
	ats := make([]time.Time, len(booked))
	for i, b := range booked {
		at, err := time.Parse(time.RFC3339Nano, b)
		if err != nil {
			t.Fatal(err)
		}
		ats[i] = at
	}
	sort.Slice(ats, func(i, j int) bool { return ats[i].Before(ats[j]) })
	every := time.Duration(float64(time.Second) / rate)
	for i, at := range ats {
		if want := t0.Add(time.Duration(i+1) * every); !at.Equal(want) {
			t.Errorf("booking %d at %v, want %v", i, at.Sub(t0), want.Sub(t0))
		}
	}
	for _, at := range ats {
		clk.Add(at.Sub(clk.Now()))
		back := get()
		back.Header.Set(httpmw.RetryAtHeader, at.Format(time.RFC3339Nano))
		if c := serve(h, back).Code; c != 200 {
			t.Errorf("back at %v: %d, want 200", at.Sub(t0), c)
		}
		if c := serve(h, get()).Code; c != http.StatusTooManyRequests {
			t.Errorf("a newcomer at %v beside the bookings: %d, want 429", at.Sub(t0), c)
		}
	}
	n := m.Counts()
	if n.Admitted != 1 || n.Redeemed != clients-1 || n.Booked != 2*(clients-1) || n.Refused != 0 {
		t.Errorf("counts %+v", n)
	}
}
