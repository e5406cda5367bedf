// Package pipeline runs values through a chain of concurrent stages, where the first error
// in any stage cancels the whole pipeline.
package pipeline

import (
	"context"
	"sync"
)

// Stage transforms one value. It should return promptly, with ctx.Err(), once ctx is done.
type Stage func(ctx context.Context, in int) (int, error)

// Run sends every value of src through stages, in order: the output of stages[0] is the
// input of stages[1], and so on. A source goroutine feeds src, each stage runs in its own
// goroutine that handles one value at a time, and they are connected by channels, so
// different stages work on different values at once and the output keeps the input order.
//
// The first error returned by a stage cancels the pipeline and Run returns (nil, thatErr).
// If ctx is done before the pipeline finishes, Run returns (nil, ctx.Err()). Either way Run
// returns only after every goroutine it started has exited.
func Run(ctx context.Context, src []int, stages ...Stage) ([]int, error) {
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	fail := func(err error) {
		errOnce.Do(func() {
			firstErr = err
			cancel() // stop every other goroutine
		})
	}

	// The source. Every send selects on ctx.Done: once the pipeline is cancelled nobody may
	// be receiving any more, and a plain send would block forever.
	out := make(chan int)
	wg.Go(func() {
		defer close(out) // the sender closes, exactly once
		for _, v := range src {
			select {
			case out <- v:
			case <-ctx.Done():
				return
			}
		}
	})

	var in <-chan int = out
	for _, stage := range stages {
		up, next := in, make(chan int) // this stage reads up and writes next
		wg.Go(func() {
			defer close(next)
			for v := range up {
				r, err := stage(ctx, v)
				if err != nil {
					fail(err)
					close(next) // tell downstream we are done
					return
				}
				select {
				case next <- r:
				case <-ctx.Done():
					return
				}
			}
		})
		in = next
	}

	results := make([]int, 0, len(src))
	for v := range in { // ends when the last stage closes its output
		results = append(results, v)
	}
	wg.Wait()

	if firstErr != nil { // written before wg.Wait returned: no race
		return nil, firstErr
	}
	if err := parent.Err(); err != nil {
		return nil, err // cancelled from outside: results may be incomplete
	}
	return results, nil
}
