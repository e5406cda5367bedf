// Package pipeline runs values through a chain of concurrent stages, where the first error
// in any stage cancels the whole pipeline.
package pipeline

import "context"

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
	panic("TODO: implement Run")
}
