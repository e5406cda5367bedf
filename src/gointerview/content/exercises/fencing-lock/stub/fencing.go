// Package fencing is a lock client over a lease-based lock service, and a resource that
// uses the lock's fencing tokens to reject writes from a client whose lease has expired.
package fencing

import (
	"context"
	"errors"
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
	// TODO: your fields
}

// NewClient returns a client that locks as owner with leases of ttl, retrying every retry
// while the lock is held by someone else. It panics if ttl or retry is not positive.
func NewClient(store LockStore, owner string, ttl, retry time.Duration) *Client {
	panic("TODO: implement NewClient")
}

// Lock tries to take key at once and then every retry until it is granted, and returns
// the lease. If ctx ends first (or is already done) it returns ctx.Err() at once.
func (c *Client) Lock(ctx context.Context, key string) (Lease, error) {
	panic("TODO: implement Lock")
}

// Unlock releases the lease. It returns ErrLockLost if the store no longer had it.
func (c *Client) Unlock(l Lease) error {
	panic("TODO: implement Unlock")
}

// Resource is the storage the lock protects. It remembers, per key, the highest fencing
// token it has seen and rejects writes that carry an older one.
type Resource struct {
	// TODO: your fields
}

// NewResource returns an empty resource.
func NewResource() *Resource {
	panic("TODO: implement NewResource")
}

// Write stores value under key if token is at least the highest token seen for key, and
// returns ErrStaleToken otherwise.
func (r *Resource) Write(key string, token uint64, value string) error {
	panic("TODO: implement Write")
}

// Read returns the value stored under key and whether there is one.
func (r *Resource) Read(key string) (string, bool) {
	panic("TODO: implement Read")
}
