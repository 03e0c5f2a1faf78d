package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// SignalEcho is how soon after the first signal another one is the same
// interrupt delivered twice, not a second Ctrl-C: coreutils timeout(1), and
// other supervisors, signal the child and then its process group, so the
// child gets the signal twice within microseconds. A person pressing Ctrl-C
// twice takes longer.
const SignalEcho = 250 * time.Millisecond

// Interruptible returns a context cancelled by the first SIGINT or SIGTERM,
// after which the command stops its run and keeps what it measured. A second
// signal calls exit(ExitInterrupted) at once, unless it came within
// SignalEcho of the first (then it is the same one, delivered twice). stop
// releases the signals.
func Interruptible(parent context.Context, stderr io.Writer, exit func(int)) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	quit := make(chan struct{})
	go func() {
		var first time.Time
		select {
		case s := <-sigs:
			first = time.Now()
			fmt.Fprintf(stderr, "\nloadgen: %v: stopping, keeping partial results (again to quit at once)\n", s)
			cancel()
		case <-quit:
			return
		}
		for {
			select {
			case <-sigs:
				if time.Since(first) < SignalEcho {
					continue // the first signal again
				}
				fmt.Fprintln(stderr, "loadgen: quit")
				exit(ExitInterrupted)
				return
			case <-quit:
				return
			}
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(quit)
		cancel()
	}
}
