// Package ringbuf implements a bounded FIFO queue on a ring buffer, with blocking Put and Get.
package ringbuf

import (
	"context"
	"errors"
	"sync"
)

// ErrClosed is returned by Put after Close, and by Get once the buffer is closed and empty.
var ErrClosed = errors.New("ringbuf: closed")

// Buffer is a bounded first-in, first-out queue backed by a fixed-size ring. It is safe for
// concurrent use.
type Buffer[T any] struct {
	mu     sync.Mutex
	slots  []T
	head   int // index of the oldest element
	n      int // number of elements
	closed bool
	// changed is closed (and replaced) whenever an element is added or removed and on Close,
	// waking every blocked Put and Get to look again: a broadcast that, unlike sync.Cond,
	// can be selected on together with ctx.Done().
	changed chan struct{}
}

// New returns an empty buffer that holds at most capacity elements. It panics if
// capacity < 1.
func New[T any](capacity int) *Buffer[T] {
	if capacity < 1 {
		panic("ringbuf: capacity must be at least 1")
	}
	return &Buffer[T]{slots: make([]T, capacity), changed: make(chan struct{})}
}

// Put appends v, waiting while the buffer is full. It returns ErrClosed if the buffer is
// closed (before or while waiting; v is then not stored), or ctx.Err() if ctx is done while
// it waits (v not stored). A Put that can store v at once does so whatever the state of ctx.
func (b *Buffer[T]) Put(ctx context.Context, v T) error {
	b.mu.Lock()
	for {
		if b.closed {
			b.mu.Unlock()
			return ErrClosed
		}
		if b.n < len(b.slots) {
			b.slots[(b.head+b.n)%len(b.slots)] = v
			b.n++
			b.broadcast()
			b.mu.Unlock()
			return nil
		}
		if err := b.wait(ctx); err != nil {
			return err
		}
	}
}

// Get removes and returns the oldest element, waiting while the buffer is empty. After
// Close it still returns the elements left, then ErrClosed. If ctx is done while it waits it
// returns ctx.Err(). A Get that can take an element at once does so whatever the state of ctx.
func (b *Buffer[T]) Get(ctx context.Context) (T, error) {
	b.mu.Lock()
	for {
		if b.n > 0 {
			v := b.slots[b.head]
			var zero T
			b.slots[b.head] = zero // do not keep the value reachable from the ring
			b.head = (b.head + 1) % len(b.slots)
			b.n--
			b.broadcast()
			b.mu.Unlock()
			return v, nil
		}
		if b.closed {
			b.mu.Unlock()
			var zero T
			return zero, ErrClosed
		}
		if err := b.wait(ctx); err != nil {
			var zero T
			return zero, err
		}
	}
}

// wait releases b.mu, blocks until the next change or until ctx is done, and re-takes b.mu
// unless it returns an error.
func (b *Buffer[T]) wait(ctx context.Context) error {
	changed := b.changed
	b.mu.Unlock()
	select {
	case <-changed:
		b.mu.Lock()
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// broadcast wakes every waiter. b.mu must be held.
func (b *Buffer[T]) broadcast() {
	close(b.changed)
	b.changed = make(chan struct{})
}

// Close marks the buffer closed and wakes every blocked Put and Get. It is safe to call more
// than once.
func (b *Buffer[T]) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.closed {
		b.closed = true
		b.broadcast()
	}
}

// Len returns the number of elements in the buffer.
func (b *Buffer[T]) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.n
}

// Cap returns the buffer's capacity.
func (b *Buffer[T]) Cap() int {
	return len(b.slots)
}
