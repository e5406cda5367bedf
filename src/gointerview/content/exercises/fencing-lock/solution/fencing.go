// Package fencing is a lock client over a lease-based lock service, and a resource that
// uses the lock's fencing tokens to reject writes from a client whose lease has expired.
package fencing

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrStaleToken is returned by Resource.Write when a newer token has already been seen.
var ErrStaleToken = errors.New("fencing: stale token")

// ErrLockLost is returned by Client.Unlock when the lease had expired or was taken over.
var ErrLockLost = errors.New("fencing: lock lost")

// LockStore is the lock service (etcd, ZooKeeper, a Redis with fencing...). The tests give
// you a simulated one; do not change this interface.
type LockStore interface {
	// TryLock grants key to owner for ttl if nobody holds it or the holder's lease has
	// expired. On success it returns a fencing token larger than every token granted for
	// key before.
	TryLock(key, owner string, ttl time.Duration) (token uint64, ok bool)
	// Unlock releases key if owner still holds it with this token, and reports whether
	// it did.
	Unlock(key, owner string, token uint64) bool
}

// Lease is a granted lock: the key and the fencing token that came with it.
type Lease struct {
	Key   string
	Token uint64
}

// Client takes locks in a LockStore on behalf of one owner.
type Client struct {
	store LockStore
	owner string
	ttl   time.Duration
	retry time.Duration
}

// NewClient returns a client that locks as owner with leases of ttl, retrying every retry
// while the lock is held by someone else. It panics if ttl or retry is not positive.
func NewClient(store LockStore, owner string, ttl, retry time.Duration) *Client {
	if ttl <= 0 || retry <= 0 {
		panic("fencing: ttl and retry must be positive")
	}
	return &Client{store: store, owner: owner, ttl: ttl, retry: retry}
}

// Lock tries to take key at once and then every retry until it is granted, and returns
// the lease. If ctx ends first (or is already done) it returns ctx.Err() at once.
func (c *Client) Lock(ctx context.Context, key string) (Lease, error) {
	if err := ctx.Err(); err != nil {
		return Lease{}, err
	}
	ticker := time.NewTicker(c.retry)
	defer ticker.Stop()
	for {
		if token, ok := c.store.TryLock(key, c.owner, c.ttl); ok {
			return Lease{Key: key, Token: token}, nil
		}
		select {
		case <-ctx.Done(): // not only between attempts: give up the moment ctx ends
			return Lease{}, ctx.Err()
		case <-ticker.C:
		}
	}
}

// Unlock releases the lease. It returns ErrLockLost if the store no longer had it (the
// lease expired, perhaps someone else holds the key now): whatever was done under it may
// have overlapped with another holder.
func (c *Client) Unlock(l Lease) error {
	if !c.store.Unlock(l.Key, c.owner, l.Token) {
		return ErrLockLost
	}
	return nil
}

// Resource is the storage the lock protects. It remembers, per key, the highest fencing
// token it has seen and rejects writes that carry an older one: a client that paused past
// its lease cannot overwrite the work of the holder that came after it.
type Resource struct {
	mu      sync.Mutex
	highest map[string]uint64
	values  map[string]string
}

// NewResource returns an empty resource.
func NewResource() *Resource {
	return &Resource{highest: make(map[string]uint64), values: make(map[string]string)}
}

// Write stores value under key if token is at least the highest token seen for key (the
// same holder may write many times), and returns ErrStaleToken otherwise.
func (r *Resource) Write(key string, token uint64, value string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if token < r.highest[key] {
		return ErrStaleToken
	}
	r.highest[key] = token
	r.values[key] = value
	return nil
}

// Read returns the value stored under key and whether there is one.
func (r *Resource) Read(key string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, ok := r.values[key]
	return v, ok
}
