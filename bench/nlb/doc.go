// Package nlb models a Network Load Balancer's health checking in the October
// 2025 us-east-1 event: targets launched before their network state had
// propagated failed health checks although healthy, results flapped, the
// flapping loaded the health-check subsystem, delayed checks failed, and
// automatic AZ DNS failover took healthy capacity out of service until the
// operators disabled it.
//
// Published (AWS post-event summary, https://aws.amazon.com/message/101925/):
// NLB connection errors began at 05:30 PDT; new instances were brought into
// service before their network state had propagated, so health checks
// alternated between failing and passing; NLB nodes were removed from DNS
// and returned; the flapping raised the health-check subsystem's load until
// it degraded, delayed checks and set off automatic AZ DNS failover; at 09:36
// the operators disabled automatic health-check failover, which brought the
// available healthy capacity back into service; they re-enabled it at 14:09.
// AWS announced a velocity control limiting how much capacity one NLB may
// remove when health-check failures cause AZ failover, with no figure: sweep
// it (the velocity policy; see "The velocity control" below).
//
// NLB's documented behaviour, used as defaults (target group health checks,
// https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html,
// and target group health,
// https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health.html):
// an active check of every target every 30 s with a 10 s timeout (TCP); a
// target becomes unhealthy after 2 consecutive failures and healthy after 5
// consecutive successes; a new target receives traffic once it passes one
// check ("your target is not in service until it passes one health check",
// https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-troubleshooting.html);
// passive health checks also watch live connections and cannot be disabled;
// cross-zone load balancing is off, so each AZ's node routes
// only to targets in its own AZ; when an AZ has fewer healthy targets than
// the DNS failover minimum (default 1) its node's address leaves DNS, and
// below the routing failover minimum (default 1) the node sends traffic to
// every target in its AZ (routing fail-open); if every AZ is unhealthy the
// load balancer fails open (every address stays in DNS); the DNS TTL is 60 s
// (dns_ttl: a multiple of the 5 s Tick, 0 the default; another is refused).
//
// Assumed (this package's, documented in the nlb preset and docs/models.md):
// each AZ's node checks the targets of its own AZ on its own checker, a
// model.Station (the scenario's [service] section) of finite capacity; a
// check that waits longer than the timeout in the checker's queue fails
// (delayed checks count as failures); a check of a target whose network
// state has not propagated succeeds with probability reach_before (the
// intermittent reachability that made results flap), and such a target
// serves reach_before of the connections sent to it; passive health checks
// (published to exist, to catch failing targets before the active checks
// do, and not to be switchable; not how they act) turn passive_catch of the
// connections bound for an unreachable path to other targets, and change no
// target's health (the preset's 1: a connection then fails only when the
// capacity it can reach is short, as the summary describes the errors);
// every target entering or leaving service adds flap_work jobs to its
// checker, and every AZ address leaving or returning to DNS adds
// failover_work jobs per target of that AZ (the re-checks and routing and
// DNS updates a flap costs: with failover off nothing changes, so nothing is
// added); clients hold the DNS answer of one TTL ago and spread their
// connections over the AZs in it by DNS weight; the offered load is a fixed
// share (load) of the registered targets' capacity.
//
// The velocity control (model.Hooks.Velocity, a throttle.CapacityVelocity),
// line by line against what is published:
//   - What it limits: the capacity automatic AZ DNS failover takes out of
//     DNS ("the capacity a single NLB can remove when health check failures
//     cause AZ failover", the summary). NLB's DNS failover removes an AZ's
//     node address when the AZ has fewer healthy targets than the
//     DNS-failover minimum (min_healthy); that removal is what is paced.
//     Single targets leaving service on their own checks are not AZ
//     failover and are not paced unless Hooks.VelocityTargets says so
//     (reported apart: Totals.KeptInService).
//   - How much an AZ is: its routed targets (its targets in service, or
//     every registered one when it fails open below the routing minimum, as
//     NLB routes then) times its DNS weight, the share of it still
//     advertised. Capacity already out of service is not counted again.
//   - The cap: at most a share of the capacity in DNS leaves within any
//     sliding window, the share of what was in DNS before the window's
//     removals (the capacity in DNS now plus what the control let go within
//     the window). A share, not a count: launches grow the fleet for hours.
//   - Above the cap: the AZ's weight drops by what the window allows now,
//     and the rest is asked for at every tick (5 s) as the window slides:
//     the capacity leaves gradually, never refused for good (weighted DNS:
//     the AZ's address answers a shrinking share of lookups). The capacity
//     kept in DNS is counted in target-hours (Totals.KeptInDNS). A failover
//     begins at the tick an AZ wholly in DNS starts to drain (the control
//     grants some of it: its weight leaves 1), counted once then, and
//     completes when its weight reaches 0 (Totals.Failovers,
//     FailoversCompleted); an unhealthy AZ waiting at weight 1 for the
//     window to free begins none until it drains.
//   - What it does not pace: an AZ returns to DNS at once when it has
//     min_healthy healthy targets again (adding capacity is safe); DNS fails
//     open (every AZ wholly in DNS) when every AZ is below the minimum, as
//     NLB does; with failover off nothing is removed at all.
//
// Vocabulary:
//   - A target is an instance behind the NLB in one AZ, launched (registered)
//     at one instant and reachable from its propagation instant on. Input is
//     the schedule of targets: the initial fleet (propagated at 0) and the
//     launches of the surge.
//   - In service: a target the NLB routes to. A target leaves service when
//     its checks make it unhealthy, and an AZ is drained from DNS when too
//     few of its targets are healthy: both remove capacity, in units of
//     targets (an AZ its routed targets times the DNS weight it loses).
//   - Failover is the automatic removal on health-check results; disabling
//     it (failover_off_at .. failover_on_at, or an intervention's
//     model.FailoverOff .. model.FailoverOn: the failover-off policy) routes
//     every registered target and keeps every AZ wholly in DNS (the summary:
//     it brought the available capacity back into service). The velocity
//     control paces AZ failover (above).
//   - The state is re-evaluated every tick (Tick, 5 s): removals, returns,
//     DNS, and the customer-visible measures: capacity fraction (targets in
//     service in the AZs clients resolve, counted by reachability, over all
//     registered targets) and conn_error_rate (the share of connections
//     that find no healthy capacity: sent to an unreachable target and not
//     turned away, or beyond the capacity of the reachable ones), split into
//     capacity_error_rate (beyond the capacity the NLB routes to, as if
//     every routed target were reachable: what its removals cause) and
//     unpropagated_error_rate (the rest: routed targets whose network state
//     has not propagated). Over the run, conn_error_share,
//     capacity_error_share and unpropagated_error_share are the shares of
//     the connections offered from the first launch (the stage's start; from
//     virtual 0 when nothing is launched) that failed: each tick weighted by
//     its connections (load × registered targets), not a mean over ticks.
//   - A flap is a target leaving service or returning to it (a new target's
//     first entry is not one).
//   - hc_load is the jobs offered to the checkers per second: checks plus
//     flap and failover work.
//   - Recovery runs from the first launch to the end of the last tick whose
//     conn_error_rate is above RestoredErrors (1%): the NLB is restored from
//     then on. There is no ideal.
//
// Chaining (the cascade, not built here): the targets' launch and
// propagation instants come from package netprop's Output (a launch is
// reachable once its state has propagated), so the schedule built from the
// [nlb] section for a standalone run (Schedule) is replaced by the
// propagation model's (Config.Targets). The model imports the kit only.
//
// Policies: admission, client control and queue discipline act on each
// AZ's checker (a refused or dropped check gives no result); the velocity
// role paces AZ failover, and the removals it cuts short are reported as
// the run's retry-gate refusals (the velocity policy fills both roles;
// nothing here retries).
// Interventions restart the checkers or replace their admission.
//
// Non-goals: connections as individual events (shares are computed per
// tick), passive health checks beyond the share they turn away, HTTP checks,
// cross-zone load balancing, more than one target group, the NLB's own nodes
// as instances that launch (AWS names them among what flapped).
//
// Building: New(Config, model.Env). Config is the [nlb] section (Section),
// the [service] section (each AZ's checker) and, for a cascade stage, its
// Targets; Env is the run's seed, epoch and hooks.
//
// Concurrency: a Model belongs to the goroutine that runs it; Config is a
// value.
package nlb
