// Package policy turns a policy spec from the command line into the hooks a
// model runs with.
//
// A spec is one or more parts joined by '+'; each part is a registered name
// with optional parameters: "queue-size", "token-bucket:rate=0.9x,burst=8",
// "operator:at=04:14". Every part plays one role:
//
//   - admission: decides, per station (DWFM host), whether work may enter —
//     built on package throttle;
//   - intervention: acts at a fixed time (the operators' restart and throttle).
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
