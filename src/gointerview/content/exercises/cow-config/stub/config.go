// Package cowconfig holds a hot-reloadable configuration that many goroutines read without
// locks while occasional writers replace it copy-on-write.
package cowconfig

import (
	"errors"
	"fmt"
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
	// TODO: your fields
}

// NewStore returns a Store holding a copy of initial, or the validation error if initial is
// invalid. Later changes to initial's map or slice do not affect the Store.
func NewStore(initial Config) (*Store, error) {
	panic("TODO: implement NewStore")
}

// Load returns the current configuration without taking a lock. The caller must not modify
// it; a later Update never changes a Config that Load has returned.
func (s *Store) Load() *Config {
	panic("TODO: implement Load")
}

// Update replaces the configuration with fn(old). fn receives a deep copy of the current
// configuration, so it may modify the copy's map and slice freely. If the result is invalid,
// Update returns the validation error (which wraps ErrInvalid) and the current configuration
// stays in place. Concurrent Updates are serialised: each fn sees the result of the previous
// successful one. fn must not keep a reference to the Config it returns.
func (s *Store) Update(fn func(old Config) Config) error {
	panic("TODO: implement Update")
}
