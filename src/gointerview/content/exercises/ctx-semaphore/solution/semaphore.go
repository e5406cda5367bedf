// Package semaphore implements a weighted semaphore whose Acquire honours a context.
package semaphore

import (
	"container/list"
	"context"
	"errors"
	"sync"
)

// ErrTooLarge is returned by Acquire when n is more than the semaphore's size: such a
// request could never be granted.
var ErrTooLarge = errors.New("semaphore: request larger than the semaphore")

type waiter struct {
	n     int64
	ready chan struct{} // closed when the waiter has been granted its n
}

// Weighted is a semaphore of a fixed size; each Acquire takes a weight n out of it.
// Waiters are served first come, first served.
type Weighted struct {
	size    int64
	mu      sync.Mutex
	cur     int64     // held now
	waiters list.List // of waiter, in arrival order
}

// New returns a semaphore of the given size. It panics if size < 1.
func New(size int64) *Weighted {
	if size < 1 {
		panic("semaphore: size must be at least 1")
	}
	return &Weighted{size: size}
}

// Acquire takes n, blocking until it is available or ctx is done. On success it returns
// nil; if ctx is done first (or already on entry) it returns ctx.Err() and holds nothing.
// It returns ErrTooLarge at once if n > size, and panics if n < 1.
func (s *Weighted) Acquire(ctx context.Context, n int64) error {
	if n < 1 {
		panic("semaphore: Acquire needs n >= 1")
	}
	if n > s.size {
		return ErrTooLarge
	}
	done := ctx.Done()
	select {
	case <-done:
		return ctx.Err()
	default:
	}
	s.mu.Lock()
	if s.size-s.cur >= n && s.waiters.Len() == 0 {
		s.cur += n
		s.mu.Unlock()
		return nil
	}
	ready := make(chan struct{})
	elem := s.waiters.PushBack(waiter{n: n, ready: ready})
	s.mu.Unlock()

	select {
	case <-ready:
		return nil
	case <-done:
		s.mu.Lock()
		defer s.mu.Unlock()
		select {
		case <-ready:
			// Granted just as ctx ended: give it back, and let the next waiters have it.
			s.cur -= n
		default:
			s.waiters.Remove(elem)
		}
		// A waiter that gave up may have been the one blocking those behind it.
		s.notifyWaiters()
		return ctx.Err()
	}
}

// TryAcquire takes n without blocking and reports whether it did. It fails while others
// are waiting, even if n would fit (they came first).
func (s *Weighted) TryAcquire(n int64) bool {
	if n < 1 {
		panic("semaphore: TryAcquire needs n >= 1")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.size-s.cur >= n && s.waiters.Len() == 0 {
		s.cur += n
		return true
	}
	return false
}

// Release gives back n. It panics if that is more than is held.
func (s *Weighted) Release(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n < 1 || n > s.cur {
		panic("semaphore: released more than held")
	}
	s.cur -= n
	s.notifyWaiters()
}

// notifyWaiters grants waiters in arrival order while they fit. It stops at the first one
// that does not fit, even if a later, smaller one would: otherwise a stream of small
// requests could starve a large one. s.mu must be held.
func (s *Weighted) notifyWaiters() {
	for {
		front := s.waiters.Front()
		if front == nil {
			return
		}
		w := front.Value.(waiter)
		if s.size-s.cur < w.n {
			return
		}
		s.cur += w.n
		s.waiters.Remove(front)
		close(w.ready)
	}
}
