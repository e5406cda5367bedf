// Package ringbuf implements a bounded FIFO queue on a ring buffer, with blocking Put and Get.
package ringbuf

import (
	"context"
	"errors"
)

// ErrClosed is returned by Put after Close, and by Get once the buffer is closed and empty.
var ErrClosed = errors.New("ringbuf: closed")

// Buffer is a bounded first-in, first-out queue backed by a fixed-size ring. It is safe for
// concurrent use.
type Buffer[T any] struct {
	// TODO: your fields
}

// New returns an empty buffer that holds at most capacity elements. It panics if
// capacity < 1.
func New[T any](capacity int) *Buffer[T] {
	panic("TODO: implement New")
}

// Put appends v, waiting while the buffer is full. It returns ErrClosed if the buffer is
// closed (before or while waiting; v is then not stored), or ctx.Err() if ctx is done while
// it waits (v not stored). A Put that can store v at once does so whatever the state of ctx.
func (b *Buffer[T]) Put(ctx context.Context, v T) error {
	panic("TODO: implement Put")
}

// Get removes and returns the oldest element, waiting while the buffer is empty. After
// Close it still returns the elements left, then ErrClosed. If ctx is done while it waits it
// returns ctx.Err(). A Get that can take an element at once does so whatever the state of ctx.
func (b *Buffer[T]) Get(ctx context.Context) (T, error) {
	panic("TODO: implement Get")
}

// Close marks the buffer closed and wakes every blocked Put and Get. It is safe to call more
// than once.
func (b *Buffer[T]) Close() {
	panic("TODO: implement Close")
}

// Len returns the number of elements in the buffer.
func (b *Buffer[T]) Len() int {
	panic("TODO: implement Len")
}

// Cap returns the buffer's capacity.
func (b *Buffer[T]) Cap() int {
	panic("TODO: implement Cap")
}
