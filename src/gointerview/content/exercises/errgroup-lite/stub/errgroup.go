// Package errgroup runs a group of goroutines working on subtasks of a common task: wait for
// them all, get the first error, cancel the rest when one fails, and bound how many run at once.
package errgroup

import "context"

// Group is a collection of goroutines started by Go. A zero Group is valid: it has no
// limit and cancels nothing on error.
type Group struct {
	// TODO: your fields
}

// WithContext returns a new Group and a context derived from ctx. The derived context is
// cancelled the first time a function passed to Go returns a non-nil error, or when Wait
// returns, whichever happens first.
func WithContext(ctx context.Context) (*Group, context.Context) {
	panic("TODO: implement WithContext")
}

// SetLimit bounds the number of goroutines started by Go that may be active at once to n.
// A negative n removes the limit. n must not be 0, and SetLimit must be called before Go
// (not while goroutines of the group are active).
func (g *Group) SetLimit(n int) {
	panic("TODO: implement SetLimit")
}

// Go runs f in a new goroutine. If the group has a limit and that many goroutines are
// active, Go blocks until one of them returns. The first non-nil error returned by any f
// is recorded for Wait and cancels the group's context.
func (g *Group) Go(f func() error) {
	panic("TODO: implement Go")
}

// Wait blocks until every goroutine started by Go has returned, then cancels the group's
// context and returns the first non-nil error (or nil).
func (g *Group) Wait() error {
	panic("TODO: implement Wait")
}
