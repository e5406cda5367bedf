package retry

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// Every test runs inside a synctest bubble: time.Sleep, timers and context deadlines use a
// fake clock that only moves when every goroutine in the bubble is blocked, so the delays
// measured below are exact.

const ms = time.Millisecond

// tolerance allows for rounding when a fractional delay is turned into a Duration.
const tolerance = time.Microsecond

// randSeq returns a Policy.Rand that yields vals in order and fails the test if it is called
// more often than that.
func randSeq(t *testing.T, vals ...float64) func() float64 {
	i := 0
	return func() float64 {
		if i >= len(vals) {
			t.Errorf("Rand called %d times, want exactly %d (once per backoff)", i+1, len(vals))
			return 0
		}
		i++
		return vals[i-1]
	}
}

// randConst returns a Policy.Rand that always yields v.
func randConst(v float64) func() float64 { return func() float64 { return v } }

// script is an op that returns errs[i] on its i-th call (nil once errs runs out) and records
// when each call happened, relative to when the script was made.
type script struct {
	start time.Time
	errs  []error
	calls []time.Duration
}

func newScript(errs ...error) *script { return &script{start: time.Now(), errs: errs} }

func (s *script) op(ctx context.Context) error {
	n := len(s.calls)
	s.calls = append(s.calls, time.Since(s.start))
	if n < len(s.errs) {
		return s.errs[n]
	}
	return nil
}

// gaps returns the time between consecutive calls.
func (s *script) gaps() []time.Duration {
	var g []time.Duration
	for i := 1; i < len(s.calls); i++ {
		g = append(g, s.calls[i]-s.calls[i-1])
	}
	return g
}

func failing(n int) []error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = fmt.Errorf("attempt %d failed", i+1)
	}
	return errs
}

func wantGaps(t *testing.T, got, want []time.Duration, what string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: op was called %d times, want %d", what, len(got)+1, len(want)+1)
	}
	for i := range want {
		if d := got[i] - want[i]; d < -tolerance || d > tolerance {
			if len(want) <= 10 {
				t.Fatalf("%s: waits between attempts = %v, want %v", what, got, want)
			}
			t.Fatalf("%s: the wait before attempt %d was %v, want %v", what, i+2, got[i], want[i])
		}
	}
}

func TestSucceedsFirstTry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newScript()
		p := Policy{BaseDelay: 100 * ms, MaxDelay: time.Second, MaxAttempts: 5, Rand: randSeq(t)}
		if err := Retry(context.Background(), p, s.op); err != nil {
			t.Fatalf("Retry = %v, want nil", err)
		}
		if len(s.calls) != 1 || time.Since(s.start) != 0 {
			t.Fatalf("op was called %d times over %v, want once with no wait", len(s.calls), time.Since(s.start))
		}
	})
}

func TestRetriesUntilSuccess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		type key struct{}
		ctx := context.WithValue(context.Background(), key{}, "v")
		s := newScript(failing(2)...)
		p := Policy{BaseDelay: 100 * ms, MaxDelay: time.Second, MaxAttempts: 5, Rand: randSeq(t, 0.5, 0.5)}
		err := Retry(ctx, p, func(c context.Context) error {
			if c.Value(key{}) != "v" {
				t.Errorf("op got a context without the caller's values; pass it ctx")
			}
			return s.op(c)
		})
		if err != nil {
			t.Fatalf("Retry = %v, want nil (the 3rd attempt succeeds)", err)
		}
		if len(s.calls) != 3 {
			t.Fatalf("op was called %d times, want 3 (it succeeds on the 3rd call)", len(s.calls))
		}
		wantGaps(t, s.gaps(), []time.Duration{50 * ms, 100 * ms}, "base 100ms, Rand 0.5, 0.5")
	})
}

