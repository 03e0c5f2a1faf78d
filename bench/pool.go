package bench

import "sync"

// pool is the one worker pool of the package: SweepFunc's runs and
// Boundary.Search's seeds go through it. It starts jobs in order, up to a
// number at a time, stops starting them at the first error (or when asked),
// and serializes the callbacks that report finished work, so a caller can
// write rows in order as they finish (SweepWriter).
type pool struct {
	mu    sync.Mutex
	first error
}

// failed reports whether a job has failed.
func (p *pool) failed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.first != nil
}

// locked calls f holding the pool's lock: one call at a time.
func (p *pool) locked(f func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f()
}

// run starts job(0) … job(n−1) in order, with up to parallel under way at
// once, each on its own goroutine, and waits for them. Once stop (if not
// nil) returns true, or a job has returned an error, no further job starts;
// the first error is returned.
func (p *pool) run(n, parallel int, stop func() bool, job func(i int) error) error {
	sem := make(chan struct{}, max(parallel, 1))
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		sem <- struct{}{}
		if (stop != nil && stop()) || p.failed() {
			<-sem
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := job(i); err != nil {
				p.locked(func() {
					if p.first == nil {
						p.first = err
					}
				})
			}
		}()
	}
	wg.Wait()
	return p.first
}
