// Package lru implements a fixed-capacity, concurrency-safe LRU cache.
package lru

import (
	"container/list"
)

type entry[K comparable, V any] struct {
	key   K
	value V
}

// Cache is a least-recently-used cache that is safe for concurrent use.
type Cache[K comparable, V any] struct {
	capacity int
	order    *list.List          // front = most recently used
	items    map[K]*list.Element // key -> element holding *entry
}

// New returns an empty cache holding at most capacity entries. It panics if capacity < 1.
func New[K comparable, V any](capacity int) *Cache[K, V] {
	if capacity < 1 {
		panic("lru: capacity must be at least 1")
	}
	return &Cache[K, V]{capacity: capacity, order: list.New(), items: make(map[K]*list.Element)}
}

// Get returns the value for key and marks it most recently used.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	el, ok := c.items[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*entry[K, V]).value, true
}

// Put inserts or updates key, marks it most recently used, and evicts the least recently
// used entry if the cache is over capacity.
func (c *Cache[K, V]) Put(key K, value V) {
	if el, ok := c.items[key]; ok {
		el.Value.(*entry[K, V]).value = value
		c.order.MoveToFront(el)
		return
	}
	c.items[key] = c.order.PushFront(&entry[K, V]{key: key, value: value})
	if c.order.Len() > c.capacity {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.items, oldest.Value.(*entry[K, V]).key)
	}
}

// Len returns the number of entries in the cache.
func (c *Cache[K, V]) Len() int {
	return c.order.Len()
}
