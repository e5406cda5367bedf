// Package leakybucket implements a leaky-bucket limiter: callers queue in a bucket of
// bounded size and leave it one at a time at a constant rate, so bursts are smoothed out.
package leakybucket

import (
	"context"
	"errors"
	"time"
)

// ErrFull is returned by Wait when capacity callers are already waiting.
var ErrFull = errors.New("leakybucket: bucket full")

// Limiter lets one caller through per interval, queueing at most capacity callers.
type Limiter struct {
	// TODO: your fields
}

// New returns an empty bucket that lets one caller through per interval and holds at most
// capacity waiting callers. It panics if interval <= 0 or capacity < 1.
func New(interval time.Duration, capacity int) *Limiter {
	panic("TODO: implement New")
}

// Wait blocks until it is the caller's turn to leave the bucket and returns nil. It returns
// ErrFull at once if capacity callers are already waiting, and ctx.Err() if ctx is done
// first (or already on entry). A caller that gives up keeps its turn used.
func (l *Limiter) Wait(ctx context.Context) error {
	panic("TODO: implement Wait")
}
