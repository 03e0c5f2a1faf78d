package policy

import (
	"fmt"
	"strconv"
	"time"

	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/throttle"
)

// What the built-in policies share: the builders that turn a control of
// package throttle or a discipline of package backlog into hooks. Each
// validates its control's config once, at Build, by calling its Validate
// method; the per-station factories then build from that validated config,
// so they cannot fail. The helpers that write a default as a user would
// (dur, itoa, ftoa) fill the Params' Default from the controls' own
// defaults.

func dur(d time.Duration) string { return d.String() }
func itoa(n int) string          { return strconv.Itoa(n) }
func ftoa(f float64) string      { return strconv.FormatFloat(f, 'g', -1, 64) }

// config is a control's Config.
type config interface{ Validate() error }

// perStation validates c and returns a factory that builds a fresh control
// per station with mk(c, station). Every throttle constructor returns an
// error only when its config's Validate does, and mk changes nothing that
// Validate checks (the SRE throttle's per-station Seed is not checked), so mk
// cannot fail on a validated config; if it ever did, that is a bug in the
// control, and the factory panics with the error.
func perStation[C config, T any](c C, mk func(c C, station int) (T, error)) (func(int) T, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return func(s int) T {
		v, err := mk(c, s)
		if err != nil {
			panic(fmt.Sprintf("policy: a validated config failed to build: %v", err))
		}
		return v
	}, nil
}

// same builds every station's control from the same config.
func same[C, T any](mk func(C) (T, error)) func(C, int) (T, error) {
	return func(c C, _ int) (T, error) { return mk(c) }
}

// admission builds a server-side admission control per station from the
// config that cfg resolves.
func admission[C config, T throttle.Admitter](cfg func(Args) C, mk func(C, int) (T, error)) func(Args) (model.Hooks, error) {
	return func(a Args) (model.Hooks, error) {
		f, err := perStation(cfg(a), func(c C, s int) (throttle.Admitter, error) { return mk(c, s) })
		return model.Hooks{Admit: f}, err
	}
}

// client builds a client-side admission control per station.
func client[C config, T throttle.Admitter](cfg func(Args) C, mk func(C, int) (T, error)) func(Args) (model.Hooks, error) {
	return func(a Args) (model.Hooks, error) {
		f, err := perStation(cfg(a), func(c C, s int) (throttle.Admitter, error) { return mk(c, s) })
		return model.Hooks{Client: f}, err
	}
}

// retryGate builds a retry gate per station.
func retryGate[C config, T throttle.RetryGate](cfg func(Args) C, mk func(C, int) (T, error)) func(Args) (model.Hooks, error) {
	return func(a Args) (model.Hooks, error) {
		f, err := perStation(cfg(a), func(c C, s int) (throttle.RetryGate, error) { return mk(c, s) })
		return model.Hooks{Retry: f}, err
	}
}

// queue validates the discipline cfg resolves; the models build it.
func queue(cfg func(a Args) backlog.Config) func(Args) (model.Hooks, error) {
	return func(a Args) (model.Hooks, error) {
		c := cfg(a)
		if err := c.Validate(); err != nil {
			return model.Hooks{}, err
		}
		return model.Hooks{Queue: c}, nil
	}
}

// netflix is the source of aimd, vegas and gradient2.
const netflix = "Netflix concurrency-limits"
