// Package workerpool implements a fixed-size worker pool with a bounded queue, backpressure
// and cancellation.
package workerpool

import (
	"context"
	"errors"
)

// ErrClosed is returned by Submit once the pool has been closed or its context cancelled.
var ErrClosed = errors.New("workerpool: pool is closed")

// Pool runs submitted tasks on a fixed number of worker goroutines.
type Pool struct {
	// TODO: your fields
}

// New starts a pool of workers goroutines sharing a queue that holds up to queueSize tasks
// waiting for a worker (0 means Submit hands each task directly to an idle worker). Tasks
// run with ctx; cancelling ctx stops the pool. New panics if workers < 1 or queueSize < 0.
func New(ctx context.Context, workers, queueSize int) *Pool {
	panic("TODO: implement New")
}

// Submit queues task to be run by a worker with the pool's context. While the queue is
// full it blocks (backpressure) until there is room (nil), ctx is done (ctx.Err()), or the
// pool is closed or its context cancelled (ErrClosed). If ctx is already done, Submit
// returns ctx.Err() without queueing. It is safe to call from many goroutines.
func (p *Pool) Submit(ctx context.Context, task func(context.Context)) error {
	panic("TODO: implement Submit")
}

// Close stops accepting tasks (Submit returns ErrClosed, including calls blocked on a full
// queue), lets the tasks already queued run, and waits for every worker to exit. It is
// idempotent and safe to call concurrently: every call returns once the workers are gone.
func (p *Pool) Close() {
	panic("TODO: implement Close")
}

// Completed returns the number of tasks that have finished running so far.
func (p *Pool) Completed() int64 {
	panic("TODO: implement Completed")
}
