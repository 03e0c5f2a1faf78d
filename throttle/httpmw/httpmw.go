package httpmw

import (
	"bufio"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aftershock/aftershock/throttle"
)

// RetryAtHeader is the header that carries, on a refusal by a reserving
// control, the instant its booking falls due (RFC 3339 with nanoseconds, on
// the control's clock, unless Options.FormatRetryAt says otherwise). A
// client that sends it back is taken to hold that booking (Options.Held).
const RetryAtHeader = "X-Retry-At"

// Options configure a Middleware; the zero Options are the defaults.
type Options struct {
	// Now is the control's clock, read once when a request arrives (and
	// once more when an admitted request of a control with feedback ends);
	// nil: time.Now.
	Now func() time.Time
	// Scale is the control's seconds per wall second (a model clock running
	// Scale times faster than the wall), for Retry-After; 0: 1.
	Scale float64
	// Queued is the queue the control judges for request r; nil: the
	// requests inside the wrapped handler now, and those arriving before r
	// still being decided.
	Queued func(r *http.Request) int
	// Status answers a refusal; 0: 429 Too Many Requests. 503 Service
	// Unavailable where a refusal means the service is overloaded.
	Status int
	// Held reports whether r comes back holding a booking (a reserving
	// control then redeems it); nil: r carries the retry-at header. When
	// FormatRetryAt is nil too, the header must be an instant the
	// middleware booked and has not seen redeemed (BookingTTL): one that
	// comes back before it is told its booking again.
	Held func(r *http.Request) bool
	// BookingTTL is how long after a booking falls due it may still be
	// redeemed, on the control's clock, where the middleware keeps its
	// bookings (Held and FormatRetryAt nil); 0: one wall minute (Scale
	// minutes).
	BookingTTL time.Duration
	// RetryAtHeader names the header of a booking's instant; "":
	// RetryAtHeader.
	RetryAtHeader string
	// FormatRetryAt writes a booking's instant; nil: RFC 3339 with
	// nanoseconds, in UTC.
	FormatRetryAt func(time.Time) string
	// OK tells whether an admitted request ended well, for a control with
	// feedback; status is what the handler answered (200 if it wrote
	// nothing); nil: DefaultOK.
	OK func(status int, r *http.Request) bool
	// Refused, when set, is called on every refusal before it is written
	// (to set a header, to count it).
	Refused func(w http.ResponseWriter, r *http.Request)
}

// DefaultOK is a request that ended well: its client still waited for it
// and it was answered neither 5xx nor 429.
func DefaultOK(status int, r *http.Request) bool {
	return status < 500 && status != http.StatusTooManyRequests && r.Context().Err() == nil
}

// Middleware puts a control in front of handlers; see the package doc.
type Middleware struct {
	o      Options
	now    func() time.Time
	header string // canonical retry-at header
	ctl    atomic.Pointer[control]
	inside atomic.Int64 // requests inside the handlers now
	// decisions by outcome
	admitted, refused, booked, redeemed atomic.Int64
	pool                                sync.Pool // *hijacker
	ledger                              *ledger   // the bookings out; nil: Options.Held or FormatRetryAt judges them
}

// control is a control and what the middleware asks of it, resolved once.
type control struct {
	adm   throttle.Admitter
	fb    throttle.Feedback // nil: learns nothing
	res   throttle.Reserver // nil: books nothing
	limit func() int        // nil: no limit to report
}

func resolve(c throttle.Admitter) *control {
	if c == nil {
		c = throttle.AdmitAll{}
	}
	k := &control{adm: c}
	k.fb, _ = c.(throttle.Feedback)
	k.res, _ = c.(throttle.Reserver)
	if l, ok := c.(interface{ Limit() int }); ok {
		k.limit = l.Limit
	}
	return k
}

