package loopback

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"time"

	"github.com/aftershock/aftershock/bench/live"
	"github.com/aftershock/aftershock/bench/live/attack"
	"github.com/aftershock/aftershock/bench/live/server"
	"github.com/aftershock/aftershock/results"
)

// Config is one in-process run.
type Config struct {
	Setup *live.Setup
	// Scale is model seconds per wall second (1: real time).
	Scale float64
	// StopWhenLeased ends the run once every droplet holds a lease again
	// (attack.Config.StopWhenLeased).
	StopWhenLeased bool
	// Until ends the run at this model time (0: the scenario's horizon).
	Until time.Duration
	// Recorder, if set, receives every attempt's result and the rows.
	Recorder attack.Recorder
}

// Run serves c.Setup on loopback and attacks it until its horizon (or
// every droplet leased, with StopWhenLeased) or ctx's end, then shuts the
// server down.
func Run(ctx context.Context, c Config) (attack.Outcome, error) {
	if c.Setup == nil {
		return attack.Outcome{}, errors.New("loopback: no setup")
	}
	clock := live.Clock{Start: time.Now(), Scale: c.Scale}
	srv, err := server.New(server.Config{Setup: c.Setup, Clock: clock})
	if err != nil {
		return attack.Outcome{}, fmt.Errorf("loopback: %w", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Shutdown(context.Background())
		return attack.Outcome{}, fmt.Errorf("loopback: %w", err)
	}
	bg := srv.ServeBackground(l)
	o, err := attack.Run(ctx, attack.Config{Setup: c.Setup, Target: "http://" + l.Addr().String(), Clock: clock, H2C: true,
		StopWhenLeased: c.StopWhenLeased, Until: c.Until, Recorder: c.Recorder})
	serr, shutErr := bg.Stop()
	if serr == nil {
		serr = shutErr
	}
	if err != nil {
		return o, fmt.Errorf("loopback: %w", err)
	}
	if serr != nil {
		return o, fmt.Errorf("loopback: shutdown: %w", serr)
	}
	return o, nil
}

// Row is a run's outcome as a results row, as loadgen compare reads an
// attack's summary.csv: scenario, policy and seed from the setup, the time
// scale as its vary value, recovery in model seconds from the trigger's
// end; what an attack does not measure (the ideal, wasted work, sojourn
// times) is NaN. A run that did not keep up is not complete.
func Row(set *live.Setup, scale float64, o attack.Outcome) results.Summary {
	s := results.Summary{Scenario: set.Scenario.Name, Policy: set.Policy, Vary: fmt.Sprintf("time_scale=%g", scale),
		Seed: set.Seed, Droplets: o.Droplets, Recovered: o.Recovered, Undefined: o.Undefined, RecoveryS: math.NaN(),
		IdealS: math.NaN(), PeakQueue: int(o.PeakQueue), WastedFraction: math.NaN(), Amplification: math.NaN(),
		Sojourn: [4]float64{math.NaN(), math.NaN(), math.NaN(), math.NaN()}, SimS: o.End.Seconds(),
		Complete: !o.Interrupted && o.KeptUp(), AdmitRefusals: -1, ClientRefusals: -1, RetryRefusals: -1, QueueDrops: -1}
	if o.Recovered {
		s.RecoveryS = o.Recovery.Seconds()
	}
	if o.First > 0 {
		s.Amplification = float64(o.Attempts) / float64(o.First)
	}
	return s
}
