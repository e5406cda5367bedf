// Package parmap maps a function over a slice in parallel, errgroup-style: a concurrency
// limit, the first error cancels the rest, results in input order.
package parmap

import (
	"context"
	"sync"
)

// panicked carries a panic out of the goroutine that raised it.
type panicked struct{ value any }

func (p panicked) Error() string { return "parmap: a call panicked" }

// Map calls fn on every item with at most limit calls running at once and returns the
// results in the order of items. The first failure (an error or a panic) cancels the ctx
// the calls were given and stops new calls from starting; Map then waits for the calls
// already running and returns that first error (or panics with the first panic's value).
// If ctx ends before every item has started, Map returns ctx.Err() unless a call failed
// first. It panics if limit < 1.
func Map[T, R any](ctx context.Context, limit int, items []T, fn func(context.Context, T) (R, error)) ([]R, error) {
	if limit < 1 {
		panic("parmap: limit must be at least 1")
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	results := make([]R, len(items)) // each goroutine writes only its own index
	var (
		wg       sync.WaitGroup
		failOnce sync.Once
		firstErr error
	)
	fail := func(err error) {
		failOnce.Do(func() {
			firstErr = err
			cancel() // before the failing call frees its slot: no new call starts
		})
	}
	slots := make(chan struct{}, limit)
loop:
	for i, item := range items {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			break loop
		}
		if ctx.Err() != nil { // select picks at random when both were ready
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			defer func() {
				if p := recover(); p != nil {
					fail(panicked{p}) // re-raised in the caller's goroutine, after Wait
				}
			}()
			r, err := fn(ctx, item)
			if err != nil {
				fail(err)
				return
			}
			results[i] = r
		}()
	}
	wg.Wait()
	if p, ok := firstErr.(panicked); ok {
		panic(p.value)
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if err := parent.Err(); err != nil {
		return nil, err
	}
	return results, nil
}
