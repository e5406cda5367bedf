// Package lockfree implements a lock-free (Treiber) stack.
package lockfree

import (
	"iter"
	"sync/atomic"
)

// node is one element of the linked list.
type node[T any] struct {
	// TODO: your fields
}

// Stack is a last-in, first-out stack that is safe for concurrent use without locks.
// The zero value is an empty stack ready to use.
type Stack[T any] struct {
	head atomic.Pointer[node[T]]
	// TODO: more fields if you need them
}

// Push puts v on top of the stack.
func (s *Stack[T]) Push(v T) {
	panic("TODO: implement Push")
}

// Pop removes the top element and returns it with true, or returns the zero value and
// false if the stack is empty.
func (s *Stack[T]) Pop() (T, bool) {
	panic("TODO: implement Pop")
}

// Peek returns the top element without removing it, or the zero value and false.
func (s *Stack[T]) Peek() (T, bool) {
	panic("TODO: implement Peek")
}

// Len returns the number of elements. While Push or Pop calls are in flight it may be off
// by the number of those calls; once they have returned it is exact.
func (s *Stack[T]) Len() int {
	panic("TODO: implement Len")
}

// All yields the elements from the top down, as they were when All's iteration began.
func (s *Stack[T]) All() iter.Seq[T] {
	panic("TODO: implement All")
}
