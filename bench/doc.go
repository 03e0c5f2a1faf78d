// Package bench is aftershock's benchmark suite: it runs a scenario under a
// policy and reports what recovery cost, and it holds the Go benchmarks that
// measure the engine and whole scenarios.
//
// Layout below bench/:
//
//	sim/       the virtual-time discrete-event engine
//	model/     the kit every model shares: Station, Hooks, triggers, meters,
//	           results and the drive loop
//	service/   the generic service-under-retries model
//	dwfm/      the EC2 DropletWorkflow Manager lease model
//	netprop/   the EC2 Network Manager propagation model
//	nlb/       the Network Load Balancer health-checker model
//	scenario/  scenario files (TOML) and the embedded presets
//	policy/    policy specs ("queue-size", "operator:at=04:14") → Hooks
//
// A Run picks its model from the Models table: the first registration
// whose Enabled accepts the scenario builds it.
//
// Run is the one entry point: a Scenario, a policy spec and a seed in; a
// results.Summary and a stream of time-series samples out. The command
// `loadgen sim` is a thin shell over it, and BenchmarkScenario runs it under
// `go test -bench`.
//
// Sweep and SweepFunc execute many Runs in parallel; Vary and Grid turn
// `loadgen sweep --vary KEY=v1,v2,...` into the cross product of scenarios
// (With sets each key). ShardCells slices a sweep's runs for `--shard I/N`
// (contiguous, in order, so shards' rows concatenate into the whole sweep's).
// Boundary bisects one scenario key (a Param) per seed for the value where
// runs stop recovering by themselves (`loadgen boundary`); a Bracket is one
// seed's result, the values it recovers at and does not within the tolerance.
//
// A Run reads the wall clock only to report wall_s; the model inside is pure.
// Separate Runs share nothing and may execute in parallel; Boundary.Search
// runs its seeds in parallel, each seed's runs one after another.
package bench
