package breaker

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// fakeClock is the injected clock: time moves only when a test says so.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var errBoom = errors.New("boom")

func newBreaker(clock *fakeClock, threshold int, timeout time.Duration, halfOpenMax int) *Breaker {
	return New(Settings{FailureThreshold: threshold, OpenTimeout: timeout, HalfOpenMaxCalls: halfOpenMax, Now: clock.Now})
}

// run calls Execute with an fn returning ret and checks that fn ran and its error came back
// unchanged.
func run(t *testing.T, b *Breaker, ret error, why string) {
	t.Helper()
	called := false
	got := b.Execute(func() error { called = true; return ret })
	if !called {
		t.Fatalf("%s: Execute did not call fn (returned %v); the call should have gone through", why, got)
	}
	if got != ret {
		t.Fatalf("%s: Execute = %v, want fn's own result %v, unchanged", why, got, ret)
	}
}

// reject checks that Execute returns ErrOpen without calling fn.
func reject(t *testing.T, b *Breaker, why string) {
	t.Helper()
	called := false
	got := b.Execute(func() error { called = true; return nil })
	if called || !errors.Is(got, ErrOpen) {
		t.Fatalf("%s: Execute = %v and fn called = %v, want ErrOpen without calling fn", why, got, called)
	}
}

func wantState(t *testing.T, b *Breaker, want State, why string) {
	t.Helper()
	if got := b.State(); got != want {
		t.Fatalf("%s: State() = %v, want %v", why, got, want)
	}
}

// tripAndWait opens b with threshold failures and advances the clock past the open timeout.
func tripAndWait(t *testing.T, b *Breaker, clock *fakeClock, threshold int, timeout time.Duration) {
	t.Helper()
	for i := 0; i < threshold; i++ {
		run(t, b, errBoom, "tripping the breaker")
	}
	wantState(t, b, Open, fmt.Sprintf("after %d consecutive failures (threshold %d)", threshold, threshold))
	clock.Advance(timeout)
	wantState(t, b, HalfOpen, "OpenTimeout after opening")
}

func TestStateString(t *testing.T) {
	for s, want := range map[State]string{Closed: "closed", Open: "open", HalfOpen: "half-open"} {
		if got := s.String(); got != want {
			t.Errorf("State(%d).String() = %q, want %q", int(s), got, want)
		}
	}
}

func TestClosedPassesCallsThrough(t *testing.T) {
	clock := newClock()
	b := newBreaker(clock, 3, time.Second, 1)
	wantState(t, b, Closed, "a new breaker")
	run(t, b, nil, "a successful call on a closed breaker")
	run(t, b, errBoom, "a failing call on a closed breaker")
	wantState(t, b, Closed, "after 1 failure (threshold 3)")
}

func TestOpensAfterConsecutiveFailures(t *testing.T) {
	clock := newClock()
	b := newBreaker(clock, 3, time.Second, 1)
	run(t, b, errBoom, "failure 1")
	run(t, b, errBoom, "failure 2")
	wantState(t, b, Closed, "after 2 consecutive failures (threshold 3)")
	run(t, b, errBoom, "failure 3")
	wantState(t, b, Open, "after 3 consecutive failures (threshold 3)")
	reject(t, b, "an open breaker")
	reject(t, b, "an open breaker")
	wantState(t, b, Open, "open, no time passed")
}

func TestSuccessResetsFailureCount(t *testing.T) {
	clock := newClock()
	b := newBreaker(clock, 3, time.Second, 1)
	run(t, b, errBoom, "failure 1")
	run(t, b, errBoom, "failure 2")
	run(t, b, nil, "a success")
	run(t, b, errBoom, "failure 1 after the success")
	run(t, b, errBoom, "failure 2 after the success")
	wantState(t, b, Closed, "fail, fail, succeed, fail, fail with threshold 3 (only consecutive failures count)")
	run(t, b, errBoom, "failure 3 after the success")
	wantState(t, b, Open, "3 consecutive failures (threshold 3)")
}

