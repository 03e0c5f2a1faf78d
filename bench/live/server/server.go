package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/bench/live"
	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/throttle/httpmw"
)

// Defaults of the hard limits that bound the server's memory.
const (
	DefaultMaxQueued   = 1 << 20 // queued attempts across hosts (about 100 MB)
	DefaultMaxInFlight = 1 << 14 // lease requests being handled at once
)

// QueueHeader is the response header carrying the server's queue length at
// reply time: attempts queued across DWFM hosts, as the simulator's queue
// column counts them.
const QueueHeader = "X-Aftershock-Queue"

// RetryAtHeader carries, on a 429 from a reserving admission control
// (reserve), the model time (seconds since model time 0) at which the
// droplet's booking falls due: it asks again then with reserved=1 and is let
// in. Retry-After carries the same instant in wall seconds, rounded up.
const RetryAtHeader = "X-Aftershock-Retry-At"

// Config describes a server.
type Config struct {
	Setup *live.Setup
	// Clock maps wall to model time; a zero Start is the instant New runs.
	Clock       live.Clock
	MaxQueued   int // 0: DefaultMaxQueued
	MaxInFlight int // 0: DefaultMaxInFlight
}

// Stats are a server's counts so far.
type Stats struct {
	Leased, Refused, Outage, Full, Dropped, Failed int64 // answers: 200, 429, 503 (outage, hard limit, dropped by the discipline, work overlapped an outage)
	Abandoned                                      int64 // requests whose client gave up before the answer
	Worked, Wasted                                 int64 // attempts worked; those of them whose client had given up
	Queued                                         int64 // attempts queued now, across hosts
	Interventions                                  int64 // interventions applied (restarts, new throttles)
	// LiveRefused is the requests a live-only part (a library's middleware)
	// answered by itself, not letting them through to the host: none of
	// the answers above.
	LiveRefused int64
}

// Server is the DWFM model served over HTTP.
type Server struct {
	set         *live.Setup
	clock       live.Clock
	epoch       time.Time // the scenario's clock at model time 0, for admission controls
	hosts       []*host
	maxQ        int64
	sem         chan struct{}
	quit        chan struct{}
	closing     atomic.Bool
	stop        sync.Once
	wg          sync.WaitGroup
	mux         *http.ServeMux
	actMu       sync.Mutex // serializes interventions with Shutdown
	hsMu        sync.Mutex // guards httpSrv
	httpSrv     *http.Server
	registry    *prometheus.Registry
	acts        []*time.Timer // interventions due
	codes       *prometheus.CounterVec
	partAnswers *prometheus.CounterVec // a live-only part's own answers, by code
	work        *prometheus.CounterVec

	leased, refused, outage, full, dropped, failed, abandoned, worked, wasted, queued, restarts, partRefused atomic.Int64
}

// host is one DWFM host: a queue and its workers' shared state, and the
// handler that queues an attempt there behind the policy's admission.
type host struct {
	mu      sync.Mutex
	cond    sync.Cond
	q       backlog.Queue[*job]
	mw      *httpmw.Middleware // the admission control (package throttle), swapped by interventions
	handler http.Handler       // queue, behind mw, behind a live part's middleware if any
	busy    int
	draws   *live.Draws
	length  atomic.Int64  // q.Len(), readable without mu
	restart chan struct{} // closed by a restart: work in service is abandoned; replaced with a fresh one
	epoch   uint64        // restarts so far
}

