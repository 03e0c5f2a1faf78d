// Package examples holds runnable examples of using aftershock as a
// library from outside its packages, as a user's own module would: each is
// an Example in the external test package examples_test, run by go test
// and checked against its output. The package itself holds nothing.
//
// The example in register_test.go defines an admission control of its
// own, registers it with policy.Register from an init function, and ranks
// it against queue-size with bench.Sweep on the us-east-1 scenario.
//
// The example in live_test.go registers a net/http middleware of its own
// (any func(http.Handler) http.Handler) as a live-only policy
// (policy.Def.Live) and ranks it live, on loopback sockets in real time,
// against queue-size with package bench/live/loopback and results.Rank.
package examples
