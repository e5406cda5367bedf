// Package ttlcache implements an in-memory cache whose entries expire a fixed time after they
// were set, with a background janitor goroutine that removes expired entries and stops cleanly.
package ttlcache

import (
	"sync"
	"time"
)

type entry struct {
	value     any
	expiresAt time.Time // the entry is visible while time.Now() is before this
}

// Cache maps string keys to values that expire ttl after they were last set. A background
// janitor removes expired entries every cleanupInterval until Close is called. A Cache is
// safe for concurrent use.
type Cache struct {
	ttl time.Duration

	mu    sync.Mutex
	items map[string]entry

	stop      chan struct{} // closed by Close: tells the janitor to exit
	done      chan struct{} // closed by the janitor as it exits
	closeOnce sync.Once     // so a second Close does not close stop again
}

// New returns an empty cache whose entries live for ttl, and starts its janitor, which
// removes expired entries every cleanupInterval. It panics unless both durations are positive.
// Call Close to stop the janitor.
func New(ttl, cleanupInterval time.Duration) *Cache {
	if ttl <= 0 || cleanupInterval <= 0 {
		panic("ttlcache: ttl and cleanupInterval must be positive")
	}
	c := &Cache{
		ttl:   ttl,
		items: make(map[string]entry),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	go c.janitor(cleanupInterval)
	return c
}

// janitor removes expired entries on every tick until stop is closed.
func (c *Cache) janitor(interval time.Duration) {
	defer close(c.done)
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-ticker.C:
			c.deleteExpired(time.Now())
		}
	}
}

// deleteExpired removes every entry that has expired at now. It holds the lock for the
// whole sweep: Get, Set and Delete run on other goroutines at the same time.
func (c *Cache) deleteExpired(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.items {
		if !now.Before(e.expiresAt) {
			delete(c.items, k) // deleting during range is allowed
		}
	}
}

// Set stores value under key; it expires ttl from now. Setting an existing key replaces its
// value and restarts its ttl.
func (c *Cache) Set(key string, value any) {
	expiresAt := time.Now().Add(c.ttl)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[key] = entry{value: value, expiresAt: expiresAt}
}

// Get returns the value stored under key, or (nil, false) if there is none or it has expired.
// An expired entry is invisible at once, even if the janitor has not removed it yet. Get does
// not extend an entry's life.
func (c *Cache) Get(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key] // the janitor removes expired entries
	if !ok {
		return nil, false
	}
	return e.value, true
}

// Delete removes key. Deleting a missing key does nothing.
func (c *Cache) Delete(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.items, key)
}

// Len returns the number of entries the cache holds, counting expired entries that the
// janitor (or Delete) has not removed yet.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

// Close stops the janitor and waits for its goroutine to exit. It is safe to call more than
// once and from several goroutines. The cache still answers Get, Set, Delete and Len after
// Close, but expired entries are no longer removed in the background.
func (c *Cache) Close() {
	c.closeOnce.Do(func() { close(c.stop) })
	<-c.done
}
