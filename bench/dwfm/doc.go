// Package dwfm models EC2's DropletWorkflow Manager (DWFM), the lease manager
// whose congestive collapse kept us-east-1 broken for hours after DynamoDB's
// DNS came back on 20 October 2025.
//
// Vocabulary:
//   - A droplet is a physical EC2 host. It can take launches only while it
//     holds a lease from its DWFM host.
//   - A DWFM host manages DropletsPerHost droplets; hosts are spread over
//     Zones availability zones. Each host is a model.Station: a queue of
//     lease-establishment attempts (FIFO unless a policy picks another
//     discipline) in front of Workers.
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
// Recovery: every droplet leased again, measured from the end of the last
// outage. The ideal bound is, for each host, the makespan of serving its
// expired droplets in release order (a droplet is released at its first check
// after the outage) on its workers at mean base service time, with no growth,
// no waste and no throttle; the region's bound is the slowest host's.
//
// A Model belongs to one goroutine; it runs on sim.Engine and reads no clock.
package dwfm
