package fanout

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

var errBad = errors.New("bad input")

// sleepy returns v after d, or ctx.Err() if its ctx ends first.
func sleepy(d time.Duration, v int) Task {
	return func(ctx context.Context) (int, error) {
		select {
		case <-time.After(d):
			return v, nil
		case <-ctx.Done():
			return 0, fmt.Errorf("task gave up: %w", ctx.Err())
		}
	}
}

func checkResults(t *testing.T, got []Result, want []Result) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("Collect returned %d results for %d tasks", len(got), len(want))
	}
	for i := range want {
		if got[i].Value != want[i].Value {
			t.Errorf("result[%d].Value = %d, want %d", i, got[i].Value, want[i].Value)
		}
		switch {
		case want[i].Err == nil && got[i].Err != nil:
			t.Errorf("result[%d].Err = %v, want nil", i, got[i].Err)
		case want[i].Err != nil && !errors.Is(got[i].Err, want[i].Err):
			t.Errorf("result[%d].Err = %v, want %v", i, got[i].Err, want[i].Err)
		}
	}
}

func TestNoTasks(t *testing.T) {
	if got := Collect(context.Background(), nil, time.Second); len(got) != 0 {
		t.Fatalf("Collect with no tasks = %v, want no results", got)
	}
}

func TestTasksRunConcurrently(t *testing.T) {
	// Eight tasks that can only all start if they run at the same time; they then finish
	// together.
	const n = 8
	var started sync.WaitGroup
	started.Add(n)
	gate := make(chan struct{})
	var returned atomic.Int64
	tasks := make([]Task, n)
	want := make([]Result, n)
	for i := range tasks {
		tasks[i] = func(context.Context) (int, error) {
			defer returned.Add(1)
			started.Done()
			<-gate
			if i == 5 {
				return 0, errBad
			}
			return i * 10, nil
		}
		want[i] = Result{Value: i * 10}
	}
	want[5] = Result{Err: errBad}

	done := make(chan []Result, 1)
	go func() { done <- Collect(context.Background(), tasks, time.Hour) }()
	started.Wait()
	close(gate)
	got := <-done
	if r := returned.Load(); r != n {
		t.Errorf("Collect returned while %d of %d tasks were still running", n-r, n)
	}
	checkResults(t, got, want)
}

func TestResultsInInputOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Later tasks finish first: results must still follow the order of tasks.
		const n = 6
		tasks := make([]Task, n)
		want := make([]Result, n)
		for i := range tasks {
			tasks[i] = sleepy(time.Duration(n-i)*time.Second, i+100)
			want[i] = Result{Value: i + 100}
		}
		start := time.Now()
		got := Collect(context.Background(), tasks, time.Minute)
		checkResults(t, got, want)
		if elapsed := time.Since(start); elapsed != n*time.Second {
			t.Fatalf("Collect took %v of fake time, want %v (the slowest task): tasks must run concurrently", elapsed, n*time.Second)
		}
	})
}

func TestPerTaskTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tasks := []Task{
			sleepy(time.Second, 1),    // in time
			sleepy(10*time.Second, 2), // too slow: DeadlineExceeded
			func(context.Context) (int, error) { return 0, errBad },
			sleepy(2*time.Second, 4), // in time
			sleepy(time.Hour, 5),     // too slow
		}
		start := time.Now()
		got := Collect(context.Background(), tasks, 3*time.Second)
		checkResults(t, got, []Result{
			{Value: 1},
			{Err: context.DeadlineExceeded},
			{Err: errBad},
			{Value: 4},
			{Err: context.DeadlineExceeded},
		})
		if elapsed := time.Since(start); elapsed != 3*time.Second {
			t.Fatalf("Collect took %v of fake time, want 3s: each slow task must be stopped by its 3s timeout", elapsed)
		}
	})
}

func TestLateResultIsATimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		stubborn := func(context.Context) (int, error) {
			time.Sleep(5 * time.Second) // ignores its ctx
			return 7, nil
		}
		start := time.Now()
		got := Collect(context.Background(), []Task{stubborn, sleepy(time.Second, 8)}, 2*time.Second)
		checkResults(t, got, []Result{{Err: context.DeadlineExceeded}, {Value: 8}})
		if elapsed := time.Since(start); elapsed != 5*time.Second {
			t.Fatalf("Collect returned after %v of fake time, want 5s: it must wait for every task's goroutine", elapsed)
		}
	})
}

type ctxKey struct{}

func TestCancelStopsEverything(t *testing.T) {
	const n = 6
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), ctxKey{}, "parent"))
	defer cancel()
	var started sync.WaitGroup
	started.Add(n)
	problems := make(chan string, 2*n)
	tasks := make([]Task, n)
	for i := range tasks {
		tasks[i] = func(tctx context.Context) (int, error) {
			if tctx.Value(ctxKey{}) != "parent" {
				problems <- "a task's ctx is not derived from the ctx passed to Collect"
			}
			if _, ok := tctx.Deadline(); !ok {
				problems <- "a task's ctx has no deadline: it must carry the per-task timeout"
			}
			started.Done()
			<-tctx.Done()
			return 0, tctx.Err()
		}
	}
	done := make(chan []Result, 1)
	go func() { done <- Collect(ctx, tasks, time.Hour) }()
	started.Wait()
	cancel()
	got := <-done // must come back promptly: every task honours its ctx
	close(problems)
	for p := range problems {
		t.Error(p)
		break
	}
	want := make([]Result, n)
	for i := range want {
		want[i] = Result{Err: context.Canceled}
	}
	checkResults(t, got, want)
	// No goroutine may outlive Collect: the leak check after the tests finds any left
	// blocked, for example on a send nobody will receive.
}

func TestExpiredParent(t *testing.T) {
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	tasks := []Task{
		sleepy(time.Hour, 1),
		sleepy(time.Hour, 2),
		func(context.Context) (int, error) { return 3, nil }, // answers, but its ctx is done
	}
	got := Collect(ctx, tasks, time.Hour)
	checkResults(t, got, []Result{
		{Err: context.DeadlineExceeded},
		{Err: context.DeadlineExceeded},
		{Err: context.DeadlineExceeded},
	})
}
