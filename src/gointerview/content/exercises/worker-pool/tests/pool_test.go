package workerpool

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
)

func noop(context.Context) {}

func mustSubmit(t *testing.T, p *Pool, task func(context.Context)) {
	t.Helper()
	if err := p.Submit(context.Background(), task); err != nil {
		t.Fatalf("Submit on an open pool with room in the queue = %v, want nil", err)
	}
}

func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s should panic", what)
		}
	}()
	f()
}

// doneWatcher is a context that reports when its Done channel is first asked for, so a test
// knows Submit has got as far as waiting on the caller's context.
type doneWatcher struct {
	context.Context
	once  sync.Once
	asked chan struct{}
}

func (c *doneWatcher) Done() <-chan struct{} {
	c.once.Do(func() { close(c.asked) })
	return c.Context.Done()
}

func TestNewValidatesArguments(t *testing.T) {
	mustPanic(t, "New(ctx, 0, 1)", func() { New(context.Background(), 0, 1) })
	mustPanic(t, "New(ctx, 1, -1)", func() { New(context.Background(), 1, -1) })
}

func TestRunsEveryTask(t *testing.T) {
	p := New(context.Background(), 2, 100)
	var ran atomic.Int64
	for range 100 {
		mustSubmit(t, p, func(context.Context) { ran.Add(1) })
	}
	p.Close() // many of the tasks are still queued: Close must let them run
	if got := ran.Load(); got != 100 {
		t.Fatalf("%d of 100 submitted tasks ran by the time Close returned, want all 100", got)
	}
	if got := p.Completed(); got != 100 {
		t.Fatalf("Completed() = %d after Close, want 100", got)
	}
}

func TestWorkersRunConcurrently(t *testing.T) {
	// Four workers and no queue: four tasks that wait for each other can only all start if
	// four workers run them at the same time. They then finish together.
	p := New(context.Background(), 4, 0)
	var started sync.WaitGroup
	started.Add(4)
	gate := make(chan struct{})
	for range 4 {
		mustSubmit(t, p, func(context.Context) {
			started.Done()
			<-gate
		})
	}
	started.Wait()
	if got := p.Completed(); got != 0 {
		t.Errorf("Completed() = %d while every task is still running, want 0", got)
	}
	close(gate)
	p.Close()
	if got := p.Completed(); got != 4 {
		t.Fatalf("Completed() = %d after Close, want 4", got)
	}
}

func TestConcurrentSubmitters(t *testing.T) {
	p := New(context.Background(), 4, 4)
	var ran atomic.Int64
	stop := make(chan struct{})
	polled := make(chan error)
	go func() { // read Completed while the workers update it
		var last int64
		for {
			select {
			case <-stop:
				polled <- nil
				return
			default:
			}
			c := p.Completed()
			if c < last {
				polled <- errors.New("Completed() went backwards")
				return
			}
			last = c
		}
	}()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if err := p.Submit(context.Background(), func(context.Context) { ran.Add(1) }); err != nil {
					t.Errorf("Submit = %v, want nil", err)
					return
				}
			}
		})
	}
	wg.Wait()
	p.Close()
	close(stop)
	if err := <-polled; err != nil {
		t.Error(err)
	}
	if got := ran.Load(); got != 400 {
		t.Fatalf("%d of 400 tasks ran, want all of them", got)
	}
	if got := p.Completed(); got != 400 {
		t.Fatalf("Completed() = %d, want 400", got)
	}
}

func TestBackpressureBlocksSubmitWhileQueueIsFull(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := New(context.Background(), 1, 2)
		var mu sync.Mutex
		var order []int
		gate := make(chan struct{})
		task := func(i int) func(context.Context) {
			return func(context.Context) {
				if i == 0 {
					<-gate
				}
				mu.Lock()
				order = append(order, i)
				mu.Unlock()
			}
		}
		mustSubmit(t, p, task(0))
		synctest.Wait() // the only worker is now busy with task 0
		mustSubmit(t, p, task(1))
		mustSubmit(t, p, task(2)) // the queue (2) is full now

		submitted := make(chan error, 1)
		go func() { submitted <- p.Submit(context.Background(), task(3)) }()
		synctest.Wait()
		select {
		case err := <-submitted:
			t.Fatalf("Submit returned %v while the queue was full; want it to block until there is room", err)
		default:
		}

		close(gate) // the worker takes task 1, making room for task 3
		if err := <-submitted; err != nil {
			t.Fatalf("blocked Submit = %v once the queue had room, want nil", err)
		}
		p.Close()
		if want := []int{0, 1, 2, 3}; !slices.Equal(order, want) {
			t.Fatalf("one worker ran the tasks in order %v, want %v (first in, first out)", order, want)
		}
	})
}

