// Package semaphore implements a weighted semaphore whose Acquire honours a context.
package semaphore

import (
	"context"
	"errors"
)

// ErrTooLarge is returned by Acquire when n is more than the semaphore's size: such a
// request could never be granted.
var ErrTooLarge = errors.New("semaphore: request larger than the semaphore")

// Weighted is a semaphore of a fixed size; each Acquire takes a weight n out of it.
// Waiters are served first come, first served.
type Weighted struct {
	// TODO: your fields
}

// New returns a semaphore of the given size. It panics if size < 1.
func New(size int64) *Weighted {
	panic("TODO: implement New")
}

// Acquire takes n, blocking until it is available or ctx is done. On success it returns
// nil; if ctx is done first (or already on entry) it returns ctx.Err() and holds nothing.
// It returns ErrTooLarge at once if n > size, and panics if n < 1.
func (s *Weighted) Acquire(ctx context.Context, n int64) error {
	panic("TODO: implement Acquire")
}

// TryAcquire takes n without blocking and reports whether it did. It fails while others
// are waiting, even if n would fit (they came first).
func (s *Weighted) TryAcquire(n int64) bool {
	panic("TODO: implement TryAcquire")
}

// Release gives back n. It panics if that is more than is held.
func (s *Weighted) Release(n int64) {
	panic("TODO: implement Release")
}
