// Package predict predicts recovery without simulating it: a fluid
// (mean-field) model of each scenario kind, the generic service under
// retries and DWFM, and the exact Markov chain of a small single-station
// system, Metafor's kind (Metafor: arXiv 2510.03551,
// github.com/mpi-sws-rse/metafor; nothing here is its code).
//
// Vocabulary:
//   - A prediction (Predict) is the fluid model's verdict for a scenario
//     under a policy: recovers (and when, from the trigger's end, by the
//     simulator's own recovery condition), stays collapsed, or, as the
//     simulator says, undetermined (too few arrivals after the trigger for
//     any window to count as evidence); the fixed
//     points of the system after the trigger and their stability (healthy,
//     unstable, collapsed; a regime healthy, collapsed or bistable); and,
//     if asked, the trajectory.
//   - A law (Law, ParseLaw) is a policy's fluid form. none, fifo,
//     token-bucket, queue-size, bounded, reserve, deadline-drop, backoff
//     (generic), operator, and the concurrency limits aimd and vegas where
//     they settle have one; every other part is an *ErrNoFluid naming it.
//   - An edge (FindEdge) is where the predicted verdict changes along one
//     scenario key; Start widens it into the bracket bench.Boundary starts
//     from; a band (Bands) is a range of a key where the post-trigger system
//     is bistable; PhaseEdges are edges along y at each x of a phase diagram.
//     Start, Bands and PhaseEdges take a Query: the scenario, policy,
//     options, key and tolerance of the search.
//   - A chain (Chain) is the continuous-time Markov chain of a ChainConfig:
//     its stationary distribution (Stationary) and expected hitting times
//     (HittingTimes, DrainTime: full to empty).
//
// The generic service's fluid model. Per attempt class k (attempt k+1 of a
// request; at most 64 followed, the failures of the last retrying into it;
// the fixed points and a request's health count the real attempts), with n(t) the attempts held at the station (queued or in
// service), O_k(t) the clients waiting to send attempt k+1, λ(t) the arrival
// rate (schedule × spikes), c(t) the workers and s(n) the mean service time
// min(cap, s₀·slow + g_busy·min(n,c) + g_queued·(n−c)⁺):
//
//	offered    a_0 = λ,  a_k = O_k / β_k            (β_k the mean wait before attempt k+1)
//	admitted   α·a_k, α = min(a, law caps, μ when the queue is full) / a (0 in a dependency outage);
//	           a concurrency limit L (aimd, vegas) caps it at min(L, c)/s once L are held
//	doomed     p(n) = P(sojourn > τ): Erlang(n−c+1, c/s) + Exp(s) for exponential
//	           service, else a gamma of the sojourn's mean (n−c+1)⁺·s/c + s and variance
//	dn/dt      = Σ_k α·a_k − μ(n),  μ(n) = min(n, c)/s(n)
//	timeouts   f_k^to(t) = α·a_k(t−τ)·p(n(t−τ))   (a delay line of the timeout τ)
//	failures   f_k = (1−α)·a_k + f_k^to;   dO_{k+1}/dt = f_k·keep − O_{k+1}/β_{k+1}
//	           (keep < 1 when the orbit's cap binds: the rest is abandoned); failures
//	           of the last attempt give up
//	answers    G (admitted, not doomed) is answered at rate G/min(sojourn, τ)
//
// integrated with a fixed step (a fifth of the service time, a fiftieth of
// the timeout, a 200th of the recovery window, a tenth of each trigger; a
// whole number of steps a health bucket; never coarser whatever the
// horizon), the station implicit where fewer than the workers are busy; a
// stretch where the state has settled before a change of the inputs is
// jumped over (every flow is constant there), and a run that neither
// settles nor collapses within 10⁶ steps is refused. The health of
// requests arriving at t is g(t), the probability that the chain of
// attempts (refused with 1−α, timed out with α·p, answered with α(1−p), each
// failure costing its delay and a timeout its τ) answers within the
// recovery window W, evaluated at the state of t; the simulator's recovery
// condition (model.Sustained) is then applied to λ·g in buckets of W/100.
// The fixed points set each retry flow to its stationary value (a/λ = Σ_{k<A}
// φ^k with φ = 1 − α(1−p)) and solve α·a(n) = μ(n): stable where the
// difference falls through zero; a difference still positive at the largest
// n is a queue that grows without bound (or sits at the queue's capacity,
// or at a concurrency limit), at a rate where the retries have a stationary
// flow, and with none where a request's attempts do not run out.
//
// DWFM's fluid model is one host as a FIFO conveyor: the attempts admitted
// in each step form a cohort (live and stale mass) served from the front at
// c/s(q) with s(q) = min(cap, S̄ + g·(q−c)⁺); a cohort's live mass not served
// within the establishment timeout turns stale (still served, wasted) and
// re-enters at the back through admission; a refused attempt asks again
// uniformly in [P/2, 3P/2]; reserve's booked attempts wait in a pool fed at
// its rate. The droplets that lapse in the outage and when they ask follow
// from the phases and TTLs (uniform): with the outage D = mP + δ, a
// droplet whose last check came u before it lapses when its TTL is shorter
// than (m+1)P (u < P−δ) or (m+2)P, and asks at its first check after the
// outage, all within one check interval. The fleet recovers with its
// slowest host: the fluid host carries the expected largest of the hosts'
// work, its lapsed count scaled by 1 + z_H·√((cv² + 1 − f)/(n·f)) (z_H the
// expected largest of H standard normals, f the lapsed share, n droplets a
// host, cv the work's coefficient of variation), and recovers when fewer
// than half a droplet is left unleased over the fleet. The fixed points:
// all leased (stable); the separatrix q* where a new attempt's sojourn
// q·s(q)/c + s(q) reaches the timeout; above it a queue that grows while the
// law admits more than the host serves, or, where the law's cap brings the
// two level at some q ≥ q*, a bounded collapse held there.
//
// Where variance decides, a DWFM prediction says so (Prediction.Outside):
// where the fluid host has no queue, the host's held attempts are followed
// as a quasi-stationary birth-death chain at the step's rates (Poisson
// arrivals, the law's admission in each state, exponential service); the
// refusals it makes that the fluid does not (a law with a small cap near
// capacity) each cost a recheck a check interval on, and where at least
// half a droplet over the fleet is expected to ask again past 1.15 × the
// predicted recovery the prediction is outside its 15% claim; where the
// chain admits attempts behind a queue past the separatrix (at least half
// a droplet's over the fleet) and a collapse exists, its verdict may
// differ.
//
// What the mean field ignores: variance (arrivals, service times and the
// paths they make are replaced by their means; near an edge a seed tips
// either way, which is why the validation states a margin around the
// predicted edge; a healthy state with a rare excursion past the separatrix
// is healthy here), the age of attempts in the generic model (a timeout
// probability is fixed by the queue at admission, and the clients' attempt
// counts are followed per class but not per client), deterministic delays
// other than the timeout (backoff and retry delays are first-order lags),
// each droplet's own work (its mean is used) and the hosts' differences
// beyond the extreme-value correction. Nothing is fitted: every input is a
// scenario or policy parameter.
//
// Inputs are validated as a scenario's: what the models cannot take (a
// netprop or nlb scenario, a dns-race trigger, two DWFM outages, a policy
// part without a fluid law, a chain out of range) is an error of one line
// starting "predict: " with the numbers.
//
// Non-goals: the cascade, netprop and nlb models; a fluid form for every
// control (those without one say so); replacing the simulator: a prediction
// is a second ruler and a starting point, never a verdict on its own.
//
// Everything is pure: time is an argument, nothing reads a clock or starts
// a goroutine, and the same inputs give the same outputs.
package predict
