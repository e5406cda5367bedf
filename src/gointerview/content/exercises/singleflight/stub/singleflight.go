// Package singleflight suppresses duplicate concurrent calls for the same key.
package singleflight

import "fmt"

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

// Group runs at most one fn per key at a time. The zero Group is ready to use.
type Group[K comparable, V any] struct {
	// TODO: your fields
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
	panic("TODO: implement Do")
}
