// Package errgroup runs a group of goroutines working on subtasks of a common task: wait for
// them all, get the first error, cancel the rest when one fails, and bound how many run at once.
package errgroup

import (
	"context"
	"sync"
)

// Group is a collection of goroutines started by Go. A zero Group is valid: it has no
// limit and cancels nothing on error.
type Group struct {
	cancel context.CancelFunc // cancels the ctx from WithContext; nil for a zero Group
	wg     sync.WaitGroup
	sem    chan struct{} // one token per active goroutine; nil means no limit

	errOnce sync.Once
	err     error // the first non-nil error; written once, read after wg.Wait
}

// WithContext returns a new Group and a context derived from ctx. The derived context is
// cancelled the first time a function passed to Go returns a non-nil error, or when Wait
// returns, whichever happens first.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &Group{cancel: cancel}, ctx
}

// SetLimit bounds the number of goroutines started by Go that may be active at once to n.
// A negative n removes the limit. n must not be 0, and SetLimit must be called before Go
// (not while goroutines of the group are active).
func (g *Group) SetLimit(n int) {
	if n == 0 {
		panic("errgroup: a limit of 0 would block Go forever")
	}
	if n < 0 {
		g.sem = nil
		return
	}
	g.sem = make(chan struct{}, n)
}

// Go runs f in a new goroutine. If the group has a limit and that many goroutines are
// active, Go blocks until one of them returns. The first non-nil error returned by any f
// is recorded for Wait and cancels the group's context.
func (g *Group) Go(f func() error) {
	if g.sem != nil {
		g.sem <- struct{}{} // acquire a slot; blocks while the group is at its limit
	}
	g.wg.Add(1)
	go func() {
		defer g.done()
		if err := f(); err != nil {
			g.errOnce.Do(func() {
				g.err = err
			})
		}
	}()
}

// done releases the goroutine's slot (if limited) and marks it finished.
func (g *Group) done() {
	if g.sem != nil {
		<-g.sem
	}
	g.wg.Done()
}

// Wait blocks until every goroutine started by Go has returned, then cancels the group's
// context and returns the first non-nil error (or nil).
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel()
	}
	return g.err
}
