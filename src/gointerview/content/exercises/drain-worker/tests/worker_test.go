package drain

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// Timing tests run inside synctest bubbles: time.Sleep, timers and context deadlines use a
// fake clock, and synctest.Wait returns once every goroutine in the bubble is blocked, so
// "this Submit is still blocked" and "Stop returned at exactly 50ms" are sure checks.

// recorder is a handle func that remembers what it was given.
type recorder struct {
	mu    sync.Mutex
	items []int
}

func (r *recorder) add(item int) {
	r.mu.Lock()
	r.items = append(r.items, item)
	r.mu.Unlock()
}

func (r *recorder) got() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.items)
}

func submitAsync(w *Worker[int], ctx context.Context, item int) <-chan error {
	errc := make(chan error, 1)
	go func() { errc <- w.Submit(ctx, item) }()
	return errc
}

func mustSubmit(t *testing.T, w *Worker[int], item int) {
	t.Helper()
	if err := w.Submit(context.Background(), item); err != nil {
		t.Fatalf("Submit(%d) = %v, want nil", item, err)
	}
}

func TestStopDrainsEverythingAccepted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var r recorder
		w := New(10, func(ctx context.Context, item int) {
			time.Sleep(10 * time.Millisecond)
			r.add(item)
		})
		for i := range 5 {
			mustSubmit(t, w, i)
		}
		start := time.Now()
		if err := w.Stop(context.Background()); err != nil {
			t.Fatalf("Stop = %v, want nil", err)
		}
		if got := r.got(); !slices.Equal(got, []int{0, 1, 2, 3, 4}) {
			t.Fatalf("items handled by the time Stop returned: %v, want [0 1 2 3 4] (every accepted item, in order)", got)
		}
		if d := time.Since(start); d != 50*time.Millisecond {
			t.Fatalf("Stop returned after %v, want 50ms (five 10ms items)", d)
		}
	})
}

func TestSubmitAfterStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var r recorder
		w := New(2, func(ctx context.Context, item int) { r.add(item) })
		mustSubmit(t, w, 1)
		if err := w.Stop(context.Background()); err != nil {
			t.Fatalf("Stop = %v, want nil", err)
		}
		if err := w.Submit(context.Background(), 2); !errors.Is(err, ErrStopped) {
			t.Fatalf("Submit after Stop = %v, want ErrStopped", err)
		}
		if err := w.Stop(context.Background()); err != nil {
			t.Fatalf("a second Stop = %v, want nil", err)
		}
		if got := r.got(); !slices.Equal(got, []int{1}) {
			t.Fatalf("handled %v, want [1]", got)
		}
	})
}

func TestBlockedSubmitGetsErrStopped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var r recorder
		gate := make(chan struct{})
		w := New(1, func(ctx context.Context, item int) {
			<-gate
			r.add(item)
		})
		mustSubmit(t, w, 1) // the worker takes it and waits at the gate
		synctest.Wait()
		mustSubmit(t, w, 2) // fills the queue
		blocked := submitAsync(w, context.Background(), 3)
		synctest.Wait()
		select {
		case err := <-blocked:
			t.Fatalf("Submit(3) on a full queue returned %v, want it blocked", err)
		default:
		}
		stopped := make(chan error, 1)
		go func() { stopped <- w.Stop(context.Background()) }()
		if err := <-blocked; !errors.Is(err, ErrStopped) {
			t.Fatalf("a Submit blocked when Stop began = %v, want ErrStopped", err)
		}
		synctest.Wait()
		select {
		case err := <-stopped:
			t.Fatalf("Stop returned %v while item 1 was still being handled, want it to wait", err)
		default:
		}
		close(gate)
		if err := <-stopped; err != nil {
			t.Fatalf("Stop = %v, want nil", err)
		}
		if got := r.got(); !slices.Equal(got, []int{1, 2}) {
			t.Fatalf("handled %v, want [1 2]: the two accepted items, not the rejected one", got)
		}
	})
}

