// Package retry calls an operation until it succeeds, with capped exponential backoff and
// full jitter, honouring context cancellation.
package retry

import (
	"context"
	"time"
)

// Policy says how often and how patiently to retry.
type Policy struct {
	// BaseDelay is the ceiling of the first backoff. Callers pass BaseDelay > 0.
	BaseDelay time.Duration
	// MaxDelay caps the ceiling of every backoff. Callers pass MaxDelay >= BaseDelay.
	MaxDelay time.Duration
	// MaxAttempts is the total number of calls of op, the first one included.
	// Zero or less means no limit: retry until success, a permanent error or ctx is done.
	MaxAttempts int
	// Rand returns a number in [0, 1). It is called exactly once per backoff, in order.
	// Nil means math/rand/v2's Float64.
	Rand func() float64
}

// Permanent wraps err so that Retry returns it at once instead of retrying. The mark survives
// further wrapping with %w. Permanent(nil) is nil.
func Permanent(err error) error {
	panic("TODO: implement Permanent")
}

// Retry calls op until it returns nil, returns a permanent error, has been called
// p.MaxAttempts times, or ctx is done. Between attempts it sleeps for a random delay in
// [0, min(MaxDelay, BaseDelay·2^(k-1))) before the k-th retry.
//
// It returns nil on success; op's error as is (it wraps the Permanent mark) for a permanent
// error; an error wrapping the last op error when the attempts run out; and, when ctx is done
// before an attempt or during a backoff, an error wrapping ctx.Err() and the last op error
// (just ctx.Err() if op was never called).
func Retry(ctx context.Context, p Policy, op func(context.Context) error) error {
	panic("TODO: implement Retry")
}
