// Package shardmap is a concurrent map split into shards, each behind its own lock, so
// goroutines working on keys in different shards do not wait for each other.
package shardmap

import "iter"

// Map is a concurrent map of K to V split into a fixed number of shards.
type Map[K comparable, V any] struct {
	// TODO: your fields
}

// New returns an empty map with the given number of shards. It panics if shards < 1.
func New[K comparable, V any](shards int) *Map[K, V] {
	panic("TODO: implement New")
}

// Shard returns the index, in [0, number of shards), of the shard that holds key.
func (m *Map[K, V]) Shard(key K) int {
	panic("TODO: implement Shard")
}

// Load returns the value stored for key and whether there was one.
func (m *Map[K, V]) Load(key K) (V, bool) {
	panic("TODO: implement Load")
}

// Store sets the value for key.
func (m *Map[K, V]) Store(key K, value V) {
	panic("TODO: implement Store")
}

// Delete removes key, if present.
func (m *Map[K, V]) Delete(key K) {
	panic("TODO: implement Delete")
}

// LoadOrStore returns the existing value for key and true if there is one; otherwise it
// stores value and returns it and false.
func (m *Map[K, V]) LoadOrStore(key K, value V) (actual V, loaded bool) {
	panic("TODO: implement LoadOrStore")
}

// Update calls fn with the current value for key (and whether there is one) while holding
// the key's shard locked, so the read-modify-write is atomic. If fn returns keep == true
// its value is stored, otherwise key is deleted. fn must not call the map.
func (m *Map[K, V]) Update(key K, fn func(old V, loaded bool) (value V, keep bool)) {
	panic("TODO: implement Update")
}

// Len returns the number of keys.
func (m *Map[K, V]) Len() int {
	panic("TODO: implement Len")
}

// All yields every key and value. The loop body may call the map, even write to it.
func (m *Map[K, V]) All() iter.Seq2[K, V] {
	panic("TODO: implement All")
}
