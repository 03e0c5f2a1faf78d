// Package attack is live mode's load generator: an open-loop scheduler of
// its own on vegeta's parts (github.com/tsenart/vegeta) that replays the
// droplets of a DWFM scenario against a lease service — `loadgen attack`.
//
// Each droplet of the attacker's shard runs the droplet's side of package
// dwfm:
//   - first attempts come from a vegeta Pacer: by default the surge
//     (SurgePacer: every droplet whose lease lapsed during the dependency
//     outage asks again at its first check after the dependency is back);
//     any vegeta Pacer may replace it, and then the shard's droplets ask
//     in order at its pace;
//   - a timed-out attempt (the scenario's establish_timeout, scaled) is
//     sent again at once, or after the policy's backoff, unless its attempt
//     limit or retry gate ends the request; the attempt it gave up on stays
//     with the server, which still works it — the collapse mechanism;
//   - a fast failure (429, 503, any other status, a transport error) asks
//     again at a later check: one check interval later, give or take half;
//     a 429 that carries a booking (server.RetryAtHeader, from a reserving
//     admission control) asks again exactly then, redeeming it.
//
// The policy's client-side control (one per DWFM host, shared by its
// droplets, as in package dwfm) may refuse an attempt before it is sent:
// nothing goes out, and the droplet asks again at a later check.
//
// Retries and re-checks wait in a due-time queue; at its due time an
// attempt the client-side control lets through is scheduled (numbered, and
// counted at once) and waits in order for a worker, which sends it with its
// own timeout. The pool starts at Workers and grows, as vegeta's does,
// whenever attempts are due and too few workers are free, one for each, up
// to MaxWorkers and the shard's droplets. The client speaks HTTP with vegeta's
// options (HTTP: headers, TLS, HTTP/2, h2c, redirects, bodies kept,
// keep-alive, connections) and, unless HTTP.AllowRemote, refuses every
// connection off loopback as it dials it.
//
// Intended send times are fixed by the pacer and the queue, never
// by when a worker got free: every attempt becomes a vegeta Result with
// Timestamp the intended send time and Latency its end minus that (no
// coordinated omission), attack name record.First or record.Retry, a
// timeout classified before it is stringified (Code 0, Error starting
// record.TimeoutPrefix), an answer whose body could not be read whole Code
// 0 with the read's error (as vegeta's). Each droplet moves on by the
// attempt's record.OutcomeOf, the rule the files count by. An attacker
// that cannot keep up sends late rather than less; an attempt still
// waiting for a worker when sending stops (the end, or an interrupt) is
// unsent, recorded at the attack's end (Code 0, Error record.UnsentError,
// Latency from its intended time to then), so that every scheduled attempt
// has exactly one result (Outcome.Invariant: scheduled = sent + unsent).
// An attempt's lateness runs from its intended instant until it reaches
// the wire (gets a connection, or begins to make one: net/http/httptrace),
// so that waiting inside the attacker, for a worker or for a connection
// from a pool --max-connections limits, is the load host's lag, not the
// target's latency. Outcome.KeptUp judges the schedule kept: at most 1% of
// scheduled attempts late (on the wire over LateAfter after their instant)
// or unsent, and none later than a tenth of the attempt timeout.
//
// A shard with no droplets is refused (NoDroplets): it would have nothing to
// send and report a recovery.
//
// Vocabulary: model and wall time, the surge, a shard: see package live.
//
// Non-goals: writing files (package live/record, through the Recorder
// interface), serving (package live/server), targets files (package
// live/targets supplies Config.Targets).
//
// Concurrency: Run owns every droplet's state in one goroutine; workers only
// send requests and hand outcomes back; the Recorder is called from that one
// goroutine.
package attack