func TestExponentialBackoffWithFullJitter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		errs := failing(5)
		s := newScript(errs...)
		p := Policy{BaseDelay: 100 * ms, MaxDelay: 10 * time.Second, MaxAttempts: 5, Rand: randSeq(t, 0.5, 0.25, 0.75, 0.5)}
		err := Retry(context.Background(), p, s.op)
		if len(s.calls) != 5 {
			t.Fatalf("op was called %d times, want MaxAttempts = 5", len(s.calls))
		}
		// Ceilings 100ms, 200ms, 400ms, 800ms times the Rand values.
		wantGaps(t, s.gaps(), []time.Duration{50 * ms, 50 * ms, 300 * ms, 400 * ms},
			"base 100ms, Rand 0.5, 0.25, 0.75, 0.5 (ceilings 100, 200, 400, 800ms)")
		if !errors.Is(err, errs[4]) {
			t.Fatalf("Retry = %v, want an error wrapping the last op error %q", err, errs[4])
		}
		if d := time.Since(s.start); d != 800*ms {
			t.Fatalf("Retry took %v, want 800ms (no wait after the last attempt)", d)
		}
	})
}

func TestJitterBounds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newScript(failing(4)...)
		p := Policy{BaseDelay: 100 * ms, MaxDelay: time.Second, MaxAttempts: 4, Rand: randConst(0)}
		Retry(context.Background(), p, s.op)
		wantGaps(t, s.gaps(), []time.Duration{0, 0, 0}, "Rand always 0 (full jitter can mean no wait)")

		s = newScript(failing(4)...)
		p.Rand = randConst(0.999)
		Retry(context.Background(), p, s.op)
		wantGaps(t, s.gaps(), []time.Duration{99900 * time.Microsecond, 199800 * time.Microsecond, 399600 * time.Microsecond},
			"Rand always 0.999, base 100ms (the delay is Rand × ceiling)")
	})
}

func TestDelayCappedAtMaxDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newScript(failing(7)...)
		p := Policy{BaseDelay: 100 * ms, MaxDelay: 300 * ms, MaxAttempts: 7, Rand: randConst(0.5)}
		Retry(context.Background(), p, s.op)
		wantGaps(t, s.gaps(), []time.Duration{50 * ms, 100 * ms, 150 * ms, 150 * ms, 150 * ms, 150 * ms},
			"base 100ms, max 300ms, Rand always 0.5 (ceilings 100, 200, 300, 300... ms)")
	})
}

func TestManyAttemptsDoNotOverflow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Unlimited attempts; op succeeds on the 100th call. 2^99 seconds would overflow
		// a Duration many times over: the ceiling must stay at MaxDelay.
		s := newScript(failing(99)...)
		p := Policy{BaseDelay: time.Second, MaxDelay: time.Minute, MaxAttempts: 0, Rand: randConst(0.5)}
		if err := Retry(context.Background(), p, s.op); err != nil {
			t.Fatalf("Retry with MaxAttempts 0 (no limit) = %v, want nil after the 100th call succeeds", err)
		}
		if len(s.calls) != 100 {
			t.Fatalf("op was called %d times, want 100 (MaxAttempts 0 means no limit)", len(s.calls))
		}
		want := []time.Duration{500 * ms, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second}
		for len(want) < 99 {
			want = append(want, 30*time.Second)
		}
		wantGaps(t, s.gaps(), want, "base 1s, max 1m, Rand always 0.5, 100 attempts")
	})
}

func TestPermanentErrorIsNotRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		errBad := errors.New("400 bad request")
		s := newScript(Permanent(errBad))
		p := Policy{BaseDelay: 100 * ms, MaxDelay: time.Second, MaxAttempts: 5, Rand: randConst(0.5)}
		err := Retry(context.Background(), p, s.op)
		if len(s.calls) != 1 || time.Since(s.start) != 0 {
			t.Fatalf("op returning Permanent(err) was called %d times over %v, want once with no wait", len(s.calls), time.Since(s.start))
		}
		if !errors.Is(err, errBad) {
			t.Fatalf("Retry = %v, want an error wrapping the permanent error %q", err, errBad)
		}
	})
}

func TestWrappedPermanentErrorIsNotRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		errBad := errors.New("400 bad request")
		errs := append(failing(2), fmt.Errorf("fetch user: %w", Permanent(errBad)))
		s := newScript(errs...)
		p := Policy{BaseDelay: 100 * ms, MaxDelay: time.Second, MaxAttempts: 10, Rand: randConst(0.5)}
		err := Retry(context.Background(), p, s.op)
		if len(s.calls) != 3 {
			t.Fatalf("op failed twice, then returned fmt.Errorf(\"fetch user: %%w\", Permanent(err)); it was called %d times, want 3 (detect the mark with errors.As, not a type assertion)", len(s.calls))
		}
		if !errors.Is(err, errBad) {
			t.Fatalf("Retry = %v, want an error wrapping the permanent error %q", err, errBad)
		}
	})
}

