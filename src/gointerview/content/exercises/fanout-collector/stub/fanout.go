// Package fanout runs tasks concurrently, each with its own timeout, and collects their
// results in input order.
package fanout

import (
	"context"
	"time"
)

// Task computes one value. It should return promptly, with ctx.Err(), once ctx is done.
type Task func(ctx context.Context) (int, error)

// Result is the outcome of one task: a value, or an error (and a zero Value).
type Result struct {
	Value int
	Err   error
}

// Collect runs every task in its own goroutine, each with its own context derived from ctx
// with a timeout of perTask, and returns their results in the order of tasks.
//
// If a task's context is done when the task returns, its result is {0, that context's
// error} whatever the task returned: context.DeadlineExceeded when it ran out of time,
// context.Canceled when ctx was cancelled. Cancelling ctx therefore stops every task and
// makes Collect return promptly. Collect returns only after every goroutine it started
// has exited.
func Collect(ctx context.Context, tasks []Task, perTask time.Duration) []Result {
	panic("TODO: implement Collect")
}
