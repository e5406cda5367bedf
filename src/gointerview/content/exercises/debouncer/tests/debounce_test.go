package debounce

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// Every test runs inside a synctest bubble: time is fake and only moves when every goroutine
// in the bubble is blocked, so the call times below are exact. A bubble also ends with a
// panic if the Debouncer's goroutine is still blocked after Stop, which is how a leak shows.

// recorder is an fn that records when (relative to start) each call began.
type recorder struct {
	start time.Time
	mu    sync.Mutex
	calls []time.Duration
}

func newRecorder() *recorder { return &recorder{start: time.Now()} }

func (r *recorder) fn() {
	r.mu.Lock()
	r.calls = append(r.calls, time.Since(r.start))
	r.mu.Unlock()
}

func (r *recorder) got() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.calls)
}

// sleepTo sleeps until offset after r.start, then lets every goroutine that can run finish.
func (r *recorder) sleepTo(offset time.Duration) {
	time.Sleep(offset - time.Since(r.start))
	synctest.Wait()
}

func (r *recorder) want(t *testing.T, when string, want ...time.Duration) {
	t.Helper()
	if got := r.got(); !slices.Equal(got, want) {
		t.Fatalf("%s: fn was called at %v, want %v", when, got, want)
	}
}

const ms = time.Millisecond

func TestTrailingEdgeOfABurst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRecorder()
		d := New(100*ms, r.fn)
		defer d.Stop()
		for _, at := range []time.Duration{0, 30 * ms, 60 * ms, 90 * ms} {
			r.sleepTo(at)
			d.Trigger()
		}
		r.sleepTo(189 * ms)
		r.want(t, "Triggers at 0, 30, 60 and 90ms with wait 100ms, checked at 189ms (the quiet period restarts with every Trigger)")
		r.sleepTo(190 * ms)
		r.want(t, "Triggers at 0, 30, 60 and 90ms with wait 100ms, checked at 190ms", 190*ms)
		r.sleepTo(2 * time.Second)
		r.want(t, "one burst, checked at 2s (one call per burst)", 190*ms)
	})
}

func TestSeparateBursts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRecorder()
		d := New(100*ms, r.fn)
		defer d.Stop()
		d.Trigger()
		r.sleepTo(250 * ms)
		d.Trigger()
		r.sleepTo(300 * ms)
		d.Trigger()
		r.sleepTo(time.Second)
		r.want(t, "Triggers at 0, 250 and 300ms with wait 100ms", 100*ms, 400*ms)
	})
}

func TestNoTriggerNoCall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRecorder()
		d := New(10*ms, r.fn)
		r.sleepTo(time.Second)
		r.want(t, "no Trigger in 1s")
		d.Stop()
	})
}

func TestStopCancelsThePendingCall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRecorder()
		d := New(100*ms, r.fn)
		d.Trigger()
		r.sleepTo(50 * ms)
		d.Stop()
		r.sleepTo(time.Second)
		r.want(t, "Trigger at 0, Stop at 50ms, wait 100ms (Stop cancels the pending call)")
		d.Trigger()
		r.sleepTo(2 * time.Second)
		r.want(t, "a Trigger after Stop (it must do nothing)")
		d.Stop() // a second Stop is harmless
	})
}

func TestStopWaitsForARunningCall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		entered := make(chan struct{})
		release := make(chan struct{})
		var once sync.Once
		defer once.Do(func() { close(release) })
		d := New(10*ms, func() {
			close(entered)
			<-release
		})
		d.Trigger()
		<-entered
		stopped := make(chan struct{})
		go func() {
			d.Stop()
			close(stopped)
		}()
		synctest.Wait()
		select {
		case <-stopped:
			t.Fatalf("Stop returned while fn was still running; it must wait for the call in progress")
		default:
		}
		once.Do(func() { close(release) })
		synctest.Wait()
		select {
		case <-stopped:
		default:
			t.Fatalf("Stop did not return after the running call of fn returned")
		}
	})
}

func TestCallsNeverOverlap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		var mu sync.Mutex
		var starts []time.Duration
		running, maxRunning := 0, 0
		d := New(100*ms, func() {
			mu.Lock()
			starts = append(starts, time.Since(start))
			running++
			maxRunning = max(maxRunning, running)
			mu.Unlock()
			time.Sleep(300 * ms) // a slow call
			mu.Lock()
			running--
			mu.Unlock()
		})
		defer d.Stop()
		d.Trigger()
		time.Sleep(150 * ms) // the first call runs from 100ms to 400ms
		d.Trigger()          // due at 250ms, but the first call is still running
		time.Sleep(2 * time.Second)
		synctest.Wait()
		mu.Lock()
		defer mu.Unlock()
		if maxRunning != 1 {
			t.Fatalf("up to %d calls of fn ran at once, want 1 (calls must not overlap)", maxRunning)
		}
		if !slices.Equal(starts, []time.Duration{100 * ms, 400 * ms}) {
			t.Fatalf("with wait 100ms, a call taking 300ms, and Triggers at 0 and 150ms, calls started at %v, want [100ms 400ms] (a Trigger during a call is served once the call returns)", starts)
		}
	})
}

func TestTriggerFromManyGoroutines(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRecorder()
		d := New(100*ms, r.fn)
		defer d.Stop()
		for round := range 3 {
			var wg sync.WaitGroup
			for range 10 {
				wg.Go(func() {
					for range 5 {
						d.Trigger()
					}
				})
			}
			wg.Wait()
			r.sleepTo(time.Duration(round+1) * 40 * ms)
		}
		r.sleepTo(time.Second)
		r.want(t, fmt.Sprintf("%d goroutines Triggering at 0, 40 and 80ms with wait 100ms", 10), 180*ms)
	})
}

func TestInvalidArgumentsPanic(t *testing.T) {
	for _, c := range []struct {
		wait time.Duration
		fn   func()
	}{{0, func() {}}, {-time.Second, func() {}}, {time.Second, nil}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%v, fn nil: %v) should panic", c.wait, c.fn == nil)
				}
			}()
			d := New(c.wait, c.fn)
			d.Stop()
		}()
	}
}
