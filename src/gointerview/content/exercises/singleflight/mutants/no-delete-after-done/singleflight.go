// Package singleflight suppresses duplicate concurrent calls for the same key.
package singleflight

import (
	"fmt"
	"runtime/debug"
	"sync"
)

// PanicError is what Do panics with, in every caller of a flight, when fn panicked.
type PanicError struct {
	// Value is the value fn panicked with.
	Value any
	// Stack is the stack of the goroutine that ran fn, captured when the panic was recovered
	// (runtime/debug.Stack), so the original location is not lost when the panic is re-raised
	// in other goroutines. The tests do not check it.
	Stack []byte
}

func (p *PanicError) Error() string {
	return fmt.Sprintf("singleflight: fn panicked: %v\n\n%s", p.Value, p.Stack)
}

// call is one flight: a running or finished execution of fn for one key.
type call[V any] struct {
	done  chan struct{} // closed when val, err and panicked are final
	val   V
	err   error
	panic *PanicError // non-nil if fn panicked
	dups  int         // callers that joined this flight; guarded by Group.mu
}

// Group runs at most one fn per key at a time. The zero Group is ready to use.
type Group[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]*call[V] // flights in progress
}

// Do runs fn for key and returns its results. If a call for the same key is already in
// flight, Do waits for it and returns its results instead of running fn again. shared is
// true, for every caller of the flight including the one that ran fn, when more than one
// caller received the result. Once a flight has finished, the next Do for its key runs fn
// again: results are not cached.
//
// If fn panics, the key is forgotten and every caller of the flight panics with a
// *PanicError holding the panic value.
func (g *Group[K, V]) Do(key K, fn func() (V, error)) (v V, err error, shared bool) {
	g.mu.Lock()
	if g.m == nil {
		g.m = make(map[K]*call[V])
	}
	if c, ok := g.m[key]; ok {
		c.dups++
		g.mu.Unlock()
		// Wait on a channel, not on a lock held by the leader: other keys must not wait.
		<-c.done
		if c.panic != nil {
			panic(c.panic)
		}
		return c.val, c.err, true
	}
	c := &call[V]{done: make(chan struct{})}
	g.m[key] = c
	g.mu.Unlock()

	g.run(key, c, fn)

	if c.panic != nil {
		panic(c.panic)
	}
	g.mu.Lock() // (read under the lock: later callers still find this call and count in)
	shared = c.dups > 0
	g.mu.Unlock()
	return c.val, c.err, shared
}

// run executes fn and finishes the flight whatever happens: the deferred function wakes the
// waiters even if fn panics.
func (g *Group[K, V]) run(key K, c *call[V], fn func() (V, error)) {
	defer func() {
		if r := recover(); r != nil {
			c.panic = &PanicError{Value: r, Stack: debug.Stack()}
		}
		close(c.done) // publishes val, err and panic to the waiters
	}()
	c.val, c.err = fn()
}