func TestHalfOpenAfterOpenTimeout(t *testing.T) {
	clock := newClock()
	b := newBreaker(clock, 1, 5*time.Second, 1)
	run(t, b, errBoom, "the failure that opens it")
	wantState(t, b, Open, "right after opening")
	clock.Advance(2 * time.Second)
	reject(t, b, "2s after opening (OpenTimeout 5s)")
	clock.Advance(3*time.Second - time.Nanosecond)
	reject(t, b, "1ns before OpenTimeout")
	wantState(t, b, Open, "1ns before OpenTimeout")
	clock.Advance(time.Nanosecond)
	wantState(t, b, HalfOpen, "exactly OpenTimeout after opening, with rejected calls in between (they must not restart the timer)")
}

func TestHalfOpenSuccessCloses(t *testing.T) {
	clock := newClock()
	b := newBreaker(clock, 2, 5*time.Second, 1)
	tripAndWait(t, b, clock, 2, 5*time.Second)
	run(t, b, nil, "a successful trial call")
	wantState(t, b, Closed, "after a successful trial call")
	run(t, b, errBoom, "the first failure after closing")
	wantState(t, b, Closed, "1 failure after closing again (threshold 2: the count starts from zero)")
	run(t, b, errBoom, "the second failure after closing")
	wantState(t, b, Open, "2 consecutive failures after closing again (threshold 2)")
}

func TestHalfOpenFailureReopens(t *testing.T) {
	clock := newClock()
	b := newBreaker(clock, 1, 5*time.Second, 1)
	tripAndWait(t, b, clock, 1, 5*time.Second)
	run(t, b, errBoom, "a failing trial call")
	wantState(t, b, Open, "after a failing trial call")
	reject(t, b, "re-opened after a failed trial")
	clock.Advance(5*time.Second - time.Nanosecond)
	wantState(t, b, Open, "1ns before OpenTimeout after re-opening (the timer restarts when it re-opens)")
	clock.Advance(time.Nanosecond)
	wantState(t, b, HalfOpen, "OpenTimeout after re-opening")
	run(t, b, nil, "a successful trial call")
	wantState(t, b, Closed, "after a successful trial call")
}

// blocking starts Execute in a goroutine with an fn that reports when it starts and then
// waits for its result on the returned channel. done receives Execute's result.
type blocking struct {
	started chan struct{} // closed when fn starts
	result  chan error    // send fn's result here
	done    chan error    // Execute's return value
}

func startBlocking(b *Breaker) *blocking {
	c := &blocking{started: make(chan struct{}), result: make(chan error), done: make(chan error, 1)}
	go func() {
		c.done <- b.Execute(func() error {
			close(c.started)
			return <-c.result
		})
	}()
	return c
}

func TestHalfOpenLimitsTrialCalls(t *testing.T) {
	clock := newClock()
	b := newBreaker(clock, 1, 5*time.Second, 2)
	tripAndWait(t, b, clock, 1, 5*time.Second)

	// Two trial calls are admitted and still running (fn runs without the breaker's lock).
	first, second := startBlocking(b), startBlocking(b)
	<-first.started
	<-second.started
	reject(t, b, "half-open with HalfOpenMaxCalls 2 and 2 trial calls running")
	wantState(t, b, HalfOpen, "while the trial calls run")

	first.result <- nil
	if err := <-first.done; err != nil {
		t.Fatalf("the first trial call: Execute = %v, want nil", err)
	}
	wantState(t, b, Closed, "the first trial call succeeded")
	second.result <- nil
	<-second.done
	wantState(t, b, Closed, "both trial calls succeeded")
	run(t, b, nil, "a call on the closed breaker")
}

func TestHalfOpenAdmitsExactlyMaxCalls(t *testing.T) {
	clock := newClock()
	b := newBreaker(clock, 1, time.Second, 3)
	tripAndWait(t, b, clock, 1, time.Second)

	const callers = 10
	started := make(chan struct{}, callers)
	rejected := make(chan struct{}, callers)
	release := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < callers; i++ {
		wg.Go(func() {
			err := b.Execute(func() error {
				started <- struct{}{}
				<-release
				return nil
			})
			if errors.Is(err, ErrOpen) {
				rejected <- struct{}{}
			}
		})
	}
	admitted, refused := 0, 0
	for admitted+refused < callers {
		select {
		case <-started:
			admitted++
		case <-rejected:
			refused++
		}
	}
	close(release)
	wg.Wait()
	if admitted != 3 {
		t.Fatalf("%d concurrent calls on a half-open breaker with HalfOpenMaxCalls 3: %d admitted, %d rejected; want exactly 3 admitted", callers, admitted, refused)
	}
	wantState(t, b, Closed, "after the trial calls succeeded")
}