// New returns a middleware holding c (nil: admit everything), or the first
// option out of range.
func New(c throttle.Admitter, o Options) (*Middleware, error) {
	switch {
	case o.Scale < 0 || math.IsNaN(o.Scale) || math.IsInf(o.Scale, 0):
		return nil, fmt.Errorf("httpmw: scale %v must be above 0 and finite (0: 1)", o.Scale)
	case o.Status != 0 && (o.Status < 400 || o.Status > 599):
		return nil, fmt.Errorf("httpmw: status %d is not an error status (400..599)", o.Status)
	case o.BookingTTL < 0:
		return nil, fmt.Errorf("httpmw: booking TTL %v below 0 (0: a wall minute)", o.BookingTTL)
	}
	if o.Scale == 0 {
		o.Scale = 1
	}
	if o.Status == 0 {
		o.Status = http.StatusTooManyRequests
	}
	if o.RetryAtHeader == "" {
		o.RetryAtHeader = RetryAtHeader
	}
	if o.OK == nil {
		o.OK = DefaultOK
	}
	m := &Middleware{o: o, now: o.Now, header: http.CanonicalHeaderKey(o.RetryAtHeader)}
	if m.now == nil {
		m.now = time.Now
	}
	if o.Held == nil && o.FormatRetryAt == nil {
		ttl := o.BookingTTL
		if ttl == 0 {
			ttl = time.Duration(min(float64(time.Minute)*o.Scale, math.MaxInt64))
		}
		m.ledger = newLedger(ttl)
	}
	m.pool.New = func() any { return new(hijacker) }
	m.ctl.Store(resolve(c))
	return m, nil
}

// Set replaces the control (nil: admit everything). Requests already
// admitted report to the control that admitted them.
func (m *Middleware) Set(c throttle.Admitter) { m.ctl.Store(resolve(c)) }

// Control is the control in force.
func (m *Middleware) Control() throttle.Admitter { return m.ctl.Load().adm }

// Inside is the number of requests inside the wrapped handlers now (with,
// for the instant of their decision, arrivals being decided).
func (m *Middleware) Inside() int { return int(m.inside.Load()) }

// Counts are a middleware's decisions so far, by outcome: requests
// admitted, admitted redeeming a booking, refused, and refused with a
// booking (each request counted once).
type Counts struct {
	Admitted, Redeemed, Refused, Booked int64
}

// Counts returns the decisions so far.
func (m *Middleware) Counts() Counts {
	return Counts{Admitted: m.admitted.Load(), Refused: m.refused.Load(), Booked: m.booked.Load(), Redeemed: m.redeemed.Load()}
}

// Wrap returns next behind the control.
func (m *Middleware) Wrap(next http.Handler) http.Handler { return &handler{m: m, next: next} }

type handler struct {
	m    *Middleware
	next http.Handler
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m := h.m
	c := m.ctl.Load()
	now := m.now()
	// The default queue counts this request in before the decision, so that
	// arrivals at once are each judged with those before them counted (a
	// hard limit is never overshot); a refusal takes it out again.
	var q int
	counted := m.o.Queued == nil
	if counted {
		q = int(m.inside.Add(1)) - 1
	} else {
		q = m.o.Queued(r)
	}
	var ok, redeem, retold, held bool
	var at, due time.Time
	if c.res != nil {
		due, held = m.holding(r, now)
	}
	switch {
	case c.res == nil:
		ok = c.adm.Admit(now, q)
	case held && due.After(now):
		at, retold = due, true // early: its booking again, nothing booked anew
	case held:
		redeem = true
		ok, at = c.res.Redeem(now, q)
	default:
		ok, at = c.res.Reserve(now, q)
	}
	if !ok {
		if counted {
			m.inside.Add(-1)
		}
		if m.ledger != nil && !at.IsZero() && !retold {
			m.ledger.add(at, now)
		}
		m.refuse(w, r, now, at)
		return
	}
	if redeem {
		m.redeemed.Add(1)
	} else {
		m.admitted.Add(1)
	}
	if !counted {
		m.inside.Add(1)
	}
	defer m.inside.Add(-1)
	if c.fb == nil {
		h.next.ServeHTTP(w, r)
		return
	}
	hj := m.pool.Get().(*hijacker)
	rec := &hj.recorder
	rec.ResponseWriter, rec.m, rec.fb, rec.start = w, m, c.fb, now
	rec.status, rec.wrote, rec.later = http.StatusOK, false, false
	rec.done.Store(false)
	returned := false
	defer func() {
		switch {
		case !returned:
			rec.report(false) // it panicked: no answer (the panic goes on up)
		case !rec.later:
			rec.report(m.o.OK(rec.status, r))
		}
		if !rec.later {
			rec.ResponseWriter, rec.fb = nil, nil
			m.pool.Put(hj)
		}
	}()
	var rw http.ResponseWriter = rec
	if _, ok := w.(http.Hijacker); ok {
		rw = hj // the handler's writer can hijack exactly when w can
	}
	h.next.ServeHTTP(rw, r)
	returned = true
}

