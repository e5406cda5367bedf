// Package leakfix holds two helpers from a service whose goroutine count keeps growing in
// production. Both leak goroutines. Fix them without changing the API or the documented
// behaviour.
package leakfix

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Poller calls fn every interval in a background goroutine, between Start and Stop.
// Start and Stop may be called from many goroutines at once.
type Poller struct {
	interval time.Duration
	fn       func()

	mu      sync.Mutex
	running bool
	stop    chan struct{} // Stop closes it to end the loop
	exited  chan struct{} // closed by the loop goroutine when it returns
}

// NewPoller returns a stopped poller. It panics if interval <= 0.
func NewPoller(interval time.Duration, fn func()) *Poller {
	if interval <= 0 {
		panic("leakfix: interval must be positive")
	}
	return &Poller{interval: interval, fn: fn}
}

// Start starts calling fn every interval, the first call one interval after Start. Calling
// Start on a running poller does nothing. A stopped poller can be started again.
func (p *Poller) Start() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.running {
		return
	}
	p.running = true
	// Fresh channels per run: a closed channel cannot be reopened, and the loop of this run
	// only ever sees its own pair.
	p.stop = make(chan struct{})
	p.exited = make(chan struct{})
	go p.loop(p.stop, p.exited)
}

func (p *Poller) loop(stop <-chan struct{}, exited chan<- struct{}) {
	defer close(exited)
	// time.Tick has no way to be stopped, and `for range` over it never ends. A Ticker can
	// be stopped, and the select gives the loop a way out.
	t := time.NewTicker(p.interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			p.fn()
		case <-stop:
			return
		}
	}
}

// Stop stops the poller. When Stop returns, the background goroutine has exited: fn is not
// running and will not be called again. Calling Stop on a poller that is not running does
// nothing.
func (p *Poller) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running = false
	close(p.stop)
	<-p.exited // wait for the loop (and a call of fn in progress) to finish
}

// Backend answers a query; it should give up when ctx is done.
type Backend func(ctx context.Context) (string, error)

// ErrNoBackends is returned by FirstResponse when it is given no backends.
var ErrNoBackends = errors.New("leakfix: no backends")

type result struct {
	val string
	err error
}

// FirstResponse sends the same query to every backend at once (each in its own goroutine)
// and returns the first successful answer. When it returns, the backends still running are
// no longer needed: the context they were given is cancelled. If every backend fails, it
// returns errors.Join of their errors. If ctx is done first, it returns ctx.Err() at once,
// without waiting for the backends.
func FirstResponse(ctx context.Context, backends ...Backend) (string, error) {
	if len(backends) == 0 {
		return "", ErrNoBackends
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // tell the backends still running that nobody wants their answer
	// One slot per backend: every goroutine can deliver its result and exit even after
	// FirstResponse has returned and nobody reads the channel any more.
	results := make(chan result, len(backends))
	for _, b := range backends {
		go func() {
			v, err := b(ctx)
			results <- result{v, err}
		}()
	}
	var errs []error
	for range backends {
		select {
		case r := <-results:
			if r.err == nil {
				return r.val, nil
			}
			errs = append(errs, r.err)
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	return "", errors.Join(errs...)
}
