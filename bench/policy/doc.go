// Package policy turns a policy spec from the command line into the hooks a
// model runs with, and holds the registry of the policies a spec may name.
//
// # Specs
//
// A spec is one or more parts joined by '+'; each part is a registered name
// with optional parameters: "queue-size", "token-bucket:rate=0.9x,burst=8",
// "operator:at=04:14". Every part plays one or more roles (Role):
//
//   - admission: per station (DWFM host), server side: may this attempt
//     enter? (token bucket, queue-size rate, AIMD, Vegas, Gradient2, Envoy;
//     reserve, which tells a refused attempt when to come back);
//   - client: per station, client side: may this attempt be sent, and how?
//     (SRE adaptive throttle, circuit breaker; in live mode also a wrapper
//     of the droplets' HTTP transport, as failsafe-go's retry policy);
//   - queue: the station's queue discipline (FIFO, LIFO, adaptive LIFO,
//     CoDel after RFC 8289, Facebook's CoDel variant, deadline-drop, bounded);
//   - retry: the clients' backoff after a timed-out attempt;
//   - retry-gate: may this retry be sent? (retry budget, AWS retry quota,
//     velocity);
//   - velocity: how much capacity a model may take out of service per
//     window (velocity);
//   - intervention: acts at fixed times (the operators' restart and
//     throttle, the NLB operators' failover switch).
//
// At most one part per role. "none" plays no role: no throttle, no
// intervention.
//
// Parameter values: a rate is either per second ("0.25") or a multiple of the
// station's nominal capacity ("0.8x"); counts are integers; "at" is a clock time
// on the scenario's local clock ("04:14", the first such time after the start)
// or an offset from the start ("4h26m"). Defaults are stated per policy and
// derive from the station (workers, capacity) so that one spec means the same
// thing at any scale.
//
// # The registry
//
// Every policy is a Def passed to Register: its name, roles, doc, source,
// parameters with their defaults, the simplifications it makes against its
// source, and a Build that returns its hooks, reading its parameters
// through Args. The built-in ones are the controls of packages throttle and
// backlog, one file each named after the control (queuesize.go for
// queue-size, throttle.QueueSize), and the interventions; `loadgen policies`
// lists every registered policy with its roles and parameters. A library
// registers its own control the same way, from an init function in its own
// package: package bench/examples has one, ranked against queue-size.
//
// # Live-only policies
//
// A control that reads the wall clock (a library's: failsafe-go,
// sony/gobreaker) cannot run in the simulator's virtual time. Its Def sets
// Live instead of Build: LiveHooks, net/http middleware in front of each
// DWFM host's queue (admission role) or a wrapper of the attackers'
// transport (client role). Live mode (package bench/live, loadgen serve
// and attack) builds specs with BuildLive and runs them; Build, which the
// simulator uses, refuses them in one line (ErrLiveOnly). Names lists the
// policies every model runs, LiveNames the live-only ones; package
// bench/live/libs registers the libraries', and bench/examples has a user's
// middleware ranked live against queue-size.
//
// # Concurrency
//
// Register, Lookup, Names, Parse, Build and Caveats are safe for concurrent
// use. Parsing and building are pure; a built admission control has its own
// concurrency contract (see package throttle).
package policy
