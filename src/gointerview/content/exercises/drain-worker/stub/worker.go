// Package drain runs a background worker that stops gracefully: Stop stops accepting new
// items, lets the worker finish every item it already accepted, and waits for it to exit.
package drain

import (
	"context"
	"errors"
)

// ErrStopped is returned by Submit once Stop has begun.
var ErrStopped = errors.New("drain: worker stopped")

// Worker hands submitted items, in order, to one goroutine that calls handle on each.
type Worker[T any] struct {
	// TODO: your fields
}

// New starts the worker goroutine. queue is how many accepted items may wait for it; handle
// is called for each item, one at a time. It panics if queue < 0 or handle is nil.
func New[T any](queue int, handle func(context.Context, T)) *Worker[T] {
	panic("TODO: implement New")
}

// Submit hands item to the worker, blocking while the queue is full. It returns nil once
// the item is accepted, ErrStopped if Stop has begun (also for a Submit blocked at that
// moment), or ctx.Err() if ctx ends first; an item not accepted is never handled.
func (w *Worker[T]) Submit(ctx context.Context, item T) error {
	panic("TODO: implement Submit")
}

// Stop stops accepting items and waits until the worker has handled every accepted item
// and exited; then it returns nil. If ctx ends first, the worker is told to give up: the
// ctx passed to handle is cancelled, items not yet started are dropped, and Stop returns
// ctx.Err() once the worker goroutine has exited. Stop may be called more than once and
// from several goroutines.
func (w *Worker[T]) Stop(ctx context.Context) error {
	panic("TODO: implement Stop")
}
