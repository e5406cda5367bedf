// Package debounce implements a trailing-edge debouncer.
package debounce

import (
	"sync"
	"time"
)

// Debouncer calls fn once a burst of Trigger calls has been quiet for wait. Its calls of fn
// run one at a time on a goroutine the Debouncer owns, which Stop ends.
type Debouncer struct {
	wait time.Duration
	fn   func()

	mu      sync.Mutex
	last    time.Time // when Trigger was last called
	pending bool      // a Trigger has not yet been followed by a call of fn
	stopped bool

	kick     chan struct{} // buffered 1: tells the loop that last has changed
	stop     chan struct{} // closed by Stop
	done     chan struct{} // closed when the loop has returned
	stopOnce sync.Once
}

// New returns a Debouncer that calls fn wait after the last of a burst of Triggers.
// It panics if wait <= 0 or fn is nil.
func New(wait time.Duration, fn func()) *Debouncer {
	if wait <= 0 || fn == nil {
		panic("debounce: wait must be > 0 and fn non-nil")
	}
	d := &Debouncer{
		wait: wait,
		fn:   fn,
		kick: make(chan struct{}, 1),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	go d.loop()
	return d
}

// Trigger (re)starts the quiet period: fn will be called wait after the latest Trigger,
// unless another Trigger comes first. After Stop it does nothing.
func (d *Debouncer) Trigger() {
	d.mu.Lock()
	if d.stopped {
		d.mu.Unlock()
		return
	}
	d.last = time.Now()
	d.pending = true
	d.mu.Unlock()
	// One kick in the buffer is enough: the loop reads last, not the kicks.
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// Stop cancels a pending call, waits for a call in progress to return and ends the
// Debouncer's goroutine. fn is never called after Stop returns. Stop may be called more than
// once, but not from fn (it would wait for itself).
func (d *Debouncer) Stop() {
	d.mu.Lock()
	d.stopped = true
	d.pending = false
	d.mu.Unlock()
	d.stopOnce.Do(func() { close(d.stop) })
	<-d.done
}

func (d *Debouncer) loop() {
	defer close(d.done)
	timer := time.NewTimer(time.Hour)
	timer.Stop() // since Go 1.23 a stopped timer's channel never delivers a stale value
	for {
		select {
		case <-d.stop:
			timer.Stop()
			return
		case <-d.kick:
			d.mu.Lock()
			due := d.last.Add(d.wait)
			d.mu.Unlock()
			timer.Reset(time.Until(due))
		case <-timer.C:
			d.mu.Lock()
			if !d.pending {
				d.mu.Unlock()
				continue
			}
			// A Trigger may have moved the deadline after the timer was set.
			if left := time.Until(d.last.Add(d.wait)); left > 0 {
				d.mu.Unlock()
				timer.Reset(left)
				continue
			}
			d.pending = false
			d.mu.Unlock()
			d.fn() // on this goroutine, so calls never overlap and Stop can wait for one
		}
	}
}
