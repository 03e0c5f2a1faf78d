// Package policy turns a policy spec from the command line into the hooks a
// model runs with.
//
// A spec is one or more parts joined by '+'; each part is a registered name
// with optional parameters: "queue-size", "token-bucket:rate=0.9x,burst=8",
// "operator:at=04:14". Every part plays one role:
//
//   - admission: decides, per station (DWFM host), whether an attempt may
//     enter — a throttle Admitter (token bucket, queue-size, the concurrency
//     limits);
//   - client: decides, per station's clients, whether an attempt is sent at
//     all — the SRE throttle or a circuit breaker;
//   - queue: the station's queue discipline (package backlog);
//   - retry: the clients' backoff schedule after a timed-out attempt;
//   - retry-gate: may a retry be sent — a throttle RetryGate (retry budget,
//     AWS quota, velocity);
//   - intervention: acts at a fixed time (the operators' restart and throttle).
//
// At most one part per role. "none" plays no role: no throttle, no
// intervention.
//
// Each part validates its control's config with the config's Validate method
// when the spec is built, and then builds one control per station from it;
// building never fails after validation.
//
// Parameter values: a rate is either per second ("0.25") or a multiple of the
// station's nominal capacity ("0.8x"); counts are integers; "at" is a clock time
// on the scenario's local clock ("04:14", the first such time after the start)
// or an offset from the start ("4h26m"). Defaults are stated per policy and
// derive from the station (workers, capacity) so that one spec means the same
// thing at any scale.
//
// Parsing and building are pure; a built control has its own concurrency
// contract (see package throttle).
package policy