// New builds a server and starts its workers; Shutdown ends them.
func New(c Config) (*Server, error) {
	if c.Setup == nil {
		return nil, fmt.Errorf("server: no setup")
	}
	if err := live.CheckScale(c.Clock.Scale); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	if c.MaxQueued < 0 || c.MaxInFlight < 0 {
		return nil, fmt.Errorf("server: max queued %d and max in flight %d must not be negative", c.MaxQueued, c.MaxInFlight)
	}
	if c.MaxQueued == 0 {
		c.MaxQueued = DefaultMaxQueued
	}
	if c.MaxInFlight == 0 {
		c.MaxInFlight = DefaultMaxInFlight
	}
	if c.Clock.Start.IsZero() {
		c.Clock.Start = time.Now()
	}
	set := c.Setup
	s := &Server{set: set, clock: c.Clock, epoch: set.Scenario.Start, maxQ: int64(c.MaxQueued),
		sem: make(chan struct{}, c.MaxInFlight), quit: make(chan struct{})}
	if s.epoch.IsZero() {
		s.epoch = time.Unix(0, 0).UTC()
	}
	s.hosts = make([]*host, set.Hosts())
	for i := range s.hosts {
		h := &host{draws: set.NewDraws(), restart: make(chan struct{})}
		h.cond.L = &h.mu
		q, err := backlog.New[*job](set.Hooks.Queue, func(j *job) { s.drop(h, j) })
		if err != nil {
			return nil, fmt.Errorf("server: %w", err)
		}
		h.q = q
		if err := s.admission(i, h); err != nil {
			return nil, err
		}
		s.hosts[i] = h
	}
	s.metrics()
	for i, h := range s.hosts {
		if err := h.mw.Register(s.registry, prometheus.Labels{"host": strconv.Itoa(i)}); err != nil {
			return nil, fmt.Errorf("server: host %d's metrics: %w", i, err)
		}
	}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("/v1/lease", s.lease)
	s.mux.HandleFunc("/v1/info", s.info)
	s.mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	s.mux.Handle("/metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}))
	for _, h := range s.hosts {
		for range set.Station.Workers {
			s.wg.Add(1)
			go s.worker(h)
		}
	}
	for _, iv := range set.Hooks.Interventions {
		s.acts = append(s.acts, time.AfterFunc(time.Until(s.clock.Wall(time.Duration(iv.At))), func() { s.act(iv) }))
	}
	return s, nil
}

// Handler is the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.mux }

// Clock is the server's clock.
func (s *Server) Clock() live.Clock { return s.clock }

// Serve accepts connections on l (HTTP/1.1 and h2c) until Shutdown; it
// returns http.ErrServerClosed after Shutdown, and closes l. A Server serves
// one listener.
func (s *Server) Serve(l net.Listener) error {
	s.hsMu.Lock()
	if s.closing.Load() || s.httpSrv != nil {
		twice := !s.closing.Load()
		s.hsMu.Unlock()
		l.Close()
		if twice {
			return fmt.Errorf("server: Serve called twice")
		}
		return http.ErrServerClosed
	}
	var p http.Protocols
	p.SetHTTP1(true)
	p.SetUnencryptedHTTP2(true)
	s.httpSrv = &http.Server{Handler: s.mux, ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 1 << 14,
		Protocols: &p, HTTP2: &http.HTTP2Config{MaxConcurrentStreams: 1000}}
	hs := s.httpSrv
	s.hsMu.Unlock()
	return hs.Serve(l)
}

// Shutdown stops the server: waiting requests are answered 503, workers
// end, and the HTTP server shuts down gracefully within ctx.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stop.Do(func() {
		for _, t := range s.acts {
			t.Stop()
		}
		s.actMu.Lock() // an intervention running now finishes first
		s.closing.Store(true)
		s.actMu.Unlock()
		close(s.quit)
		for _, h := range s.hosts {
			h.mu.Lock()
			h.cond.Broadcast()
			h.mu.Unlock()
		}
	})
	var err error
	s.hsMu.Lock()
	hs := s.httpSrv
	s.hsMu.Unlock()
	if hs != nil {
		err = hs.Shutdown(ctx)
	}
	s.wg.Wait()
	for _, h := range s.hosts {
		h.mu.Lock()
		h.q.Drain(func(j *job) { s.queued.Add(-1); j.answer(http.StatusServiceUnavailable) })
		h.length.Store(0)
		h.mu.Unlock()
	}
	return err
}

// Stats returns the server's counts so far.
func (s *Server) Stats() Stats {
	return Stats{Leased: s.leased.Load(), Refused: s.refused.Load(), Outage: s.outage.Load(), Full: s.full.Load(),
		Dropped: s.dropped.Load(), Failed: s.failed.Load(), Abandoned: s.abandoned.Load(),
		Worked: s.worked.Load(), Wasted: s.wasted.Load(), Queued: s.queued.Load(), Interventions: s.restarts.Load(),
		LiveRefused: s.partRefused.Load()}
}

func (s *Server) now() time.Duration { return s.clock.Model(time.Now()) }

// at is model time t on the scenario's clock, for admission controls.
func (s *Server) at(t time.Duration) time.Time { return s.epoch.Add(t) }

// admission puts host i's queue behind the policy's admission, one path
// for every control: package httpmw's middleware holding the host's
// control of package throttle (none: it admits everything), on the model's
// clock, judging the host's queue; outside it, a live-only part's
// middleware (a library's), if the policy has one.
func (s *Server) admission(i int, h *host) error {
	mw, err := httpmw.New(model.AdmitterFor(s.set.Hooks.Admit, i), httpmw.Options{
		Now:           func() time.Time { return s.at(s.now()) },
		Scale:         s.clock.Scale,
		Queued:        func(*http.Request) int { return int(h.length.Load()) },
		Held:          func(r *http.Request) bool { return r.URL.Query().Get("reserved") == "1" },
		RetryAtHeader: RetryAtHeader,
		FormatRetryAt: func(t time.Time) string { return strconv.FormatFloat(t.Sub(s.epoch).Seconds(), 'f', 6, 64) },
		Refused: func(w http.ResponseWriter, _ *http.Request) {
			s.refused.Add(1)
			s.codes.WithLabelValues("429").Inc()
			w.Header().Set(QueueHeader, strconv.FormatInt(s.queued.Load(), 10))
		},
	})
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	h.mw = mw
	h.handler = mw.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.queue(h, w, r) }))
	if wrap := s.set.Live.Server; wrap != nil {
		h.handler = s.withLivePart(wrap, i, h.handler)
	}
	return nil
}