func TestSubmitHonoursCtx(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var r recorder
		gate := make(chan struct{})
		w := New(0, func(ctx context.Context, item int) {
			<-gate
			r.add(item)
		})
		mustSubmit(t, w, 1) // an unbuffered queue: accepted once the worker takes it
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		if err := w.Submit(ctx, 2); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Submit while the worker is busy, with a 200ms deadline = %v, want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d != 200*time.Millisecond {
			t.Fatalf("Submit gave up after %v, want 200ms", d)
		}
		done, cancelDone := context.WithCancel(context.Background())
		cancelDone()
		if err := w.Submit(done, 3); !errors.Is(err, context.Canceled) {
			t.Fatalf("Submit with a cancelled ctx = %v, want context.Canceled", err)
		}
		close(gate)
		if err := w.Stop(context.Background()); err != nil {
			t.Fatalf("Stop = %v, want nil", err)
		}
		if got := r.got(); !slices.Equal(got, []int{1}) {
			t.Fatalf("handled %v, want [1]: items whose Submit failed must never be handled", got)
		}
	})
}

func TestStopDeadlineAbandonsTheRest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var r recorder
		var cancelled atomic.Int64
		w := New(5, func(ctx context.Context, item int) {
			if item == 0 {
				time.Sleep(time.Second)
				r.add(item)
				return
			}
			<-ctx.Done() // item 1 never finishes on its own
			cancelled.Add(1)
		})
		for i := range 3 {
			mustSubmit(t, w, i)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
		defer cancel()
		start := time.Now()
		if err := w.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Stop with a 1.5s deadline while an item hangs = %v, want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d != 1500*time.Millisecond {
			t.Fatalf("Stop returned after %v, want 1.5s", d)
		}
		if got := r.got(); !slices.Equal(got, []int{0}) {
			t.Fatalf("handled %v, want [0]", got)
		}
		if c := cancelled.Load(); c != 1 {
			t.Fatalf("%d handle calls saw their ctx cancelled, want 1 (item 1; item 2 must be dropped, not started)", c)
		}
	})
}

func TestConcurrentStops(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var r recorder
		w := New(4, func(ctx context.Context, item int) {
			time.Sleep(time.Millisecond)
			r.add(item)
		})
		for i := range 4 {
			mustSubmit(t, w, i)
		}
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() {
				if err := w.Stop(context.Background()); err != nil {
					t.Errorf("Stop = %v, want nil", err)
				}
				if n := len(r.got()); n != 4 {
					t.Errorf("a Stop returned with %d of 4 items handled, want all of them", n)
				}
			})
		}
		wg.Wait()
	})
}

func TestSubmittersRacingStop(t *testing.T) {
	var handled atomic.Int64
	w := New(4, func(ctx context.Context, item int) { handled.Add(1) })
	var accepted atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for g := range 4 {
		wg.Go(func() {
			<-start
			for i := range 100 {
				switch err := w.Submit(context.Background(), g*100+i); {
				case err == nil:
					accepted.Add(1)
				case errors.Is(err, ErrStopped):
				default:
					t.Errorf("Submit = %v, want nil or ErrStopped", err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		<-start
		for range 20 {
			if err := w.Submit(context.Background(), -1); err == nil {
				accepted.Add(1)
			}
		}
		if err := w.Stop(context.Background()); err != nil {
			t.Errorf("Stop = %v, want nil", err)
		}
	})
	close(start)
	wg.Wait()
	if h, a := handled.Load(), accepted.Load(); h != a {
		t.Fatalf("%d items were accepted but %d handled: every accepted item must be handled", a, h)
	}
}

func TestNewPanics(t *testing.T) {
	for _, c := range []struct {
		what string
		f    func()
	}{
		{"New(-1, handle)", func() { New(-1, func(context.Context, int) {}) }},
		{"New(1, nil)", func() { New[int](1, nil) }},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s should panic", c.what)
				}
			}()
			c.f()
		}()
	}
}
