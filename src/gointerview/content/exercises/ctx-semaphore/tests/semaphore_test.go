package semaphore

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// Tests that wait run inside synctest bubbles: synctest.Wait returns once every goroutine
// in the bubble is blocked, so "this Acquire is still waiting" is a sure check.

func acquireAsync(s *Weighted, ctx context.Context, n int64) <-chan error {
	errc := make(chan error, 1)
	go func() { errc <- s.Acquire(ctx, n) }()
	return errc
}

func mustWait(t *testing.T, what string, errc <-chan error) {
	t.Helper()
	synctest.Wait()
	select {
	case err := <-errc:
		t.Fatalf("%s returned %v, want it to keep waiting", what, err)
	default:
	}
}

func mustGet(t *testing.T, what string, errc <-chan error) {
	t.Helper()
	synctest.Wait()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("%s = %v, want nil", what, err)
		}
	default:
		t.Fatalf("%s is still waiting, want it granted by now", what)
	}
}

func mustAcquire(t *testing.T, s *Weighted, n int64) {
	t.Helper()
	if err := s.Acquire(context.Background(), n); err != nil {
		t.Fatalf("Acquire(%d) with room = %v, want nil", n, err)
	}
}

func TestAcquireAndRelease(t *testing.T) {
	s := New(5)
	mustAcquire(t, s, 2)
	mustAcquire(t, s, 3)
	if s.TryAcquire(1) {
		t.Fatal("TryAcquire(1) on a full semaphore of 5 = true, want false")
	}
	s.Release(3)
	if !s.TryAcquire(3) {
		t.Fatal("TryAcquire(3) with 3 free = false, want true")
	}
	if s.TryAcquire(1) {
		t.Fatal("TryAcquire(1) on a full semaphore = true, want false")
	}
	s.Release(5)
	if !s.TryAcquire(5) {
		t.Fatal("TryAcquire(5) on an empty semaphore of 5 = false, want true")
	}
}

func TestAcquireBlocksUntilEnoughIsReleased(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		base, stop := context.WithCancel(context.Background())
		defer stop() // a failed check must not leave an Acquire blocked in the bubble
		s := New(3)
		mustAcquire(t, s, 3)
		errc := acquireAsync(s, base, 2)
		mustWait(t, "Acquire(2) on a full semaphore", errc)
		s.Release(1)
		mustWait(t, "Acquire(2) with only 1 free", errc)
		s.Release(1)
		mustGet(t, "Acquire(2) once 2 are free", errc)
		if s.TryAcquire(2) {
			t.Fatal("TryAcquire(2) with 1 free = true, want false")
		}
		s.Release(3)
	})
}

func TestFirstComeFirstServed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		base, stop := context.WithCancel(context.Background())
		defer stop() // a failed check must not leave an Acquire blocked in the bubble
		s := New(10)
		mustAcquire(t, s, 9)
		big := acquireAsync(s, base, 10)
		mustWait(t, "Acquire(10) with 1 free", big)
		small := acquireAsync(s, base, 1)
		mustWait(t, "Acquire(1) queued behind a waiting Acquire(10)", small)
		if s.TryAcquire(1) {
			t.Fatal("TryAcquire(1) succeeded while an Acquire(10) was waiting; it must not jump the queue")
		}
		s.Release(9)
		mustGet(t, "Acquire(10) once all 10 are free", big)
		mustWait(t, "Acquire(1) while the Acquire(10) ahead of it holds everything", small)
		s.Release(10)
		mustGet(t, "Acquire(1) after the big one released", small)
		s.Release(1)
	})
}

func TestCancelWhileWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		base, stop := context.WithCancel(context.Background())
		defer stop() // a failed check must not leave an Acquire blocked in the bubble
		s := New(2)
		mustAcquire(t, s, 2)
		ctx, cancel := context.WithCancel(base)
		errc := acquireAsync(s, ctx, 1)
		mustWait(t, "Acquire(1) on a full semaphore", errc)
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Fatalf("Acquire after its ctx was cancelled = %v, want context.Canceled", err)
		}
		s.Release(2)
		if !s.TryAcquire(2) {
			t.Fatal("TryAcquire(2) after releasing everything = false: the cancelled Acquire must hold nothing and wait no more")
		}
	})
}

func TestDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		base, stop := context.WithCancel(context.Background())
		defer stop() // a failed check must not leave an Acquire blocked in the bubble
		s := New(1)
		mustAcquire(t, s, 1)
		ctx, cancel := context.WithTimeout(base, 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := s.Acquire(ctx, 1)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Acquire with a 100ms deadline on a full semaphore = %v, want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d != 100*time.Millisecond {
			t.Fatalf("Acquire gave up after %v, want exactly 100ms", d)
		}
		s.Release(1)
		if !s.TryAcquire(1) {
			t.Fatal("TryAcquire(1) after the release = false, want true")
		}
	})
}

func TestCancelledHeadLetsOthersThrough(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		base, stop := context.WithCancel(context.Background())
		defer stop() // a failed check must not leave an Acquire blocked in the bubble
		s := New(10)
		mustAcquire(t, s, 5)
		ctx, cancel := context.WithCancel(base)
		big := acquireAsync(s, ctx, 10)
		mustWait(t, "Acquire(10) with 5 free", big)
		small := acquireAsync(s, base, 3)
		mustWait(t, "Acquire(3) queued behind Acquire(10)", small)
		cancel() // the waiter at the head gives up: the one behind it fits in the 5 free
		mustGet(t, "Acquire(3) once the Acquire(10) ahead of it gave up (5 are free)", small)
		if err := <-big; !errors.Is(err, context.Canceled) {
			t.Fatalf("the cancelled Acquire(10) = %v, want context.Canceled", err)
		}
		s.Release(8)
		if !s.TryAcquire(10) {
			t.Fatal("TryAcquire(10) after releasing everything = false, want true")
		}
	})
}

func TestAlreadyDoneContext(t *testing.T) {
	s := New(3)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Acquire(ctx, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("Acquire with a cancelled ctx on an empty semaphore = %v, want context.Canceled", err)
	}
	if !s.TryAcquire(3) {
		t.Fatal("TryAcquire(3) = false: an Acquire with a cancelled ctx must take nothing")
	}
}

func TestInvalidRequests(t *testing.T) {
	s := New(4)
	if err := s.Acquire(context.Background(), 5); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Acquire(5) on a semaphore of 4 = %v, want ErrTooLarge", err)
	}
	for _, c := range []struct {
		what string
		f    func()
	}{
		{"New(0)", func() { New(0) }},
		{"Acquire(ctx, 0)", func() { s.Acquire(context.Background(), 0) }},
		{"TryAcquire(-1)", func() { s.TryAcquire(-1) }},
		{"Release(1) of nothing", func() { s.Release(1) }},
		{"Release(3) of 2 held", func() { mustAcquire(t, s, 2); s.Release(3) }},
	} {
		what, f := c.what, c.f
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s should panic", what)
				}
			}()
			f()
		}()
	}
}

func TestNeverOverCommitted(t *testing.T) {
	const size = 4
	s := New(size)
	var inUse, peak atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for g := range 8 {
		wg.Go(func() {
			<-start // all at once, so they contend
			for i := range 400 {
				n := int64((g+i)%3 + 1)
				if err := s.Acquire(context.Background(), n); err != nil {
					t.Errorf("Acquire(%d) = %v", n, err)
					return
				}
				now := inUse.Add(n)
				for {
					p := peak.Load()
					if now <= p || peak.CompareAndSwap(p, now) {
						break
					}
				}
				inUse.Add(-n)
				s.Release(n)
			}
		})
	}
	close(start)
	wg.Wait()
	if p := peak.Load(); p > size {
		t.Fatalf("%d units were held at once on a semaphore of %d", p, size)
	}
	if !s.TryAcquire(size) {
		t.Fatal("TryAcquire(size) after every goroutine released = false, want true")
	}
}
