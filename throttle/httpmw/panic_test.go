package httpmw_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aftershock/aftershock/throttle/httpmw"
)

// TestPanicIsAFailure: a handler that panics answered nothing (net/http
// drops the connection): its control hears a failure, the panic goes on up,
// and nothing is left inside.
func TestPanicIsAFailure(t *testing.T) {
	for _, p := range []any{"boom", http.ErrAbortHandler} {
		f := &fb{}
		m := mustNew(t, f, httpmw.Options{Now: newClock().Now})
		h := m.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(p) }))
		var got any
		func() {
			defer func() { got = recover() }()
			serve(h, get())
		}()
		o := f.outcomes()
		if got != p || len(o) != 1 || o[0].ok || m.Inside() != 0 {
			t.Errorf("panic %v: recovered %v, outcomes %v, inside %d; want the panic, one failure, 0 inside", p, got, o, m.Inside())
		}
	}
}

// TestClientGoneIsAFailure: a client that gives up while its request is in
// the handler: the control hears a failure and nothing stays inside.
func TestClientGoneIsAFailure(t *testing.T) {
	f := &fb{}
	m := mustNew(t, f, httpmw.Options{})
	entered := make(chan struct{})
	srv := httptest.NewServer(m.Wrap(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		close(entered)
		<-r.Context().Done()
	})))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-entered; cancel() }()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	if _, err := srv.Client().Do(req); !errors.Is(err, context.Canceled) {
		t.Fatalf("client: %v, want canceled", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(f.outcomes()) == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if o := f.outcomes(); len(o) != 1 || o[0].ok || m.Inside() != 0 {
		t.Errorf("outcomes %v, inside %d; want one failure, 0", o, m.Inside())
	}
}

// TestPanicAfterLater: a handler that took the report over and then
// panicked is a failure all the same (its work may never report), and a
// report made after is not counted twice.
func TestPanicAfterLater(t *testing.T) {
	f := &fb{}
	m := mustNew(t, f, httpmw.Options{Now: newClock().Now})
	var rep *httpmw.Report
	h := m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		rep = httpmw.Later(w)
		panic("boom")
	}))
	func() {
		defer func() { recover() }()
		serve(h, get())
	}()
	rep.Done(true)
	if o := f.outcomes(); len(o) != 1 || o[0].ok || m.Inside() != 0 {
		t.Errorf("outcomes %v, inside %d; want one failure, 0 inside", o, m.Inside())
	}
}
