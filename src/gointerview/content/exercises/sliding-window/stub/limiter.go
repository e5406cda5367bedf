// Package slidingwindow implements an exact sliding-window-log rate limiter.
package slidingwindow

import "time"

// Limiter allows at most limit events in any window of length window. It is safe for
// concurrent use.
type Limiter struct {
	// TODO: your fields
}

// New returns a limiter that allows at most limit events per window.
// It panics unless limit >= 1 and window > 0.
func New(limit int, window time.Duration) *Limiter {
	panic("TODO: implement New")
}

// Allow reports whether an event may happen now and, if so, records it. An allowed event at
// time t counts against the limit during [t, t+window): at t+window exactly it no longer
// counts. Rejected events are not recorded.
func (l *Limiter) Allow() bool {
	panic("TODO: implement Allow")
}
