// Package shardmap is a concurrent map split into shards, each behind its own lock, so
// goroutines working on keys in different shards do not wait for each other.
package shardmap

import (
	"hash/maphash"
	"iter"
	"sync"
)

type shard[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

// Map is a concurrent map of K to V split into a fixed number of shards.
type Map[K comparable, V any] struct {
	seed   maphash.Seed // one per map: a key must land in the same shard every time
	shards []shard[K, V]
}

// New returns an empty map with the given number of shards. It panics if shards < 1.
func New[K comparable, V any](shards int) *Map[K, V] {
	if shards < 1 {
		panic("shardmap: shards must be at least 1")
	}
	m := &Map[K, V]{seed: maphash.MakeSeed(), shards: make([]shard[K, V], shards)}
	for i := range m.shards {
		m.shards[i].m = make(map[K]V)
	}
	return m
}

// Shard returns the index, in [0, number of shards), of the shard that holds key.
func (m *Map[K, V]) Shard(key K) int {
	return int(maphash.Comparable(m.seed, key) % uint64(len(m.shards)))
}

func (m *Map[K, V]) shardFor(key K) *shard[K, V] {
	return &m.shards[m.Shard(key)]
}

// Load returns the value stored for key and whether there was one.
func (m *Map[K, V]) Load(key K) (V, bool) {
	s := m.shardFor(key)
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.m[key]
	return v, ok
}

// Store sets the value for key.
func (m *Map[K, V]) Store(key K, value V) {
	s := m.shardFor(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = value
}

// Delete removes key, if present.
func (m *Map[K, V]) Delete(key K) {
	s := m.shardFor(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, key)
}

// LoadOrStore returns the existing value for key and true if there is one; otherwise it
// stores value and returns it and false.
func (m *Map[K, V]) LoadOrStore(key K, value V) (actual V, loaded bool) {
	s := m.shardFor(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.m[key]; ok {
		return v, true
	}
	s.m[key] = value
	return value, false
}

// Update calls fn with the current value for key (and whether there is one) while holding
// the key's shard locked, so the read-modify-write is atomic. If fn returns keep == true
// its value is stored, otherwise key is deleted. fn must not call the map.
func (m *Map[K, V]) Update(key K, fn func(old V, loaded bool) (value V, keep bool)) {
	s := m.shardFor(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	old, loaded := s.m[key]
	if value, keep := fn(old, loaded); keep {
		s.m[key] = value
	} else {
		delete(s.m, key)
	}
}

// Len returns the number of keys, summed shard by shard.
func (m *Map[K, V]) Len() int {
	n := 0
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.RLock()
		n += len(s.m)
		s.mu.RUnlock()
	}
	return n
}

// All yields every key and value, one shard at a time. Each shard is copied under its lock
// and yielded without it, so the loop body may call the map (even write to it).
func (m *Map[K, V]) All() iter.Seq2[K, V] {
	type entry struct {
		k K
		v V
	}
	return func(yield func(K, V) bool) {
		for i := range m.shards {
			s := &m.shards[i]
			s.mu.RLock()
			entries := make([]entry, 0, len(s.m))
			for k, v := range s.m {
				entries = append(entries, entry{k, v})
			}
			s.mu.RUnlock()
			for _, e := range entries {
				if !yield(e.k, e.v) {
					return
				}
			}
		}
	}
}