func TestSubmitHonoursCtxWhileBlocked(t *testing.T) {
	p := New(context.Background(), 1, 1)
	gate := make(chan struct{})
	started := make(chan struct{})
	mustSubmit(t, p, func(context.Context) { close(started); <-gate })
	<-started
	mustSubmit(t, p, noop) // fills the queue

	inner, cancel := context.WithCancel(context.Background())
	defer cancel()
	ctx := &doneWatcher{Context: inner, asked: make(chan struct{})}
	rejected := false
	errc := make(chan error, 1)
	go func() { errc <- p.Submit(ctx, func(context.Context) { rejected = true }) }()
	select {
	case <-ctx.asked: // Submit is waiting, and watching ctx
	case err := <-errc:
		t.Fatalf("Submit returned %v while the queue was full, want it to block", err)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("Submit blocked on a full queue returned %v after its ctx was cancelled, want context.Canceled", err)
	}
	close(gate)
	p.Close()
	if rejected {
		t.Fatal("a task whose Submit returned an error was run anyway")
	}
}

func TestSubmitWithDoneCtxDoesNotQueue(t *testing.T) {
	p := New(context.Background(), 1, 4)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	if err := p.Submit(ctx, func(context.Context) { ran = true }); !errors.Is(err, context.Canceled) {
		t.Errorf("Submit with a cancelled ctx = %v, want context.Canceled", err)
	}
	p.Close()
	if ran {
		t.Fatal("a task submitted with a cancelled ctx was run")
	}
}

func TestCloseUnblocksSubmitAndFinishesQueuedTasks(t *testing.T) {
	p := New(context.Background(), 1, 1)
	gate := make(chan struct{})
	started := make(chan struct{})
	mustSubmit(t, p, func(context.Context) { close(started); <-gate })
	<-started
	var queuedRan atomic.Bool
	mustSubmit(t, p, func(context.Context) { queuedRan.Store(true) }) // fills the queue

	var rejectedRan atomic.Bool
	errc := make(chan error, 1)
	go func() { errc <- p.Submit(context.Background(), func(context.Context) { rejectedRan.Store(true) }) }()
	closed := make(chan struct{})
	go func() { p.Close(); close(closed) }()

	if err := <-errc; !errors.Is(err, ErrClosed) {
		t.Fatalf("Submit blocked on a full queue returned %v when the pool was closed, want ErrClosed", err)
	}
	select {
	case <-closed:
		t.Fatal("Close returned while a task was still running; it must wait for the workers")
	default:
	}
	close(gate)
	<-closed
	if !queuedRan.Load() {
		t.Fatal("a task queued before Close never ran; Close must let queued tasks finish")
	}
	if rejectedRan.Load() {
		t.Fatal("a task whose Submit returned ErrClosed was run anyway")
	}
	if got := p.Completed(); got != 2 {
		t.Fatalf("Completed() = %d, want 2", got)
	}
}

func TestCloseIsIdempotent(t *testing.T) {
	p := New(context.Background(), 2, 2)
	mustSubmit(t, p, noop)
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(p.Close) // concurrent first calls
	}
	wg.Wait()
	p.Close() // and a later one
	if err := p.Submit(context.Background(), noop); !errors.Is(err, ErrClosed) {
		t.Fatalf("Submit after Close = %v, want ErrClosed", err)
	}
}

type ctxKey struct{}

func TestCancelStopsWorkers(t *testing.T) {
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), ctxKey{}, "pool"))
	defer cancel()
	p := New(ctx, 2, 10)
	var started sync.WaitGroup
	started.Add(2)
	taskCtxs := make(chan context.Context, 2)
	for range 2 {
		mustSubmit(t, p, func(tctx context.Context) {
			taskCtxs <- tctx
			started.Done()
			<-tctx.Done() // runs until the pool is cancelled
		})
	}
	started.Wait()
	var queuedRan atomic.Int64
	for range 5 {
		mustSubmit(t, p, func(context.Context) { queuedRan.Add(1) })
	}

	cancel()
	p.Close() // the running tasks see their ctx cancelled; the queued ones are dropped
	if got := queuedRan.Load(); got != 0 {
		t.Errorf("%d tasks started after the pool's ctx was cancelled, want 0", got)
	}
	for range 2 {
		tctx := <-taskCtxs
		if tctx.Value(ctxKey{}) != "pool" {
			t.Error("a task's ctx is not the pool's ctx (or derived from it)")
		}
	}
	if err := p.Submit(context.Background(), noop); !errors.Is(err, ErrClosed) {
		t.Fatalf("Submit after the pool's ctx was cancelled = %v, want ErrClosed", err)
	}
}

func TestCancelWithoutCloseStopsWorkers(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p := New(ctx, 3, 3)
	ran := make(chan struct{})
	mustSubmit(t, p, func(context.Context) { close(ran) })
	<-ran
	cancel()
	if err := p.Submit(context.Background(), noop); !errors.Is(err, ErrClosed) {
		t.Fatalf("Submit after the pool's ctx was cancelled = %v, want ErrClosed", err)
	}
	// No Close: cancelling the ctx alone must stop the workers. Any still running when the
	// tests end are reported as leaked goroutines.
}
