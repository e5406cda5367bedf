// Package parmap maps a function over a slice in parallel, errgroup-style: a concurrency
// limit, the first error cancels the rest, results in input order.
package parmap

import "context"

// Map calls fn on every item with at most limit calls running at once and returns the
// results in the order of items. The first failure (an error or a panic) cancels the ctx
// the calls were given and stops new calls from starting; Map then waits for the calls
// already running and returns that first error (or panics with the first panic's value).
// If ctx ends before every item has started, Map returns ctx.Err() unless a call failed
// first. It panics if limit < 1.
func Map[T, R any](ctx context.Context, limit int, items []T, fn func(context.Context, T) (R, error)) ([]R, error) {
	panic("TODO: implement Map")
}
