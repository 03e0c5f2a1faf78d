// Package dwfm models EC2's DropletWorkflow Manager (DWFM), the lease manager
// whose congestive collapse kept us-east-1 broken for hours after DynamoDB's
// DNS came back on 20 October 2025.
//
// Vocabulary:
//   - A droplet is a physical EC2 host. It can take launches only while it
//     holds a lease from its DWFM host.
//   - A DWFM host manages DropletsPerHost droplets. Each host is a
//     model.Station: a queue of lease-establishment attempts (FIFO unless a
//     policy picks another discipline) in front of Workers. Hosts are not
//     placed in availability zones: nothing in the collapse depends on a
//     zone (the outage is regional), so the model has none (a zones key,
//     which used to be validated and then ignored, is refused with a hint).
//   - A check: every CheckInterval each droplet is checked, at its own phase.
//     A check needs the dependency (DynamoDB); while it is out, checks fail.
//   - A lease expires when no check has succeeded for its TTL. TTLs vary by
//     droplet (uniform on [LeaseTTLMin, LeaseTTLMax]), which is what makes the
//     fleet's leases "slowly time out" over the outage rather than all at once.
//   - An expired droplet asks for a new lease at its next check that can
//     succeed: an establishment attempt is queued at its host. The droplet gives
//     up on the attempt after EstablishTimeout and queues another at once (a
//     policy's backoff may delay it, its attempt limit or retry gate may end the
//     request); the stale one stays queued and may still be worked, for nothing
//     (wasted). An attempt that fails fast — refused by admission control or a
//     full queue, dropped by the discipline or a restart, failed by the
//     dependency — ends the request, and the droplet asks again at a later
//     check: one check interval later, give or take half of one (check loops
//     are not phase-locked). Establishment cost may grow with the host's queue
//     ([service] growth_per_queued), which is how a backlog slows a host down.
//     Establishment needs the dependency throughout: work that overlapped an
//     outage fails.
//   - A droplet's work: each droplet's establishment has its own base service
//     time S, drawn once from the service-time distribution; every attempt of
//     it costs S, plus any growth (model.Station.SetWork).
//   - A reservation: an admission control that is a throttle.Reserver may
//     refuse with the instant its booking for the droplet falls due (a
//     Retry-After); the droplet then asks again exactly then, instead of at a
//     later check, and redeems it.
//   - Restarting a host drops its queue and the work in service.
//
// Checks of a healthy lease cannot change anything, so they are not simulated
// one by one: the dependency's availability is a schedule known in advance (the
// scenario's dependency-outage triggers), and when an outage starts each leased
// droplet gets one expiry timer, which on firing asks whether any check between
// the outage's start and the expiry could have succeeded. This is exact for an
// exogenous dependency schedule and turns ~290 check events per droplet over
// the us-east-1 scenario (14.5 h at one per 3 min) into one, which is what
// lets 10⁶ droplets run in seconds.
//
// Randomness: what a droplet is given once (its check phase, its lease TTL in
// each outage, its work) comes from a counter-based stream keyed by the seed
// and the droplet's number, so nothing is stored for it and no policy shifts
// it; what a host's events draw (check jitter after a refusal, backoff
// jitter) comes from that host's own stream.
//
// Recovery: every droplet leased again, measured from the end of the last
// outage. The ideal (Model.Bound) is a lower bound on it for the run itself,
// computed from the seed and the scenario alone, so the same for every policy:
// per host, over the droplets that must be leased after the last outage, with
// r_1 ≤ … ≤ r_n the first instants they can ask and S_j their work on c
// workers, max(max_k r_k + Σ_{j≥k} S_j/c, max_j r_j + S_j); the region's bound
// is the largest over hosts. See Bound for which droplets count.
//
// Running: hosts share nothing while they run, so each runs in its own small
// sim.Engine, one host after another, a span of samples at a time, and the
// fleet's samples and recovery are put together per instant (run.go). That
// keeps each host's memory in cache and the time per event flat from 10⁴ to
// 10⁷ droplets, with the outcome of one fleet-wide engine.
//
// Building: New(Config, model.Env). Config is the [dwfm] section (Section),
// the [service] section (every host's station) and the [[trigger]]s
// (dependency outages only: at most 255, none overlapping); Env is the
// run's seed, its epoch (the scenario's start, handed to the controls so
// that rate limiters see realistic instants) and the policy's hooks.
//
// A Model belongs to one goroutine; it reads no clock.
package dwfm
