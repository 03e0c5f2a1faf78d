// Package httpmw puts an overload control of package throttle in front of
// any http.Handler: net/http middleware.
//
// A Middleware holds one control (any throttle.Admitter; nil admits
// everything) and wraps handlers with it (Wrap, a
// func(http.Handler) http.Handler). Per request it reads the control's
// clock once, at the edge (Options.Now: time.Now by default, a model clock
// in `loadgen serve`), and asks the control:
//   - an admission control (Admit): a refusal is answered at once with 429
//     Too Many Requests, or Options.Status (503 where a refusal means
//     overload), and the handler is not called;
//   - a reserving control (throttle.Reserver, as throttle.Reserve): a
//     refusal is answered 429 with the booking: Retry-After (wall seconds
//     until it falls due, rounded up) and RetryAtHeader, the booking's exact
//     instant; a client that comes back then and says it holds a booking
//     (by default: it sends RetryAtHeader back) redeems it and is let in.
//     By default the middleware keeps the bookings it handed out and not
//     yet saw redeemed, so a client redeems only an instant it was given,
//     once, within Options.BookingTTL after it fell due (redeemed never
//     exceeds booked); one that comes back early is told its booking again
//     (429, the same instant, nothing booked anew); an instant it never
//     handed out, or already redeemed, or a header that is no instant,
//     holds no booking (the request is booked as any other). With
//     Options.Held or FormatRetryAt the caller judges what comes back, and
//     the middleware keeps nothing;
//   - a control that learns from outcomes (throttle.Feedback: the
//     concurrency limits): an admitted request's latency and outcome are
//     reported when the handler returns (the clock read a second time): ok
//     unless it answered 5xx or 429 or its client gave up first (DefaultOK;
//     Options.OK replaces it), and a failure when it panicked (the panic
//     goes on up). The handler is given a writer that is an http.Flusher,
//     an http.Hijacker exactly when net/http's is (HTTP/1.x: websockets),
//     with the writer below through Unwrap (http.ResponseController). A
//     handler whose work outlives the request (queued work its client gave
//     up on) takes the report over with Later and makes it when the work
//     ends.
//
// The queue the control judges (Admit's queued: what queue-size reads) is,
// by default, the requests inside the wrapped handler now: admitted and not
// yet returned, with arrivals still being decided (a request is counted in
// as it arrives and out again if refused, so that arrivals at once never
// overshoot a hard limit on it). A handler that keeps its own queue says
// how long it is with Options.Queued.
//
// The control stays pure (it takes time as an argument: see package
// throttle); only the middleware reads a clock. Set swaps the control while
// serving (an operator's new throttle); a request reports to the control
// that admitted it.
//
// Metrics: decisions by outcome (admitted, refused, booked, redeemed), the
// requests inside the handler and, for a control with a limit (Limit()
// int), that limit, as Prometheus collectors (Register); the counts are kept
// whether or not they are registered (Counts).
//
// Cost: for an admission control (no Feedback) a request costs one clock
// read, the control's decision and two atomic adds, and allocates nothing
// beyond what net/http allocates for the bare handler; a control with
// Feedback adds a second clock read and a pooled ResponseWriter wrapper.
// BenchmarkOverhead measures both against the bare handler in the same run:
//
//	go test ./throttle/httpmw -run XXX -bench Overhead
//
// Concurrency: a Middleware is safe for concurrent use; so is the control
// it holds (every control of package throttle is).
package httpmw
