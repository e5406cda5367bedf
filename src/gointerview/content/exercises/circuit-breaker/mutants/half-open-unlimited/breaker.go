// Package breaker implements a circuit breaker with closed, open and half-open states.
package breaker

import (
	"errors"
	"sync"
	"time"
)

// ErrOpen is returned by Execute, without calling fn, while the circuit is open or while the
// half-open trial slots are all taken.
var ErrOpen = errors.New("breaker: circuit open")

// State is the state of a circuit breaker.
type State int

const (
	Closed   State = iota // calls go through; consecutive failures are counted
	Open                  // calls are rejected with ErrOpen until OpenTimeout has passed
	HalfOpen              // a limited number of trial calls decide whether to close again
)

// String returns "closed", "open" or "half-open".
func (s State) String() string {
	switch s {
	case Closed:
		return "closed"
	case Open:
		return "open"
	case HalfOpen:
		return "half-open"
	}
	return "unknown"
}

// Settings configures a Breaker.
type Settings struct {
	FailureThreshold int              // consecutive failures that open a closed circuit (>= 1)
	OpenTimeout      time.Duration    // how long the circuit stays open before half-open (> 0)
	HalfOpenMaxCalls int              // trial calls admitted in one half-open period (>= 1)
	Now              func() time.Time // the clock; nil means time.Now
}

// Breaker is a circuit breaker. It is safe for concurrent use.
type Breaker struct {
	settings Settings

	mu         sync.Mutex
	state      State     // as last stored; an Open state may have expired (see current)
	failures   int       // consecutive failures while closed
	openedAt   time.Time // when the circuit last opened
	generation uint64    // bumped on every state change, to recognise stale outcomes
}

// New returns a closed breaker. It panics if FailureThreshold < 1, OpenTimeout <= 0 or
// HalfOpenMaxCalls < 1.
func New(s Settings) *Breaker {
	if s.FailureThreshold < 1 || s.OpenTimeout <= 0 || s.HalfOpenMaxCalls < 1 {
		panic("breaker: invalid settings")
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	return &Breaker{settings: s}
}

// State returns the current state. An open circuit whose OpenTimeout has passed is reported
// as HalfOpen even if no call has arrived since.
func (b *Breaker) State() State {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.current()
}

// Execute calls fn if the breaker admits the call and returns fn's error unchanged; otherwise
// it returns ErrOpen without calling fn. fn runs without the breaker's lock held, so calls run
// concurrently.
func (b *Breaker) Execute(fn func() error) error {
	gen, err := b.admit()
	if err != nil {
		return err
	}
	err = fn()
	b.record(gen, err == nil)
	return err
}

// admit decides whether a call may go ahead and returns the generation it belongs to.
func (b *Breaker) admit() (uint64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.current() {
	case Open:
		return 0, ErrOpen
	}
	return b.generation, nil
}

// record applies the outcome of a call admitted in generation gen.
func (b *Breaker) record(gen uint64, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if gen != b.generation {
		return // the call started before the last state change: its outcome is stale
	}
	switch b.state {
	case Closed:
		if ok {
			b.failures = 0
		} else if b.failures++; b.failures >= b.settings.FailureThreshold {
			b.setState(Open)
		}
	case HalfOpen:
		// The first trial to finish decides.
		if ok {
			b.setState(Closed)
		} else {
			b.setState(Open)
		}
	}
}

// current returns the state, first moving an expired Open to HalfOpen. b.mu must be held.
func (b *Breaker) current() State {
	if b.state == Open && b.settings.Now().Sub(b.openedAt) >= b.settings.OpenTimeout {
		b.setState(HalfOpen)
	}
	return b.state
}

// setState enters s and starts a new generation. b.mu must be held.
func (b *Breaker) setState(s State) {
	b.state = s
	b.generation++
	b.failures = 0
	if s == Open {
		b.openedAt = b.settings.Now()
	}
}