func TestStaleOutcomesAreIgnored(t *testing.T) {
	clock := newClock()
	b := newBreaker(clock, 1, time.Second, 2)

	// A slow call starts while closed...
	slow := startBlocking(b)
	<-slow.started
	// ...meanwhile another call fails and opens the breaker; it goes half-open and a
	// trial call closes it again.
	run(t, b, errBoom, "the failure that opens it")
	clock.Advance(time.Second)
	wantState(t, b, HalfOpen, "OpenTimeout after opening")
	trial, late := startBlocking(b), startBlocking(b)
	<-trial.started
	<-late.started
	trial.result <- nil
	<-trial.done
	wantState(t, b, Closed, "the first trial call succeeded")

	// Outcomes of calls that started before the last state change must not count.
	slow.result <- errBoom
	if err := <-slow.done; err != errBoom {
		t.Fatalf("Execute = %v, want fn's own error %v", err, errBoom)
	}
	wantState(t, b, Closed, "a call that started before the breaker opened failed after it closed again (threshold 1): its outcome is stale and must be ignored")
	late.result <- errBoom
	<-late.done
	wantState(t, b, Closed, "a second half-open trial call failed after the first had already closed the breaker: its outcome is stale and must be ignored")
	run(t, b, errBoom, "a fresh failure")
	wantState(t, b, Open, "a fresh failure (threshold 1)")
}

func TestDefaultClock(t *testing.T) {
	b := New(Settings{FailureThreshold: 1, OpenTimeout: time.Hour, HalfOpenMaxCalls: 1})
	run(t, b, errBoom, "a failing call")
	wantState(t, b, Open, "Now nil (time.Now), threshold 1, OpenTimeout 1h, after a failure")
	reject(t, b, "open for an hour")
}

func TestConcurrentUse(t *testing.T) {
	// Real clock and a tiny OpenTimeout, so the breaker cycles through every state.
	b := New(Settings{FailureThreshold: 3, OpenTimeout: time.Nanosecond, HalfOpenMaxCalls: 2})
	var wg sync.WaitGroup
	results := make([][3]int, 8) // per goroutine: successes, failures, rejections
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				want := error(nil)
				if (g+i)%3 == 0 {
					want = errBoom
				}
				switch err := b.Execute(func() error { return want }); {
				case errors.Is(err, ErrOpen):
					results[g][2]++
				case err != want:
					t.Errorf("Execute = %v, want fn's result %v or ErrOpen", err, want)
					return
				case err == nil:
					results[g][0]++
				default:
					results[g][1]++
				}
				if s := b.State(); s != Closed && s != Open && s != HalfOpen {
					t.Errorf("State() = %d, not a valid state", int(s))
					return
				}
			}
		})
	}
	wg.Wait()
	total := 0
	for _, r := range results {
		total += r[0] + r[1] + r[2]
	}
	if total != 8*500 {
		t.Fatalf("%d Execute results counted, want %d", total, 8*500)
	}
}

func TestInvalidSettingsPanic(t *testing.T) {
	for _, s := range []Settings{
		{FailureThreshold: 0, OpenTimeout: time.Second, HalfOpenMaxCalls: 1},
		{FailureThreshold: 1, OpenTimeout: 0, HalfOpenMaxCalls: 1},
		{FailureThreshold: 1, OpenTimeout: -time.Second, HalfOpenMaxCalls: 1},
		{FailureThreshold: 1, OpenTimeout: time.Second, HalfOpenMaxCalls: 0},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%+v) should panic", s)
				}
			}()
			New(s)
		}()
	}
}
