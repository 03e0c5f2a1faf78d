package httpmw_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/aftershock/aftershock/throttle"
	"github.com/aftershock/aftershock/throttle/httpmw"
)

// Put queue-size, the mitigation AWS announced, in front of a handler: the
// admitted rate falls as requests pile up inside it, and a refusal is a 429
// answered at once. Here 2 requests are already inside a slow handler, the
// limit: the bucket's 2 tokens went to them and nothing refills it while
// they wait.
func Example() {
	q, err := throttle.NewQueueSize(throttle.QueueSizeConfig{Rate: 100, Limit: 2, Burst: 2})
	if err != nil {
		panic(err)
	}
	m, err := httpmw.New(q, httpmw.Options{}) // time.Now, 429, the queue: requests inside
	if err != nil {
		panic(err)
	}
	release := make(chan struct{})
	inside := make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inside <- struct{}{}
		<-release
		fmt.Fprintln(w, "leased")
	})
	h := m.Wrap(slow) // any http.Handler; m.Wrap is a func(http.Handler) http.Handler
	srv := httptest.NewServer(h)
	defer srv.Close()

	done := make(chan int)
	for range 2 {
		go func() {
			r, err := http.Post(srv.URL, "", nil)
			if err != nil {
				panic(err)
			}
			r.Body.Close()
			done <- r.StatusCode
		}()
		<-inside
	}
	time.Sleep(50 * time.Millisecond) // 2 inside: the queue is at its limit, nothing refills
	r, err := http.Post(srv.URL, "", nil)
	if err != nil {
		panic(err)
	}
	r.Body.Close()
	fmt.Println("third request:", r.StatusCode)
	close(release)
	fmt.Println("first two:", <-done, <-done)
	fmt.Printf("%+v\n", m.Counts())
	// Output:
	// third request: 429
	// first two: 200 200
	// {Admitted:2 Redeemed:0 Refused:1 Booked:0}
}
