// Package leakybucket implements a leaky-bucket limiter: callers queue in a bucket of
// bounded size and leave it one at a time at a constant rate, so bursts are smoothed out.
package leakybucket

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrFull is returned by Wait when capacity callers are already waiting.
var ErrFull = errors.New("leakybucket: bucket full")

// Limiter lets one caller through per interval, queueing at most capacity callers.
type Limiter struct {
	mu       sync.Mutex
	interval time.Duration
	capacity int
	next     time.Time // the earliest time the next admitted caller may leave
}

// New returns an empty bucket that lets one caller through per interval and holds at most
// capacity waiting callers. It panics if interval <= 0 or capacity < 1.
func New(interval time.Duration, capacity int) *Limiter {
	if interval <= 0 || capacity < 1 {
		panic("leakybucket: interval must be > 0 and capacity >= 1")
	}
	return &Limiter{interval: interval, capacity: capacity}
}

// Wait blocks until it is the caller's turn to leave the bucket and returns nil. It returns
// ErrFull at once if capacity callers are already waiting, and ctx.Err() if ctx is done
// first (or already on entry). A caller that gives up keeps its turn used.
func (l *Limiter) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := time.Now()
	l.mu.Lock()
	if l.next.Before(now) {
		l.next = now // an idle bucket saves nothing up: no burst after a quiet spell
	}
	at := l.next
	// Callers due after now are waiting; with this one there would be ceil((at-now)/interval).
	if at.Sub(now) > time.Duration(l.capacity)*l.interval {
		l.mu.Unlock()
		return ErrFull
	}
	l.next = at.Add(l.interval)
	l.mu.Unlock()

	wait := at.Sub(now)
	if wait <= 0 {
		return nil
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
