// Package batcher groups items into batches, flushed when a batch is full or has waited
// long enough.
package batcher

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrClosed is returned by Add once Close has been called.
var ErrClosed = errors.New("batcher: closed")

// Batcher collects items and hands them to flush in batches. One goroutine owns the
// current batch and calls flush, so flush calls never overlap and come in order.
type Batcher[T any] struct {
	maxSize int
	maxWait time.Duration
	flush   func([]T)

	items     chan T
	quit      chan struct{} // closed by the first Close
	done      chan struct{} // closed when the loop has flushed the last batch and exited
	closeOnce sync.Once
}

// New starts a batcher that calls flush with up to maxSize items: as soon as a batch holds
// maxSize items, or maxWait after the first item of a batch arrived, whichever comes
// first. It panics unless maxSize >= 1, maxWait > 0 and flush is not nil.
func New[T any](maxSize int, maxWait time.Duration, flush func([]T)) *Batcher[T] {
	if maxSize < 1 || maxWait <= 0 || flush == nil {
		panic("batcher: need maxSize >= 1, maxWait > 0 and a flush function")
	}
	b := &Batcher[T]{
		maxSize: maxSize,
		maxWait: maxWait,
		flush:   flush,
		items:   make(chan T),
		quit:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	go b.loop()
	return b
}

func (b *Batcher[T]) loop() {
	defer close(b.done)
	var batch []T
	timer := time.NewTimer(b.maxWait)
	timer.Stop()
	var due <-chan time.Time // nil (never ready) while the batch is empty
	send := func() {
		timer.Stop()
		due = nil
		b.flush(batch)
		batch = nil // flush may keep the slice: never write to it again
	}
	for {
		select {
		case item := <-b.items:
			if len(batch) == 0 {
				timer.Reset(b.maxWait) // the clock starts at a batch's first item
				due = timer.C
			}
			batch = append(batch, item)
			if len(batch) >= b.maxSize {
				send()
			}
		case <-due:
			send()
		case <-b.quit:
			if len(batch) > 0 {
				send()
			}
			timer.Stop()
			return
		}
	}
}

// Add hands item to the batcher. It blocks while the batcher is busy flushing
// (backpressure) until the item is taken (nil), ctx is done (ctx.Err()) or the batcher is
// closed (ErrClosed). If ctx is already done it returns ctx.Err() and adds nothing.
func (b *Batcher[T]) Add(ctx context.Context, item T) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case <-b.quit:
		return ErrClosed
	default:
	}
	select {
	case b.items <- item:
		return nil
	case <-b.quit:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close flushes the batch in progress, stops the batcher and returns once the last flush
// has returned. Later Adds return ErrClosed. Close is idempotent and safe to call
// concurrently.
func (b *Batcher[T]) Close() {
	b.closeOnce.Do(func() { close(b.quit) })
	<-b.done
}