// holding reports whether r comes back holding a booking, and its instant
// when the middleware can read it (zero otherwise): Options.Held's word;
// else any retry-at header in a format of the caller's; else a booking in
// the ledger, one still ahead (told again) or one due now, used up.
func (m *Middleware) holding(r *http.Request, now time.Time) (time.Time, bool) {
	switch v := r.Header[m.header]; {
	case m.o.Held != nil:
		return time.Time{}, m.o.Held(r)
	case len(v) == 0:
		return time.Time{}, false
	case m.ledger == nil:
		return time.Time{}, true
	default:
		at, err := time.Parse(time.RFC3339Nano, v[0])
		switch {
		case err != nil:
			return time.Time{}, false
		case at.After(now):
			return at, m.ledger.holds(at)
		}
		return at, m.ledger.take(at, now)
	}
}

// refuse answers a refusal: the status, and a booking's instant if there
// is one.
func (m *Middleware) refuse(w http.ResponseWriter, r *http.Request, now, at time.Time) {
	if m.o.Refused != nil {
		m.o.Refused(w, r)
	}
	status := m.o.Status
	if at.IsZero() {
		m.refused.Add(1)
	} else {
		m.booked.Add(1)
		status = http.StatusTooManyRequests
		h := w.Header()
		if m.o.FormatRetryAt != nil {
			h.Set(m.header, m.o.FormatRetryAt(at))
		} else {
			h.Set(m.header, at.UTC().Format(time.RFC3339Nano))
		}
		h.Set("Retry-After", strconv.FormatInt(retryAfter(at.Sub(now), m.o.Scale), 10))
	}
	http.Error(w, "httpmw: refused by admission control", status)
}

// maxRetryAfter bounds Retry-After, in seconds (about 317 years), so that
// a booking far ahead on a slow clock never overflows.
const maxRetryAfter = 1e10

// retryAfter is d on the control's clock in whole wall seconds, rounded up:
// in nanoseconds (exact integers), so that a division by the
// scale inexact in floating point (2.1 s at 0.3) does not add a second;
// 1 at least for a booking still ahead.
func retryAfter(d time.Duration, scale float64) int64 {
	if d <= 0 {
		return 0
	}
	ns := max(1, float64(d)/scale)
	return int64(min(math.Ceil(ns/1e9), maxRetryAfter))
}

// recorder notes the status a handler answered, for a control with
// feedback; it is the Report a handler takes with Later.
type recorder struct {
	http.ResponseWriter
	m      *Middleware
	fb     throttle.Feedback
	start  time.Time
	status int
	wrote  bool
	later  bool        // the handler took the report over (Later)
	done   atomic.Bool // reported
}

func (rec *recorder) WriteHeader(code int) {
	if !rec.wrote && code >= 200 {
		rec.status, rec.wrote = code, true
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(b []byte) (int, error) {
	rec.wrote = true
	return rec.ResponseWriter.Write(b)
}

// Flush passes a flush on (http.Flusher), if the writer below can.
func (rec *recorder) Flush() {
	rec.wrote = true
	if f, ok := rec.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// hijacker is a recorder over a writer that is an http.Hijacker
// (HTTP/1.x: websockets), and is one itself; the handler of a writer that
// is not (HTTP/2) gets the recorder inside, which is not either.
type hijacker struct{ recorder }

// Hijack passes a hijack on.
func (hj *hijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj.wrote = true
	return hj.ResponseWriter.(http.Hijacker).Hijack()
}

// Unwrap is the writer below, for http.ResponseController.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

func (rec *recorder) report(ok bool) {
	if rec.done.CompareAndSwap(false, true) {
		now := rec.m.now()
		rec.fb.Done(now, now.Sub(rec.start), ok)
	}
}

// Report is an admitted request's outcome that its handler reports itself
// (Later), when its work ends.
type Report struct{ rec *recorder }

// Done reports the request's outcome to the control that admitted it: its
// latency runs from admission to now, on the control's clock. Only the
// first call counts; a nil Report does nothing.
func (p *Report) Done(ok bool) {
	if p != nil {
		p.rec.report(ok)
	}
}

// Later takes over, for the handler that w was given to, the report of how
// its request ended: the middleware then reports nothing when the handler
// returns, and the handler calls Done on the Report when the work ends
// (work queued for a client that gave up still occupies the service until
// a worker is done with it). It returns nil, and Done then does nothing,
// when the control learns nothing from outcomes or w does not come from a
// Middleware (looked for through Unwrap). Call it from the handler,
// before it returns.
func Later(w http.ResponseWriter) *Report {
	for w != nil {
		var rec *recorder
		switch t := w.(type) {
		case *recorder:
			rec = t
		case *hijacker:
			rec = &t.recorder
		}
		if rec != nil {
			rec.later = true
			return &Report{rec: rec}
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return nil
		}
		w = u.Unwrap()
	}
	return nil
}
