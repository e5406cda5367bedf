// Package retry calls an operation until it succeeds, with capped exponential backoff and
// full jitter, honouring context cancellation.
package retry

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
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

// permanentError marks an error that must not be retried.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent wraps err so that Retry returns it at once instead of retrying. The mark survives
// further wrapping with %w. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
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
	random := p.Rand
	if random == nil {
		random = rand.Float64 // safe for concurrent use, unlike a shared *rand.Rand
	}
	var last error
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return stopped(err, last)
		}
		last = op(ctx)
		if last == nil {
			return nil
		}
		var perm *permanentError
		if errors.As(last, &perm) {
			return last
		}
		if p.MaxAttempts > 0 && attempt >= p.MaxAttempts {
			return fmt.Errorf("retry: giving up after %d attempts: %w", attempt, last)
		}

		// Full jitter: anywhere between no wait and the exponential ceiling.
		delay := time.Duration(random() * float64(ceiling(p, attempt)))
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return stopped(ctx.Err(), last)
		case <-timer.C:
		}
	}
}

// ceiling returns min(p.MaxDelay, p.BaseDelay·2^(retry-1)) without overflowing, however large
// retry gets.
func ceiling(p Policy, retry int) time.Duration {
	shift := retry - 1
	if shift >= 62 || p.BaseDelay > p.MaxDelay>>shift {
		return p.MaxDelay
	}
	return min(p.BaseDelay<<shift, p.MaxDelay)
}

// stopped builds the error for a context that ended: it wraps ctxErr and, if op ran, the last
// error op returned, so that errors.Is matches both.
func stopped(ctxErr, last error) error {
	if last == nil {
		return ctxErr
	}
	return fmt.Errorf("retry: %w (last error: %w)", ctxErr, last)
}
