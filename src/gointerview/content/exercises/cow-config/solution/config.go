// Package cowconfig holds a hot-reloadable configuration that many goroutines read without
// locks while occasional writers replace it copy-on-write.
package cowconfig

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
)

// ---- Given: the configuration and its validation. ----

// ErrInvalid is wrapped by every error Validate returns.
var ErrInvalid = errors.New("invalid config")

// Config is the service configuration: a load balancer's upstream backends and their weights.
// A *Config returned by Store.Load is shared by every reader and must never be modified.
type Config struct {
	Revision int            // set by whoever produces the config, e.g. the config file's revision
	Backends []string       // upstream addresses, in order
	Weights  map[string]int // the weight of each backend
}

// Validate reports whether c is usable: at least one backend, no backend listed twice, and
// exactly one weight ≥ 1 for each backend (no weight for an unknown backend).
func (c Config) Validate() error {
	if len(c.Backends) == 0 {
		return fmt.Errorf("%w: no backends", ErrInvalid)
	}
	seen := make(map[string]bool, len(c.Backends))
	for _, b := range c.Backends {
		if seen[b] {
			return fmt.Errorf("%w: backend %q listed twice", ErrInvalid, b)
		}
		seen[b] = true
		if w, ok := c.Weights[b]; !ok || w < 1 {
			return fmt.Errorf("%w: backend %q needs a weight ≥ 1, has %d", ErrInvalid, b, w)
		}
	}
	if len(c.Weights) != len(c.Backends) {
		return fmt.Errorf("%w: weights for unknown backends", ErrInvalid)
	}
	return nil
}

// ---- Your code. ----

// Store holds the current Config. Load is lock-free and may be called from any number of
// goroutines while Update runs; the Config it returns is an immutable snapshot.
type Store struct {
	cur atomic.Pointer[Config] // the current snapshot; never modified once stored
	mu  sync.Mutex             // serialises writers: read-copy-update must not interleave
}

// clone returns a deep copy of c: the copy shares no map or slice with c.
func clone(c Config) Config {
	c.Backends = slices.Clone(c.Backends)
	c.Weights = maps.Clone(c.Weights)
	return c
}

// NewStore returns a Store holding a copy of initial, or the validation error if initial is
// invalid. Later changes to initial's map or slice do not affect the Store.
func NewStore(initial Config) (*Store, error) {
	if err := initial.Validate(); err != nil {
		return nil, err
	}
	s := &Store{}
	c := clone(initial)
	s.cur.Store(&c)
	return s, nil
}

// Load returns the current configuration without taking a lock. The caller must not modify
// it; a later Update never changes a Config that Load has returned.
func (s *Store) Load() *Config {
	return s.cur.Load()
}

// Update replaces the configuration with fn(old). fn receives a deep copy of the current
// configuration, so it may modify the copy's map and slice freely. If the result is invalid,
// Update returns the validation error (which wraps ErrInvalid) and the current configuration
// stays in place. Concurrent Updates are serialised: each fn sees the result of the previous
// successful one. fn must not keep a reference to the Config it returns.
func (s *Store) Update(fn func(old Config) Config) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Copy, then modify the copy: readers keep using the old snapshot meanwhile.
	next := fn(clone(*s.cur.Load()))
	if err := next.Validate(); err != nil {
		return err
	}
	s.cur.Store(&next) // the one atomic step: readers see the old config or the new one
	return nil
}
