// Package drain runs a background worker that stops gracefully: Stop stops accepting new
// items, lets the worker finish every item it already accepted, and waits for it to exit.
package drain

import (
	"context"
	"errors"
	"sync"
)

// ErrStopped is returned by Submit once Stop has begun.
var ErrStopped = errors.New("drain: worker stopped")

// Worker hands submitted items, in order, to one goroutine that calls handle on each.
type Worker[T any] struct {
	handle   func(context.Context, T)
	queue    chan T
	stopping chan struct{} // closed when Stop begins: no new items
	done     chan struct{} // closed when the worker goroutine has exited
	ctx      context.Context
	abandon  context.CancelFunc // hard stop, when Stop's ctx ends before the drain
	// Submits hold mu for reading while they may send on queue; Stop takes it for writing
	// before it closes queue, so no send can ever hit a closed channel.
	mu       sync.RWMutex
	stopOnce sync.Once
}

// New starts the worker goroutine. queue is how many accepted items may wait for it; handle
// is called for each item, one at a time. It panics if queue < 0 or handle is nil.
func New[T any](queue int, handle func(context.Context, T)) *Worker[T] {
	if queue < 0 || handle == nil {
		panic("drain: queue must be >= 0 and handle non-nil")
	}
	ctx, abandon := context.WithCancel(context.Background())
	w := &Worker[T]{
		handle:   handle,
		queue:    make(chan T, queue),
		stopping: make(chan struct{}),
		done:     make(chan struct{}),
		ctx:      ctx,
		abandon:  abandon,
	}
	go w.run()
	return w
}

func (w *Worker[T]) run() {
	defer close(w.done)
	for item := range w.queue { // ends once Stop closed queue and it is empty
		if w.ctx.Err() != nil {
			continue // abandoned: drop what is left
		}
		w.handle(w.ctx, item)
	}
}

// Submit hands item to the worker, blocking while the queue is full. It returns nil once
// the item is accepted, ErrStopped if Stop has begun (also for a Submit blocked at that
// moment), or ctx.Err() if ctx ends first; an item not accepted is never handled.
func (w *Worker[T]) Submit(ctx context.Context, item T) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	select {
	case <-w.stopping:
		return ErrStopped
	default:
	}
	select {
	case w.queue <- item:
		return nil
	case <-w.stopping:
		return ErrStopped
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Stop stops accepting items and waits until the worker has handled every accepted item
// and exited; then it returns nil. If ctx ends first, the worker is told to give up: the
// ctx passed to handle is cancelled, items not yet started are dropped, and Stop returns
// ctx.Err() once the worker goroutine has exited. Stop may be called more than once and
// from several goroutines.
func (w *Worker[T]) Stop(ctx context.Context) error {
	w.stopOnce.Do(func() {
		close(w.stopping) // wakes every Submit blocked on a full queue
		w.mu.Lock()       // waits for those Submits to leave
		close(w.queue)
		w.mu.Unlock()
	})
	select {
	case <-w.done: // already drained: nil even if ctx is done too
		return nil
	default:
	}
	select {
	case <-w.done:
		return nil
	case <-ctx.Done():
		w.abandon()
		<-w.done
		return ctx.Err()
	}
}
