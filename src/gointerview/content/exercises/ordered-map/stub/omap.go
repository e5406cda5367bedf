// Package orderedmap implements a map that remembers insertion order, with iterators.
package orderedmap

import "iter"

// Map is a map that iterates in insertion order. Like a built-in map it is not safe for
// concurrent use; the body of a range loop over it may Set and Delete.
type Map[K comparable, V any] struct {
	// TODO: your fields
}

// New returns an empty map.
func New[K comparable, V any]() *Map[K, V] {
	panic("TODO: implement New")
}

// Set stores value under key. A new key goes to the end of the order; an existing key
// keeps its place and gets the new value.
func (m *Map[K, V]) Set(key K, value V) {
	panic("TODO: implement Set")
}

// Get returns the value stored under key and whether it was there.
func (m *Map[K, V]) Get(key K) (V, bool) {
	panic("TODO: implement Get")
}

// Delete removes key and reports whether it was there.
func (m *Map[K, V]) Delete(key K) bool {
	panic("TODO: implement Delete")
}

// Len returns the number of keys.
func (m *Map[K, V]) Len() int {
	panic("TODO: implement Len")
}

// All yields the keys and values in insertion order.
func (m *Map[K, V]) All() iter.Seq2[K, V] {
	panic("TODO: implement All")
}

// Backward yields the keys and values in reverse insertion order.
func (m *Map[K, V]) Backward() iter.Seq2[K, V] {
	panic("TODO: implement Backward")
}

// Keys yields the keys in insertion order.
func (m *Map[K, V]) Keys() iter.Seq[K] {
	panic("TODO: implement Keys")
}
