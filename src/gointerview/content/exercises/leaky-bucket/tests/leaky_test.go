package leakybucket

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// Timing tests run inside synctest bubbles: time.Now, timers and context deadlines use a
// fake clock that moves only when every goroutine in the bubble is blocked, so the times
// checked below are exact on any machine.

func waitAsync(l *Limiter, ctx context.Context) <-chan error {
	errc := make(chan error, 1)
	go func() { errc <- l.Wait(ctx) }()
	return errc
}

func mustPassAt(t *testing.T, l *Limiter, start time.Time, want time.Duration, what string) {
	t.Helper()
	if err := l.Wait(context.Background()); err != nil {
		t.Fatalf("%s: Wait = %v, want nil", what, err)
	}
	if got := time.Since(start); got != want {
		t.Fatalf("%s: Wait returned at %v, want %v", what, got, want)
	}
}

func TestFirstCallerPassesAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(100*time.Millisecond, 3)
		start := time.Now()
		mustPassAt(t, l, start, 0, "the first caller of an empty bucket")
		mustPassAt(t, l, start, 100*time.Millisecond, "the second caller")
		mustPassAt(t, l, start, 200*time.Millisecond, "the third caller")
	})
}

func TestCallersLeaveEvenlySpaced(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(100*time.Millisecond, 10)
		start := time.Now()
		var mu sync.Mutex
		var times []time.Duration
		var wg sync.WaitGroup
		for range 5 {
			wg.Go(func() {
				if err := l.Wait(context.Background()); err != nil {
					t.Errorf("Wait = %v, want nil", err)
					return
				}
				mu.Lock()
				times = append(times, time.Since(start))
				mu.Unlock()
			})
		}
		wg.Wait()
		slices.Sort(times)
		want := []time.Duration{0, 100 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond, 400 * time.Millisecond}
		if !slices.Equal(times, want) {
			t.Fatalf("5 callers arriving together left at %v, want %v (one per interval)", times, want)
		}
	})
}

func TestNoBurstAfterIdle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(100*time.Millisecond, 5)
		start := time.Now()
		mustPassAt(t, l, start, 0, "the first caller")
		time.Sleep(time.Second) // a quiet spell must not save up turns
		mustPassAt(t, l, start, time.Second, "the first caller after 1s idle")
		mustPassAt(t, l, start, time.Second+100*time.Millisecond, "the second caller after 1s idle (a leaky bucket never lets a burst through)")
		mustPassAt(t, l, start, time.Second+200*time.Millisecond, "the third caller after 1s idle")
	})
}

func TestFullBucketRejects(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		base, stop := context.WithCancel(context.Background())
		defer stop()
		l := New(time.Second, 2)
		start := time.Now()
		mustPassAt(t, l, start, 0, "the first caller")
		first, second := waitAsync(l, base), waitAsync(l, base)
		synctest.Wait() // both are queued now
		if err := l.Wait(base); !errors.Is(err, ErrFull) {
			t.Fatalf("Wait with 2 callers queued in a bucket of capacity 2 = %v, want ErrFull", err)
		}
		if d := time.Since(start); d != 0 {
			t.Fatalf("the rejected Wait returned after %v, want at once", d)
		}
		for _, errc := range []<-chan error{first, second} {
			if err := <-errc; err != nil {
				t.Fatalf("a queued Wait = %v, want nil", err)
			}
		}
		if d := time.Since(start); d != 2*time.Second {
			t.Fatalf("the two queued callers were through after %v, want 2s", d)
		}
		mustPassAt(t, l, start, 3*time.Second, "a caller once the bucket has room again")
	})
}

func TestCapacityCountsOnlyWaitingCallers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(time.Second, 1)
		start := time.Now()
		mustPassAt(t, l, start, 0, "the first caller")
		time.Sleep(1500 * time.Millisecond) // the bucket is empty again
		mustPassAt(t, l, start, 1500*time.Millisecond, "a caller after the bucket emptied")
		errc := waitAsync(l, context.Background())
		synctest.Wait()
		if err := l.Wait(context.Background()); !errors.Is(err, ErrFull) {
			t.Fatalf("Wait with 1 caller queued in a bucket of capacity 1 = %v, want ErrFull", err)
		}
		if err := <-errc; err != nil {
			t.Fatalf("the queued Wait = %v, want nil", err)
		}
		if d := time.Since(start); d != 2500*time.Millisecond {
			t.Fatalf("the queued caller left at %v, want 2.5s", d)
		}
	})
}

func TestCancelWhileWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(time.Second, 3)
		start := time.Now()
		mustPassAt(t, l, start, 0, "the first caller")
		ctx, cancel := context.WithCancel(context.Background())
		errc := waitAsync(l, ctx)
		synctest.Wait()
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Fatalf("Wait after its ctx was cancelled = %v, want context.Canceled", err)
		}
		if d := time.Since(start); d != 0 {
			t.Fatalf("the cancelled Wait returned after %v, want at once", d)
		}
	})
}

func TestDeadlineWhileWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(time.Second, 3)
		start := time.Now()
		mustPassAt(t, l, start, 0, "the first caller")
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		if err := l.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Wait with a 300ms deadline, its turn at 1s = %v, want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d != 300*time.Millisecond {
			t.Fatalf("Wait gave up after %v, want 300ms", d)
		}
	})
}

func TestAlreadyDoneTakesNoTurn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(time.Second, 3)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("Wait with a cancelled ctx = %v, want context.Canceled", err)
		}
		start := time.Now()
		mustPassAt(t, l, start, 0, "the first real caller (a Wait with a done ctx takes no turn)")
	})
}

func TestConcurrentCallersRealClock(t *testing.T) {
	l := New(time.Microsecond, 1000)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 8 {
		wg.Go(func() {
			<-start // all at once, so they contend
			for range 40 {
				if err := l.Wait(context.Background()); err != nil {
					t.Errorf("Wait = %v with at most 320 callers in a bucket of 1000", err)
					return
				}
			}
		})
	}
	close(start)
	wg.Wait()
}

func TestNewPanics(t *testing.T) {
	for _, c := range []struct {
		interval time.Duration
		capacity int
	}{{0, 1}, {-time.Second, 1}, {time.Second, 0}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%v, %d) should panic", c.interval, c.capacity)
				}
			}()
			New(c.interval, c.capacity)
		}()
	}
}