// lease handles POST /v1/lease?droplet=ID: the request is checked, then
// answered at once during the dependency's outage or past the server's
// hard limits, else handed to its host's admission.
func (s *Server) lease(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.codes.WithLabelValues("405").Inc()
		http.Error(w, "server: POST only", http.StatusMethodNotAllowed)
		return
	}
	id, err := s.droplet(r)
	if err != nil {
		s.codes.WithLabelValues("400").Inc()
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h := s.hosts[s.set.Host(id)]
	select {
	case s.sem <- struct{}{}:
		defer func() { <-s.sem }()
	default:
		s.full.Add(1)
		s.reply(w, h, http.StatusServiceUnavailable, "too many requests in flight")
		return
	}
	now := s.now()
	if s.set.Down(now) {
		s.outage.Add(1)
		s.reply(w, h, http.StatusServiceUnavailable, "dependency outage")
		return
	}
	if s.queued.Load() >= s.maxQ {
		s.full.Add(1)
		s.reply(w, h, http.StatusServiceUnavailable, "queue full")
		return
	}
	h.handler.ServeHTTP(w, r)
}

// droplet is the request's droplet number.
func (s *Server) droplet(r *http.Request) (int, error) {
	v := r.URL.Query().Get("droplet")
	id, err := strconv.Atoi(v)
	if err != nil || id < 0 || id >= s.set.DWFM.Droplets {
		return 0, fmt.Errorf("server: droplet %q: want 0..%d", v, s.set.DWFM.Droplets-1)
	}
	return id, nil
}

// queue queues an admitted attempt at h and answers when its work is
// done. The admission control's report of how it ended (httpmw.Later) is
// made when the work leaves the host, not when the client gives up: an
// abandoned attempt still occupies a worker, as in the simulator.
func (s *Server) queue(h *host, w http.ResponseWriter, r *http.Request) {
	id, _ := s.droplet(r) // lease checked it
	now := s.now()
	j := &job{droplet: id, queued: now, done: make(chan int, 1), left: httpmw.Later(w)}
	h.mu.Lock()
	if s.closing.Load() {
		h.mu.Unlock()
		j.left.Done(false)
		s.reply(w, h, http.StatusServiceUnavailable, "shutting down")
		return
	}
	if !h.q.Push(stamp(now), j) {
		h.mu.Unlock()
		j.left.Done(false)
		s.refused.Add(1)
		s.reply(w, h, http.StatusTooManyRequests, "refused by the queue")
		return
	}
	s.queued.Add(1)
	h.length.Store(int64(h.q.Len()))
	h.cond.Signal()
	h.mu.Unlock()
	select {
	case code := <-j.done:
		s.reply(w, h, code, "")
	case <-r.Context().Done():
		j.gone.Store(true)
		s.abandoned.Add(1)
	case <-s.quit:
		j.gone.Store(true)
		s.reply(w, h, http.StatusServiceUnavailable, "shutting down")
	}
}

func (s *Server) reply(w http.ResponseWriter, h *host, code int, msg string) {
	w.Header().Set(QueueHeader, strconv.FormatInt(s.queued.Load(), 10))
	s.codes.WithLabelValues(strconv.Itoa(code)).Inc()
	if code == http.StatusOK {
		w.WriteHeader(code)
		return
	}
	if msg == "" {
		msg = http.StatusText(code)
	}
	http.Error(w, msg, code)
}

// Info is GET /v1/info's body.
type Info struct {
	Start     time.Time `json:"start"` // wall time of model time 0 (RFC 3339 with nanoseconds)
	TimeScale float64   `json:"time_scale"`
	Scenario  string    `json:"scenario"`
	Policy    string    `json:"policy"`
	Droplets  int       `json:"droplets"`
	Seed      uint64    `json:"seed"`
}

func (s *Server) info(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(Info{Start: s.clock.Start, TimeScale: s.clock.Scale, Scenario: s.set.Scenario.Name,
		Policy: s.set.Policy, Droplets: s.set.DWFM.Droplets, Seed: s.set.Seed})
}

// act runs an intervention at its model time: a restart drops every host's
// queue and the work in service (their clients get 503, as from a broken
// connection), and a new admission control replaces each host's.
func (s *Server) act(iv model.Intervention) {
	s.actMu.Lock()
	defer s.actMu.Unlock()
	if s.closing.Load() {
		return
	}
	for i, h := range s.hosts {
		h.mu.Lock()
		if iv.Restart {
			h.q.Drain(func(j *job) { s.drop(h, j) })
			h.length.Store(0)
			close(h.restart)
			h.restart = make(chan struct{})
			h.epoch++
		}
		if iv.Admit != nil {
			h.mw.Set(iv.Admit(i))
		}
		h.mu.Unlock()
	}
	s.restarts.Add(1)
}
