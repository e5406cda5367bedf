// Package ttlcache implements an in-memory cache whose entries expire a fixed time after they
// were set, with a background janitor goroutine that removes expired entries and stops cleanly.
package ttlcache

import "time"

// Cache maps string keys to values that expire ttl after they were last set. A background
// janitor removes expired entries every cleanupInterval until Close is called. A Cache is
// safe for concurrent use.
type Cache struct {
	// TODO: your fields
}

// New returns an empty cache whose entries live for ttl, and starts its janitor, which
// removes expired entries every cleanupInterval. It panics unless both durations are positive.
// Call Close to stop the janitor.
func New(ttl, cleanupInterval time.Duration) *Cache {
	panic("TODO: implement New")
}

// Set stores value under key; it expires ttl from now. Setting an existing key replaces its
// value and restarts its ttl.
func (c *Cache) Set(key string, value any) {
	panic("TODO: implement Set")
}

// Get returns the value stored under key, or (nil, false) if there is none or it has expired.
// An expired entry is invisible at once, even if the janitor has not removed it yet. Get does
// not extend an entry's life.
func (c *Cache) Get(key string) (any, bool) {
	panic("TODO: implement Get")
}

// Delete removes key. Deleting a missing key does nothing.
func (c *Cache) Delete(key string) {
	panic("TODO: implement Delete")
}

// Len returns the number of entries the cache holds, counting expired entries that the
// janitor (or Delete) has not removed yet.
func (c *Cache) Len() int {
	panic("TODO: implement Len")
}

// Close stops the janitor and waits for its goroutine to exit. It is safe to call more than
// once and from several goroutines.
func (c *Cache) Close() {
	panic("TODO: implement Close")
}
