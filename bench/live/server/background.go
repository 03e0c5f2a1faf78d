package server

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// ShutdownGrace is how long Stop lets the requests in flight finish.
const ShutdownGrace = 5 * time.Second

// Background is a server serving a listener on a goroutine of its own
// (ServeBackground), as loadgen serve, attack's in-process target and
// package loopback run it.
type Background struct {
	s    *Server
	done chan struct{}
	serr error // Serve's error, set before done is closed
}

// ServeBackground serves l on a goroutine of its own until Stop.
func (s *Server) ServeBackground(l net.Listener) *Background {
	b := &Background{s: s, done: make(chan struct{})}
	go func() {
		b.serr = s.Serve(l)
		close(b.done)
	}()
	return b
}

// Done is closed when Serve has returned: after Stop, or earlier if the
// listener failed.
func (b *Background) Done() <-chan struct{} { return b.done }

// Stop shuts the server down within ShutdownGrace and waits for Serve to
// return. serr is Serve's error unless it ended by the shutdown
// (http.ErrServerClosed), err Shutdown's.
func (b *Background) Stop() (serr, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
	defer cancel()
	err = b.s.Shutdown(ctx)
	<-b.done
	if errors.Is(b.serr, http.ErrServerClosed) {
		return nil, err
	}
	return b.serr, err
}
