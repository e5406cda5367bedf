// Package tokenbucket implements a token-bucket rate limiter.
package tokenbucket

import "context"

// Limiter is a token bucket holding at most burst tokens and refilled continuously at rate
// tokens per second. It is safe for concurrent use.
type Limiter struct {
	// TODO: your fields
}

// New returns a full bucket of burst tokens that refills at rate tokens per second.
// It panics unless rate > 0 and burst >= 1.
func New(rate float64, burst int) *Limiter {
	panic("TODO: implement New")
}

// Allow takes one token and reports true if a whole token is available; otherwise it takes
// nothing and reports false.
func (l *Limiter) Allow() bool {
	panic("TODO: implement Allow")
}

// Wait takes one token, blocking until one is available. If ctx is done first (or already
// done on entry) it returns ctx.Err() and takes nothing.
func (l *Limiter) Wait(ctx context.Context) error {
	panic("TODO: implement Wait")
}
