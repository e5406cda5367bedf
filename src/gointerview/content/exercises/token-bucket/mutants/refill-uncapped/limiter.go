// Package tokenbucket implements a token-bucket rate limiter.
package tokenbucket

import (
	"context"
	"math"
	"sync"
	"time"
)

// Limiter is a token bucket holding at most burst tokens and refilled continuously at rate
// tokens per second. It is safe for concurrent use.
type Limiter struct {
	mu     sync.Mutex
	rate   float64   // tokens added per second
	burst  float64   // capacity of the bucket
	tokens float64   // tokens in the bucket at time last (may be fractional)
	last   time.Time // when tokens was last brought up to date
}

// New returns a full bucket of burst tokens that refills at rate tokens per second.
// It panics unless rate > 0 and burst >= 1.
func New(rate float64, burst int) *Limiter {
	if !(rate > 0) || burst < 1 { // !(rate > 0) also rejects NaN
		panic("tokenbucket: rate must be > 0 and burst >= 1")
	}
	return &Limiter{rate: rate, burst: float64(burst), tokens: float64(burst), last: time.Now()}
}

// Allow takes one token and reports true if a whole token is available; otherwise it takes
// nothing and reports false.
func (l *Limiter) Allow() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.take(time.Now())
	return ok
}

// Wait takes one token, blocking until one is available. If ctx is done first (or already
// done on entry) it returns ctx.Err() and takes nothing.
func (l *Limiter) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for {
		l.mu.Lock()
		wait, ok := l.take(time.Now())
		l.mu.Unlock()
		if ok {
			return nil
		}
		// Sleep until the next token is due, without holding the lock. Another waiter may
		// take that token first; then we simply go round again. Nothing is reserved, so
		// giving up on ctx needs no refund.
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
	}
}

// take brings the bucket up to date with now and takes one token if a whole one is there.
// Otherwise it reports how long until one will be. l.mu must be held.
func (l *Limiter) take(now time.Time) (wait time.Duration, ok bool) {
	if elapsed := now.Sub(l.last); elapsed > 0 {
		l.tokens += elapsed.Seconds() * l.rate
		l.last = now
	}
	if l.tokens >= 1 {
		l.tokens--
		return 0, true
	}
	// Round up: a wait truncated to a few nanoseconds short would find the bucket still
	// (just) below one token. Clamp absurdly long waits instead of overflowing Duration.
	ns := math.Ceil((1 - l.tokens) / l.rate * float64(time.Second))
	if ns >= math.MaxInt64 {
		return time.Duration(math.MaxInt64), false
	}
	return time.Duration(ns), false
}
