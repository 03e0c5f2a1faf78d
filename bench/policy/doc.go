// Package policy turns a policy spec from the command line into the hooks a
// model runs with.
//
// A spec is one or more parts joined by '+'; each part is a registered name
// with optional parameters: "queue-size", "token-bucket:rate=0.9x,burst=8",
// "operator:at=04:14". Every part plays one or more roles (Role):
//
//   - admission: per station (DWFM host), server side: may this attempt
//     enter? (token bucket, queue-size rate, AIMD, Vegas, Gradient2, Envoy;
//     reserve, which tells a refused attempt when to come back);
//   - client: per station, client side: may this attempt be sent? (SRE
//     adaptive throttle, circuit breaker);
//   - queue: the station's queue discipline (FIFO, LIFO, adaptive LIFO,
//     CoDel after RFC 8289, Facebook's CoDel variant, deadline-drop, bounded);
//   - retry: the clients' backoff after a timed-out attempt;
//   - retry-gate: may this retry be sent? (retry budget, AWS retry quota,
//     velocity);
//   - intervention: acts at fixed times (the operators' restart and
//     throttle).
//
// The controls are built on packages throttle and backlog; `loadgen
// policies` lists every registered policy with its roles and parameters.
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
// Parsing and building are pure; a built admission control has its own
// concurrency contract (see package throttle).
package policy
