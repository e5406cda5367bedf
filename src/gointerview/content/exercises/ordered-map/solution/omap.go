// Package orderedmap implements a map that remembers insertion order, with iterators.
package orderedmap

import "iter"

// node is one entry of the insertion-order list. A deleted node keeps its prev and next
// links, so an iterator standing on it can still move on; no live node links to it.
type node[K comparable, V any] struct {
	key        K
	value      V
	prev, next *node[K, V]
	deleted    bool
}

// Map is a map that iterates in insertion order. Like a built-in map it is not safe for
// concurrent use; the body of a range loop over it may Set and Delete.
type Map[K comparable, V any] struct {
	index      map[K]*node[K, V]
	head, tail *node[K, V]
}

// New returns an empty map.
func New[K comparable, V any]() *Map[K, V] {
	return &Map[K, V]{index: make(map[K]*node[K, V])}
}

// Set stores value under key. A new key goes to the end of the order; an existing key
// keeps its place and gets the new value.
func (m *Map[K, V]) Set(key K, value V) {
	if n, ok := m.index[key]; ok {
		n.value = value
		return
	}
	n := &node[K, V]{key: key, value: value, prev: m.tail}
	if m.tail != nil {
		m.tail.next = n
	} else {
		m.head = n
	}
	m.tail = n
	m.index[key] = n
}

// Get returns the value stored under key and whether it was there.
func (m *Map[K, V]) Get(key K) (V, bool) {
	if n, ok := m.index[key]; ok {
		return n.value, true
	}
	var zero V
	return zero, false
}

// Delete removes key and reports whether it was there.
func (m *Map[K, V]) Delete(key K) bool {
	n, ok := m.index[key]
	if !ok {
		return false
	}
	delete(m.index, key)
	if n.prev != nil {
		n.prev.next = n.next
	} else {
		m.head = n.next
	}
	if n.next != nil {
		n.next.prev = n.prev
	} else {
		m.tail = n.prev
	}
	// Keep n.prev and n.next: a range loop whose body deleted the key it stands on
	// continues from here.
	n.deleted = true
	return true
}

// Len returns the number of keys.
func (m *Map[K, V]) Len() int { return len(m.index) }

// All yields the keys and values in insertion order.
func (m *Map[K, V]) All() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		for n := m.head; n != nil; n = n.next {
			if n.deleted {
				continue // deleted by the loop body after the iterator reached it
			}
			if !yield(n.key, n.value) {
				return
			}
		}
	}
}

// Backward yields the keys and values in reverse insertion order.
func (m *Map[K, V]) Backward() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		for n := m.tail; n != nil; n = n.prev {
			if n.deleted {
				continue
			}
			if !yield(n.key, n.value) {
				return
			}
		}
	}
}

// Keys yields the keys in insertion order.
func (m *Map[K, V]) Keys() iter.Seq[K] {
	return func(yield func(K) bool) {
		for k := range m.All() {
			if !yield(k) {
				return
			}
		}
	}
}
