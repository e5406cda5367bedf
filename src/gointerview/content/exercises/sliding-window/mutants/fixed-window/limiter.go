// Package slidingwindow implements an exact sliding-window-log rate limiter.
package slidingwindow

import (
	"sync"
	"time"
)

// Limiter allows at most limit events in any window of length window. It is safe for
// concurrent use.
type Limiter struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	start  time.Time // when the current window began
	count  int       // events allowed in the current window
}

// New returns a limiter that allows at most limit events per window.
// It panics unless limit >= 1 and window > 0.
func New(limit int, window time.Duration) *Limiter {
	if limit < 1 || window <= 0 {
		panic("slidingwindow: limit must be >= 1 and window > 0")
	}
	return &Limiter{limit: limit, window: window, start: time.Now()}
}

// Allow reports whether an event may happen now and, if so, records it. An allowed event at
// time t counts against the limit during [t, t+window): at t+window exactly it no longer
// counts. Rejected events are not recorded.
func (l *Limiter) Allow() bool {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.start) >= l.window {
		// A new window: forget the old one.
		l.start = now
		l.count = 0
	}
	if l.count >= l.limit {
		return false
	}
	l.count++
	return true
}
