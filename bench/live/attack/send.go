package attack

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/aftershock/aftershock/bench/live/record"
	"github.com/aftershock/aftershock/bench/live/server"
)

// attackName is the attempt's vegeta attack name: record.First or
// record.Retry.
func attackName(a attempt) string {
	if a.first {
		return record.First
	}
	return record.Retry
}

// target is what the attempt sends.
func (r *run) target(a attempt) vegeta.Target {
	var tgt vegeta.Target
	if r.c.Targets != nil {
		r.c.Targets(a.droplet, &tgt)
	} else {
		tgt = vegeta.Target{Method: http.MethodPost, URL: r.c.Target + "/v1/lease?droplet=" + strconv.Itoa(a.droplet)}
		if a.held {
			tgt.URL += "&reserved=1"
		}
	}
	return tgt
}

// send makes one attempt (in a worker). An answer whose body could not be
// read whole (cut off, reset, timed out) is no answer: Code 0 and the error,
// as vegeta records it; a timeout is Code 0 with record.TimeoutPrefix.
func (r *run) send(ctx context.Context, a attempt) outcome {
	res := &vegeta.Result{Attack: attackName(a), Seq: a.seq, Timestamp: a.intended}
	o := outcome{a: a, res: res, queue: -1, retryAt: -1}
	tgt := r.target(a)
	res.Method, res.URL = tgt.Method, tgt.URL
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	var w wire
	ctx = httptrace.WithClientTrace(ctx, w.trace())
	req, err := request(ctx, &tgt, r.http.Header)
	if err == nil {
		res.BytesOut = uint64(len(tgt.Body))
		var resp *http.Response
		client := r.client
		if r.byHost != nil {
			client = r.byHost[r.set.Host(a.droplet)]
		}
		if resp, err = client.Do(req); err == nil {
			// Keep up to the capture of the body (vegeta's -max-body), read
			// and drop the rest: the connection is then reused. The attempt's
			// timeout bounds an answer without end.
			var rest int64
			res.Body, err = io.ReadAll(io.LimitReader(resp.Body, r.http.capture()))
			if err == nil {
				rest, err = io.Copy(io.Discard, resp.Body)
			}
			resp.Body.Close()
			res.BytesIn = uint64(int64(len(res.Body)) + rest)
			if err == nil {
				res.Code = uint16(resp.StatusCode)
				if q, qerr := strconv.ParseInt(resp.Header.Get(server.QueueHeader), 10, 64); qerr == nil {
					o.queue = q
				}
				if at, aerr := strconv.ParseFloat(resp.Header.Get(server.RetryAtHeader), 64); aerr == nil && at >= 0 && at < 1e9 {
					o.retryAt = time.Duration(at * float64(time.Second))
				}
				if res.Code < 200 || res.Code >= 400 {
					res.Error = resp.Status
				}
			}
		}
	}
	o.end = time.Now()
	o.sent = w.when(o.end)
	if err != nil {
		// Classify before stringifying: a timeout is Code 0, marked.
		res.Code = 0
		var ne net.Error
		if errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded || errors.As(err, &ne) && ne.Timeout() {
			res.Error = record.TimeoutPrefix + err.Error()
		} else {
			res.Error = err.Error()
		}
	}
	res.Latency = o.end.Sub(a.intended)
	return o
}

// wire notes when an attempt got a connection, or began to make one (the
// first of httptrace's GotConn and ConnectStart): until then its time is
// the attacker's own (a worker's, a connection from the pool, as
// --max-connections limits it), from then on the target's (its accept,
// handshake and answer).
type wire struct{ at atomic.Pointer[time.Time] }

func (w *wire) mark() {
	now := time.Now()
	w.at.CompareAndSwap(nil, &now)
}

func (w *wire) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GotConn:      func(httptrace.GotConnInfo) { w.mark() },
		ConnectStart: func(string, string) { w.mark() },
	}
}

// when is when the attempt reached the wire; end if it never did (it
// waited for a connection until it ended).
func (w *wire) when(end time.Time) time.Time {
	if at := w.at.Load(); at != nil {
		return *at
	}
	return end
}

// request is t as an HTTP request under ctx (vegeta's Target.Request, built
// with its context at once), with extra's headers after the target's own.
func request(ctx context.Context, t *vegeta.Target, extra http.Header) (*http.Request, error) {
	var body io.Reader = http.NoBody
	if len(t.Body) > 0 {
		body = bytes.NewReader(t.Body)
	}
	req, err := http.NewRequestWithContext(ctx, t.Method, t.URL, body)
	if err != nil {
		return nil, err
	}
	for k, vs := range t.Header {
		req.Header[k] = vs
	}
	for k, vs := range extra { // vegeta's -header: every request's, beside a target's own
		req.Header[k] = append(req.Header[k][:len(req.Header[k]):len(req.Header[k])], vs...)
	}
	if host := req.Header.Get("Host"); host != "" {
		req.Host = host
	}
	return req, nil
}
