// Package breaker implements a circuit breaker with closed, open and half-open states.
package breaker

import (
	"errors"
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
	panic("TODO: implement State.String")
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
	// TODO: your fields
}

// New returns a closed breaker. It panics if FailureThreshold < 1, OpenTimeout <= 0 or
// HalfOpenMaxCalls < 1.
func New(s Settings) *Breaker {
	panic("TODO: implement New")
}

// State returns the current state. An open circuit whose OpenTimeout has passed is reported
// as HalfOpen even if no call has arrived since.
func (b *Breaker) State() State {
	panic("TODO: implement State")
}

// Execute calls fn if the breaker admits the call and returns fn's error unchanged; otherwise
// it returns ErrOpen without calling fn. fn runs without the breaker's lock held, so calls run
// concurrently.
func (b *Breaker) Execute(fn func() error) error {
	panic("TODO: implement Execute")
}
