// Package workerpool implements a fixed-size worker pool with a bounded queue, backpressure
// and cancellation.
package workerpool

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// ErrClosed is returned by Submit once the pool has been closed or its context cancelled.
var ErrClosed = errors.New("workerpool: pool is closed")

// Pool runs submitted tasks on a fixed number of worker goroutines.
type Pool struct {
	ctx   context.Context // the pool's context: handed to every task, cancels the workers
	queue chan func(context.Context)

	// closing is closed by the first Close. It wakes Submit calls blocked on a full queue,
	// which must not be left sending on p.queue when it is closed.
	closing   chan struct{}
	closeOnce sync.Once

	// mu makes "check closed, then send on queue" atomic with respect to close(queue):
	// Submit holds it for reading while it may send, Close takes it for writing to close.
	mu     sync.RWMutex
	closed bool

	wg        sync.WaitGroup // the workers
	completed atomic.Int64   // tasks that have finished running
}

// New starts a pool of workers goroutines sharing a queue that holds up to queueSize tasks
// waiting for a worker (0 means Submit hands each task directly to an idle worker). Tasks
// run with ctx; cancelling ctx stops the pool. New panics if workers < 1 or queueSize < 0.
func New(ctx context.Context, workers, queueSize int) *Pool {
	if workers < 1 {
		panic("workerpool: workers must be at least 1")
	}
	if queueSize < 0 {
		panic("workerpool: queueSize must not be negative")
	}
	p := &Pool{
		ctx:     ctx,
		queue:   make(chan func(context.Context), queueSize),
		closing: make(chan struct{}),
	}
	p.wg.Add(workers)
	for range workers {
		go p.worker()
	}
	return p
}

// worker runs queued tasks until the queue is closed and drained (Close) or the pool's
// context is cancelled, whichever comes first.
func (p *Pool) worker() {
	defer p.wg.Done()
	for {
		select {
		case <-p.ctx.Done():
			return
		case task, ok := <-p.queue:
			if !ok {
				return // closed and drained
			}
			// select picks at random among ready cases: a worker may receive a task
			// after the pool was cancelled. Cancelled pools start no new task.
			if p.ctx.Err() != nil {
				return
			}
			task(p.ctx)
			p.completed.Add(1)
		}
	}
}

// Submit queues task to be run by a worker with the pool's context. While the queue is
// full it blocks (backpressure) until there is room (nil), ctx is done (ctx.Err()), or the
// pool is closed or its context cancelled (ErrClosed). If ctx is already done, Submit
// returns ctx.Err() without queueing. It is safe to call from many goroutines.
func (p *Pool) Submit(ctx context.Context, task func(context.Context)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed || p.ctx.Err() != nil {
		return ErrClosed
	}
	select {
	case p.queue <- task:
		return nil
	case <-p.closing:
		return ErrClosed
	case <-p.ctx.Done():
		return ErrClosed
	}
}

// Close stops accepting tasks (Submit returns ErrClosed, including calls blocked on a full
// queue), lets the tasks already queued run, and waits for every worker to exit. It is
// idempotent and safe to call concurrently: every call returns once the workers are gone.
func (p *Pool) Close() {
	p.closeOnce.Do(func() {
		close(p.closing) // wake blocked Submits first: they hold mu for reading
		p.mu.Lock()
		p.closed = true
		close(p.queue) // no Submit can be sending now
		p.mu.Unlock()
	})
	p.wg.Wait()
}

// Completed returns the number of tasks that have finished running so far.
func (p *Pool) Completed() int64 {
	return p.completed.Load()
}
