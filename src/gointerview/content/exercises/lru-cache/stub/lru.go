// Package lru implements a fixed-capacity, concurrency-safe LRU cache.
package lru

// Cache is a least-recently-used cache that is safe for concurrent use.
type Cache[K comparable, V any] struct {
	// TODO: your fields
}

// New returns an empty cache holding at most capacity entries. It panics if capacity < 1.
func New[K comparable, V any](capacity int) *Cache[K, V] {
	panic("TODO: implement New")
}

// Get returns the value for key and marks it most recently used.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	panic("TODO: implement Get")
}

// Put inserts or updates key, marks it most recently used, and evicts the least recently
// used entry if the cache is over capacity.
func (c *Cache[K, V]) Put(key K, value V) {
	panic("TODO: implement Put")
}

// Len returns the number of entries in the cache.
func (c *Cache[K, V]) Len() int {
	panic("TODO: implement Len")
}
