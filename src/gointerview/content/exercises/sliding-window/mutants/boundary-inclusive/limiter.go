// Package slidingwindow implements an exact sliding-window-log rate limiter.
package slidingwindow

import (
	"sync"
	"time"
)

// Limiter allows at most limit events in any window of length window. It is safe for
// concurrent use.
//
// It keeps the times of the last limit allowed events in a ring buffer. If the oldest of them
// is still inside the window, all limit of them are, so a new event must be rejected;
// otherwise at most limit-1 allowed events are in the window and the new one fits. Memory is
// O(limit) and Allow is O(1).
type Limiter struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	times  []time.Time // ring buffer of the last len(times) allowed events
	next   int         // the slot to write next: the oldest entry once the ring is full
}

// New returns a limiter that allows at most limit events per window.
// It panics unless limit >= 1 and window > 0.
func New(limit int, window time.Duration) *Limiter {
	if limit < 1 || window <= 0 {
		panic("slidingwindow: limit must be >= 1 and window > 0")
	}
	return &Limiter{limit: limit, window: window, times: make([]time.Time, 0, limit)}
}

// Allow reports whether an event may happen now and, if so, records it. An allowed event at
// time t counts against the limit during [t, t+window): at t+window exactly it no longer
// counts. Rejected events are not recorded.
func (l *Limiter) Allow() bool {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.times) < l.limit {
		// Fewer than limit events ever: always room.
		l.times = append(l.times, now)
		return true
	}
	if oldest := l.times[l.next]; now.Sub(oldest) <= l.window {
		return false // the last limit events are all still inside the window
	}
	l.times[l.next] = now
	l.next = (l.next + 1) % l.limit
	return true
}
