// Package bench is aftershock's benchmark suite: it runs a scenario under a
// policy and reports what recovery cost, and it holds the Go benchmarks that
// measure the engine and whole scenarios.
//
// # Layout
//
// The packages below bench/:
//
//	sim/            the virtual-time discrete-event engine and the random
//	                streams (Stream; Draws, the keyed one dwfm and live draw from)
//	model/          the kit every model shares: Station, Hooks, triggers, meters,
//	                results and the drive loop
//	service/        the generic service-under-retries model
//	dwfm/           the EC2 DropletWorkflow Manager lease model
//	netprop/        the EC2 Network Manager propagation model
//	nlb/            the Network Load Balancer health-checker model
//	cascade/        the three above in sequence, each on the last one's output
//	dnsrace/        the DynamoDB DNS race that triggered the us-east-1 outage
//	scenario/       scenario files (TOML) and the embedded presets
//	policy/         policy specs ("queue-size", "operator:at=04:14") → Hooks
//	predict/        recovery predicted without simulating: fluid models, Markov chains
//	live/           live mode: DWFM served over real HTTP and attacked in
//	                wall-clock time (its Setup, Clock, Surge, Draws)
//	live/server/    `loadgen serve`: the lease manager over HTTP
//	live/attack/    `loadgen attack`: the open-loop load generator
//	live/record/    an attack's files, written and read back
//	live/targets/   what each attempt sends (vegeta targets files)
//	live/libs/      real overload-control libraries as live-only policies
//	live/loopback/  serve and attack in one process
//	examples/       runnable examples from outside the packages
//
// # Models and runs
//
// A Run picks its model from Models (the built-in registrations, those
// added with Register, the generic model last): the first registration
// whose Enabled accepts the scenario plans the run (a Plan: the policy spec
// built for the model, its cost, its constructor). Every model is built by
// its package's New(Config, model.Env). A single model takes one spec (its
// Timeout, Cost and New); the cascade takes one per stage and builds its
// DWFM stage as the dwfm registration does (planCascade,
// models_cascade.go). The cascade is registered here and imports nothing
// of bench: the cascade package is a model given built stages, and what
// reads scenarios and builds policies for it is this registration, so
// bench → cascade is the only edge between them (package cascade's doc
// says the whole shape).
//
// A model with summary.csv columns of its own (OwnColumns, the cascade's
// milestones) fills results.Summary.Columns; SummaryColumns says which
// before any run, for a sweep's header.
//
// # Runs, sweeps and boundaries
//
// Run is the one entry point: a Scenario, a policy spec and a seed in; a
// results.Summary and a stream of time-series samples out. The command
// `loadgen sim` is a thin shell over it, and BenchmarkScenario runs it under
// `go test -bench`.
//
// Sweep and SweepFunc execute many Runs in parallel (pool.go, the one
// worker pool: Boundary.Search's seeds go through it too); Vary and Grid turn
// `loadgen sweep --vary KEY=v1,v2,...` into the cross product of scenarios
// (With sets each key: a cascade's too, link.KEY and stages.NAME.KEY, the
// stage written out in full first). results.Shard slices a sweep's runs for `--shard I/N`
// (contiguous, in order, so shards' rows concatenate into the whole sweep's).
// Boundary bisects one scenario key (a Param) per seed for the value where
// runs stop recovering by themselves (`loadgen boundary`); a Bracket is one
// seed's result, the values it recovers at and does not within the tolerance.
//
// # Concurrency
//
// A Run reads the wall clock only to report wall_s; the model inside is pure.
// Separate Runs share nothing and may execute in parallel; Boundary.Search
// runs its seeds in parallel, each seed's runs one after another.
package bench
