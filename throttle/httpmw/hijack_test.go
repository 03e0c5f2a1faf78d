package httpmw_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aftershock/aftershock/throttle/httpmw"
)

// TestHijackThroughFeedback: a handler that takes its connection over
// (websockets) can, whatever the control: the writer it is given is still
// an http.Hijacker, and its request leaves the count.
func TestHijackThroughFeedback(t *testing.T) {
	f := &fb{}
	m := mustNew(t, f, httpmw.Options{})
	srv := httptest.NewServer(m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hj, ok := w.(http.Hijacker)
		if !ok {
			http.Error(w, "no hijacker", http.StatusInternalServerError)
			return
		}
		c, buf, err := hj.Hijack()
		if err != nil {
			return
		}
		defer c.Close()
		buf.WriteString("HTTP/1.1 101 Switching Protocols\r\nConnection: close\r\n\r\nhijacked")
		buf.Flush()
	})))
	defer srv.Close()
	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	c.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSwitchingProtocols {
		t.Errorf("hijacking handler answered %d, want 101", resp.StatusCode)
	}
	deadline := time.Now().Add(5 * time.Second)
	for (m.Inside() != 0 || len(f.outcomes()) != 1) && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if m.Inside() != 0 || len(f.outcomes()) != 1 {
		t.Errorf("after the hijack: inside %d, outcomes %v; want 0 and one", m.Inside(), f.outcomes())
	}
}

// TestHijackerAsBelow: the handler's writer is an http.Hijacker exactly
// when net/http's is, with a control with feedback as without the
// middleware: over HTTP/1.1 it is, over HTTP/2 it is not (a handler that
// tests for it takes the same path).
func TestHijackerAsBelow(t *testing.T) {
	probe := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, ok := w.(http.Hijacker)
		fmt.Fprint(w, ok)
	})
	for _, h2 := range []bool{false, true} {
		var got [2]string
		for i, h := range []http.Handler{probe, mustNew(t, &fb{}, httpmw.Options{}).Wrap(probe)} {
			srv := httptest.NewUnstartedServer(h)
			srv.EnableHTTP2 = h2
			srv.StartTLS()
			resp, err := srv.Client().Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			srv.Close()
			if resp.ProtoMajor != map[bool]int{false: 1, true: 2}[h2] {
				t.Fatalf("HTTP/2 %v: spoke %s", h2, resp.Proto)
			}
			got[i] = string(b)
		}
		if want := fmt.Sprint(!h2); got[0] != want || got[1] != want {
			t.Errorf("HTTP/2 %v: a hijacker bare %s, behind the middleware %s; want %s", h2, got[0], got[1], want)
		}
	}
}
