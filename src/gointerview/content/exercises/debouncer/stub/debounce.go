// Package debounce implements a trailing-edge debouncer.
package debounce

import "time"

// Debouncer calls fn once a burst of Trigger calls has been quiet for wait.
type Debouncer struct {
	// TODO: your fields
}

// New returns a Debouncer that calls fn wait after the last of a burst of Triggers.
// It panics if wait <= 0 or fn is nil.
func New(wait time.Duration, fn func()) *Debouncer {
	panic("TODO: implement New")
}

// Trigger (re)starts the quiet period: fn will be called wait after the latest Trigger,
// unless another Trigger comes first. After Stop it does nothing.
func (d *Debouncer) Trigger() {
	panic("TODO: implement Trigger")
}

// Stop cancels a pending call, waits for a call in progress to return and releases every
// goroutine the Debouncer started. fn is never called after Stop returns. Stop may be called
// more than once, but not from fn.
func (d *Debouncer) Stop() {
	panic("TODO: implement Stop")
}