func TestPermanentHelper(t *testing.T) {
	if Permanent(nil) != nil {
		t.Fatal("Permanent(nil) should be nil")
	}
	base := errors.New("boom")
	p := Permanent(base)
	if !errors.Is(p, base) {
		t.Fatal("errors.Is(Permanent(err), err) should be true")
	}
	if !strings.Contains(p.Error(), "boom") {
		t.Fatalf("Permanent(err).Error() = %q, want it to contain err's message %q", p.Error(), "boom")
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		errs := failing(10)
		s := newScript(errs...)
		p := Policy{BaseDelay: time.Second, MaxDelay: time.Minute, MaxAttempts: 10, Rand: randConst(0.5)}
		go func() {
			time.Sleep(200 * ms) // in the middle of the first 500ms backoff
			cancel()
		}()
		err := Retry(ctx, p, s.op)
		if d := time.Since(s.start); d != 200*ms {
			t.Fatalf("ctx cancelled at 200ms during a 500ms backoff: Retry returned at %v, want 200ms (stop sleeping at once)", d)
		}
		if len(s.calls) != 1 {
			t.Fatalf("op was called %d times, want 1 (ctx was cancelled during the first backoff)", len(s.calls))
		}
		if !errors.Is(err, context.Canceled) || !errors.Is(err, errs[0]) {
			t.Fatalf("Retry = %v, want an error wrapping both context.Canceled and the last op error %q", err, errs[0])
		}
	})
}

func TestDeadlineStopsRetries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		errs := failing(100)
		s := newScript(errs...)
		p := Policy{BaseDelay: 100 * ms, MaxDelay: time.Second, MaxAttempts: 0, Rand: randConst(0.5)}
		// Attempts at 0, 50, 150, 350, 750ms; the next backoff (500ms) outlasts the deadline.
		err := Retry(ctx, p, s.op)
		if d := time.Since(s.start); d != time.Second {
			t.Fatalf("with a 1s deadline Retry returned at %v, want 1s (when the deadline passes)", d)
		}
		if len(s.calls) != 5 {
			t.Fatalf("op was called %d times before the 1s deadline, want 5 (at 0, 50, 150, 350, 750ms)", len(s.calls))
		}
		if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, errs[4]) {
			t.Fatalf("Retry = %v, want an error wrapping both context.DeadlineExceeded and the last op error %q", err, errs[4])
		}
	})
}

func TestContextAlreadyDone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		s := newScript()
		p := Policy{BaseDelay: 100 * ms, MaxDelay: time.Second, MaxAttempts: 5, Rand: randSeq(t)}
		err := Retry(ctx, p, s.op)
		if len(s.calls) != 0 {
			t.Fatalf("op was called %d times with an already-cancelled ctx, want 0", len(s.calls))
		}
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Retry with an already-cancelled ctx = %v, want context.Canceled", err)
		}
	})
}

func TestConcurrentRetriesWithDefaultRand(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Rand nil: use a random source that is safe for concurrent use.
		p := Policy{BaseDelay: 10 * ms, MaxDelay: 40 * ms, MaxAttempts: 6}
		var wg sync.WaitGroup
		for g := 0; g < 16; g++ {
			wg.Go(func() {
				errs := failing(6)
				s := newScript(errs...)
				err := Retry(context.Background(), p, s.op)
				if !errors.Is(err, errs[5]) {
					t.Errorf("Retry = %v, want an error wrapping the last op error %q", err, errs[5])
				}
				ceilings := []time.Duration{10 * ms, 20 * ms, 40 * ms, 40 * ms, 40 * ms}
				for i, g := range s.gaps() {
					if g < 0 || g >= ceilings[i] {
						t.Errorf("with Rand nil, backoff %d lasted %v, want within [0, %v)", i+1, g, ceilings[i])
					}
				}
			})
		}
		wg.Wait()
	})
}
