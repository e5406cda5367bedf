package tokenbucket

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// Every test runs inside a synctest bubble: time.Now, time.Sleep, timers and context
// deadlines use a fake clock that only moves when every goroutine in the bubble is blocked,
// so the timings below are exact and do not depend on the machine's speed.

// slack is how late Wait may return after the moment its token became available.
const slack = time.Millisecond

// drain takes every token that is available now and returns how many there were.
func drain(l *Limiter) int {
	n := 0
	for l.Allow() {
		n++
		if n > 1_000_000 {
			break
		}
	}
	return n
}

func wantAllow(t *testing.T, l *Limiter, want bool, when string) {
	t.Helper()
	if got := l.Allow(); got != want {
		t.Fatalf("%s: Allow() = %v, want %v", when, got, want)
	}
}

func TestStartsFull(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(1, 5)
		for i := 1; i <= 5; i++ {
			wantAllow(t, l, true, fmt.Sprintf("a new bucket with burst 5, call %d at t=0", i))
		}
		wantAllow(t, l, false, "a new bucket with burst 5, 6th call at the same instant")
	})
}

func TestRefillRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(4, 1) // one token every 250ms
		wantAllow(t, l, true, "t=0")
		time.Sleep(249 * time.Millisecond)
		wantAllow(t, l, false, "t=249ms (rate 4/s, the next token is due at 250ms)")
		time.Sleep(2 * time.Millisecond)
		wantAllow(t, l, true, "t=251ms (rate 4/s, a token was due at 250ms)")
		wantAllow(t, l, false, "t=251ms, second call")
		time.Sleep(250 * time.Millisecond)
		wantAllow(t, l, true, "t=501ms")
	})
}

func TestFractionalTokensAccumulate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(2, 2) // one token every 500ms
		if n := drain(l); n != 2 {
			t.Fatalf("a new bucket with burst 2 allowed %d calls, want 2", n)
		}
		// Half a token at 250ms is not enough, and asking must not throw the half away.
		time.Sleep(250 * time.Millisecond)
		wantAllow(t, l, false, "t=250ms (half a token)")
		time.Sleep(250 * time.Millisecond)
		wantAllow(t, l, true, "t=500ms (two half tokens make one: refill is continuous, a failed Allow must not discard the fraction)")
		wantAllow(t, l, false, "t=500ms, second call")
		// Many small steps add up the same way: four quarter tokens make one.
		for i := 1; i <= 4; i++ {
			time.Sleep(125 * time.Millisecond)
			wantAllow(t, l, i == 4, fmt.Sprintf("t=500ms + %d×125ms at rate 2/s (a failed Allow in between each step)", i))
		}
	})
}

func TestRefillCappedAtBurst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(10, 3)
		if n := drain(l); n != 3 {
			t.Fatalf("a new bucket with burst 3 allowed %d calls, want 3", n)
		}
		time.Sleep(10 * time.Second) // 100 tokens' worth, but the bucket holds 3
		if n := drain(l); n != 3 {
			t.Fatalf("after 10s idle at rate 10/s with burst 3, %d calls were allowed at once, want 3 (the bucket never holds more than burst)", n)
		}
	})
}

func TestWaitReturnsAtOnceWhenTokenAvailable(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(1, 2)
		start := time.Now()
		for i := 0; i < 2; i++ {
			if err := l.Wait(context.Background()); err != nil {
				t.Fatalf("Wait on a bucket with tokens = %v, want nil", err)
			}
		}
		if d := time.Since(start); d != 0 {
			t.Fatalf("two Waits on a full bucket of 2 took %v, want 0", d)
		}
		wantAllow(t, l, false, "after two Waits took both tokens")
	})
}

func TestWaitBlocksUntilTokenDue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(4, 1)
		wantAllow(t, l, true, "t=0")
		start := time.Now()
		if err := l.Wait(context.Background()); err != nil {
			t.Fatalf("Wait = %v, want nil", err)
		}
		if d := time.Since(start); d < 250*time.Millisecond || d > 250*time.Millisecond+slack {
			t.Fatalf("Wait on an empty bucket at rate 4/s returned after %v, want 250ms", d)
		}
		wantAllow(t, l, false, "right after Wait took the token")
		// Sequential waits follow the rate.
		start = time.Now()
		for i := 0; i < 4; i++ {
			if err := l.Wait(context.Background()); err != nil {
				t.Fatalf("Wait = %v, want nil", err)
			}
		}
		if d := time.Since(start); d < time.Second || d > time.Second+4*slack {
			t.Fatalf("4 Waits in a row at rate 4/s took %v, want 1s", d)
		}
	})
}

func TestConcurrentWaitersShareTheRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(4, 1)
		wantAllow(t, l, true, "t=0")
		start := time.Now()
		var mu sync.Mutex
		var done []time.Duration
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Go(func() {
				if err := l.Wait(context.Background()); err != nil {
					t.Errorf("Wait = %v, want nil", err)
				}
				mu.Lock()
				done = append(done, time.Since(start))
				mu.Unlock()
			})
		}
		wg.Wait()
		slices.Sort(done)
		for i, d := range done {
			want := time.Duration(i+1) * 250 * time.Millisecond
			if d < want || d > want+slack {
				t.Fatalf("4 concurrent Waits at rate 4/s returned at %v, want 250ms, 500ms, 750ms, 1s (one token each)", done)
			}
		}
		wantAllow(t, l, false, "after the 4 waiters took every token")
	})
}

func TestWaitCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(1, 1)
		wantAllow(t, l, true, "t=0")
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan error, 1)
		go func() { done <- l.Wait(ctx) }()

		time.Sleep(500 * time.Millisecond)
		synctest.Wait()
		select {
		case err := <-done:
			t.Fatalf("Wait returned %v at t=500ms; the next token is due at 1s and ctx is live", err)
		default:
		}

		cancel()
		synctest.Wait() // Wait must return without any more time passing
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Wait after cancel = %v, want context.Canceled", err)
			}
		default:
			t.Errorf("Wait did not return when its ctx was cancelled (it must stop waiting at once)")
			<-done // let it finish so the bubble can end
		}

		// Giving up must not have used the token due at 1s.
		time.Sleep(500*time.Millisecond + slack)
		wantAllow(t, l, true, "t=1s after a cancelled Wait (a Wait that gives up must not take the token)")
	})
}

func TestWaitDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(1, 1)
		wantAllow(t, l, true, "t=0")
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := l.Wait(ctx)
		d := time.Since(start)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Wait with a 100ms deadline before the next token (1s) = %v, want context.DeadlineExceeded", err)
		}
		if d != 100*time.Millisecond {
			t.Fatalf("Wait with a 100ms deadline returned after %v, want exactly 100ms (when the deadline passes, not earlier or later)", d)
		}
		time.Sleep(900*time.Millisecond + slack)
		wantAllow(t, l, true, "t=1s after a Wait that hit its deadline (it must not take the token)")

		// A deadline far enough away: Wait gets the token.
		ctx2, cancel2 := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel2()
		start = time.Now()
		if err := l.Wait(ctx2); err != nil {
			t.Fatalf("Wait with a 2s deadline and the next token due within 1s = %v, want nil", err)
		}
		if d := time.Since(start); d > time.Second {
			t.Fatalf("Wait with a 2s deadline returned after %v, want at most 1s", d)
		}
	})
}

func TestWaitAlreadyDone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(1, 2)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("Wait with an already-cancelled ctx on a full bucket = %v, want context.Canceled", err)
		}
		if n := drain(l); n != 2 {
			t.Fatalf("after a Wait with an already-cancelled ctx, %d of 2 tokens were left, want 2 (it must take nothing)", n)
		}
	})
}

func TestConcurrentUse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Time cannot move while goroutines are running, so exactly burst calls succeed.
		l := New(1, 50)
		var allowed sync.WaitGroup
		var mu sync.Mutex
		got := 0
		for g := 0; g < 10; g++ {
			allowed.Go(func() {
				n := 0
				for i := 0; i < 20; i++ {
					if l.Allow() {
						n++
					}
				}
				mu.Lock()
				got += n
				mu.Unlock()
			})
		}
		allowed.Wait()
		if got != 50 {
			t.Fatalf("10 goroutines calling Allow 20 times each on a bucket of 50 (no time passing) got %d tokens, want exactly 50", got)
		}

		// Now 10 waiters at rate 1/s: the last one is served at 10s.
		start := time.Now()
		var waiters sync.WaitGroup
		for g := 0; g < 10; g++ {
			waiters.Go(func() {
				if err := l.Wait(context.Background()); err != nil {
					t.Errorf("Wait = %v, want nil", err)
				}
				l.Allow()
			})
		}
		waiters.Wait()
		if d := time.Since(start); d < 10*time.Second {
			t.Fatalf("10 waiters (each also calling Allow) on an empty bucket at rate 1/s all returned after %v, want at least 10s", d)
		}
	})
}

func TestInvalidArgumentsPanic(t *testing.T) {
	for _, c := range []struct {
		rate  float64
		burst int
	}{{0, 1}, {-1, 1}, {1, 0}, {1, -3}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%v, %d) should panic", c.rate, c.burst)
				}
			}()
			New(c.rate, c.burst)
		}()
	}
}
