// Package lockfree implements a lock-free (Treiber) stack.
package lockfree

import (
	"iter"
	"sync/atomic"
)

// node is one element. A node is never modified once it has been published as the head,
// so readers that loaded it may follow next without any lock.
type node[T any] struct {
	value T
	next  *node[T]
}

// Stack is a last-in, first-out stack that is safe for concurrent use without locks.
// The zero value is an empty stack ready to use.
type Stack[T any] struct {
	head atomic.Pointer[node[T]]
	size atomic.Int64
}

// Push puts v on top of the stack.
func (s *Stack[T]) Push(v T) {
	n := &node[T]{value: v}
	for {
		old := s.head.Load()
		n.next = old // n is private until the CAS publishes it
		if s.head.CompareAndSwap(old, n) {
			s.size.Add(1)
			return
		}
	}
}

// Pop removes the top element and returns it with true, or returns the zero value and
// false if the stack is empty.
func (s *Stack[T]) Pop() (T, bool) {
	for {
		old := s.head.Load()
		if old == nil {
			var zero T
			return zero, false
		}
		// Go's garbage collector keeps old alive while we hold it, so a node cannot be freed
		// and reused under us: the ABA problem of manual memory management does not arise.
		if s.head.CompareAndSwap(old, old.next) {
			s.size.Add(-1)
			return old.value, true
		}
	}
}

// Peek returns the top element without removing it, or the zero value and false.
func (s *Stack[T]) Peek() (T, bool) {
	if n := s.head.Load(); n != nil {
		return n.value, true
	}
	var zero T
	return zero, false
}

// Len returns the number of elements. While Push or Pop calls are in flight it may be off
// by the number of those calls; once they have returned it is exact.
func (s *Stack[T]) Len() int {
	return int(s.size.Load())
}

// All yields the elements from the top down, as they were when All's iteration began
// (a snapshot: later Push and Pop calls do not affect an iteration in progress).
func (s *Stack[T]) All() iter.Seq[T] {
	return func(yield func(T) bool) {
		for n := s.head.Load(); n != nil; n = n.next {
			if !yield(n.value) {
				return
			}
		}
	}
}
