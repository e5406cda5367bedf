// Package batcher groups items into batches, flushed when a batch is full or has waited
// long enough.
package batcher

import (
	"context"
	"errors"
	"time"
)

// ErrClosed is returned by Add once Close has been called.
var ErrClosed = errors.New("batcher: closed")

// Batcher collects items and hands them to flush in batches.
type Batcher[T any] struct {
	// TODO: your fields
}

// New starts a batcher that calls flush with up to maxSize items: as soon as a batch holds
// maxSize items, or maxWait after the first item of a batch arrived, whichever comes
// first. It panics unless maxSize >= 1, maxWait > 0 and flush is not nil.
func New[T any](maxSize int, maxWait time.Duration, flush func([]T)) *Batcher[T] {
	panic("TODO: implement New")
}

// Add hands item to the batcher. It blocks while the batcher is busy flushing
// (backpressure) until the item is taken (nil), ctx is done (ctx.Err()) or the batcher is
// closed (ErrClosed). If ctx is already done it returns ctx.Err() and adds nothing.
func (b *Batcher[T]) Add(ctx context.Context, item T) error {
	panic("TODO: implement Add")
}

// Close flushes the batch in progress, stops the batcher and returns once the last flush
// has returned. Later Adds return ErrClosed. Close is idempotent and safe to call
// concurrently.
func (b *Batcher[T]) Close() {
	panic("TODO: implement Close")
}
