package slidingwindow

import (
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// Every test runs inside a synctest bubble: time.Now and time.Sleep use a fake clock that
// only moves when every goroutine in the bubble is blocked, so times are exact. The bubble
// clock starts at midnight, 2000-01-01 UTC; offsets below are from the start of the test.

// at sleeps until offset d from start and calls Allow, failing the test if it does not
// return want.
func at(t *testing.T, l *Limiter, start time.Time, d time.Duration, want bool, why string) {
	t.Helper()
	if wait := d - time.Since(start); wait > 0 {
		time.Sleep(wait)
	}
	if got := l.Allow(); got != want {
		t.Fatalf("Allow() at t=%v = %v, want %v (%s)", d, got, want, why)
	}
}

func TestAllowsUpToLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(3, time.Second)
		start := time.Now()
		for i := 1; i <= 3; i++ {
			at(t, l, start, 0, true, fmt.Sprintf("call %d of a limit of 3", i))
		}
		at(t, l, start, 0, false, "4th call in the same instant, limit 3")
		at(t, l, start, 500*time.Millisecond, false, "the 3 events at t=0 count until t=1s")
	})
}

func TestWindowBoundaryIsExclusive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(1, time.Second)
		start := time.Now()
		ms := time.Millisecond
		at(t, l, start, 0, true, "first event")
		at(t, l, start, 999*ms, false, "the event at t=0 counts during [0, 1s)")
		at(t, l, start, time.Second-time.Nanosecond, false, "the event at t=0 counts during [0, 1s)")
		at(t, l, start, time.Second, true, "the event at t=0 stops counting at exactly t=1s")
		at(t, l, start, time.Second, false, "the event at t=1s counts during [1s, 2s)")
		at(t, l, start, 2*time.Second-time.Nanosecond, false, "the event at t=1s counts during [1s, 2s)")
		at(t, l, start, 2*time.Second, true, "the event at t=1s stops counting at exactly t=2s")
	})
}

func TestEventsExpireOneByOne(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(3, time.Second)
		start := time.Now()
		ms := time.Millisecond
		at(t, l, start, 0, true, "1st event")
		at(t, l, start, 100*ms, true, "2nd event")
		at(t, l, start, 200*ms, true, "3rd event")
		at(t, l, start, 999*ms, false, "events at 0, 100ms, 200ms are all in the window")
		at(t, l, start, 1000*ms, true, "the event at 0 expired at 1s; 100ms and 200ms remain")
		at(t, l, start, 1000*ms, false, "events at 100ms, 200ms, 1s are in the window")
		at(t, l, start, 1099*ms, false, "the event at 100ms counts until 1.1s")
		at(t, l, start, 1100*ms, true, "the event at 100ms expired at 1.1s")
		at(t, l, start, 1150*ms, false, "events at 200ms, 1s, 1.1s are in the window")
		at(t, l, start, 1200*ms, true, "the event at 200ms expired at 1.2s")
	})
}

func TestSlidingNotFixedWindow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// A fixed window (a counter reset every second) would let 4 events through in
		// [900ms, 1.9s): two at the end of one window and two at the start of the next.
		l := New(2, time.Second)
		start := time.Now()
		ms := time.Millisecond
		at(t, l, start, 0, true, "1st event")
		at(t, l, start, 900*ms, true, "2nd event")
		at(t, l, start, 950*ms, false, "events at 0 and 900ms are in the window")
		at(t, l, start, 1000*ms, true, "the event at 0 expired at 1s")
		at(t, l, start, 1001*ms, false, "the events at 900ms and 1s are both within the last second: the window slides, it is not reset every second")
		at(t, l, start, 1500*ms, false, "events at 900ms and 1s are still in the window")
		at(t, l, start, 1900*ms, true, "the event at 900ms expired at 1.9s")
	})
}

func TestRejectedEventsDoNotCount(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(1, time.Second)
		start := time.Now()
		at(t, l, start, 0, true, "first event")
		for i := 1; i <= 9; i++ {
			at(t, l, start, time.Duration(i)*100*time.Millisecond, false, "the event at t=0 is in the window")
		}
		at(t, l, start, time.Second, true, "only allowed events count: the rejected calls at 100ms..900ms must not")
	})
}

func TestLongIdleRestoresFullLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(5, time.Minute)
		start := time.Now()
		for i := 0; i < 5; i++ {
			at(t, l, start, time.Duration(i)*time.Second, true, "filling the window")
		}
		at(t, l, start, 5*time.Second, false, "5 events in the last minute")
		for i := 0; i < 5; i++ {
			at(t, l, start, time.Hour, true, fmt.Sprintf("call %d after an hour idle, limit 5", i+1))
		}
		at(t, l, start, time.Hour, false, "6th call after an hour idle, limit 5")
	})
}

// TestMatchesModel drives the limiter with a long, irregular schedule full of exact window
// boundaries and compares every answer with a straightforward model.
func TestMatchesModel(t *testing.T) {
	for _, c := range []struct {
		limit  int
		window time.Duration
	}{{1, time.Second}, {3, time.Second}, {4, 700 * time.Millisecond}, {10, 2 * time.Second}} {
		t.Run(fmt.Sprintf("limit=%d,window=%v", c.limit, c.window), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				l := New(c.limit, c.window)
				start := time.Now()
				steps := []time.Duration{0, 0, time.Nanosecond, time.Millisecond, 100 * time.Millisecond,
					c.window / 4, c.window / 2, c.window - time.Nanosecond, c.window, 3 * c.window / 2}
				var allowed []time.Duration // the model's log of allowed events (offsets)
				seed := uint32(12345)
				now := time.Duration(0)
				for i := 0; i < 2000; i++ {
					seed = seed*1664525 + 1013904223
					step := steps[seed>>16%uint32(len(steps))]
					// Sometimes jump to exactly one window after an allowed event.
					if seed>>8%5 == 0 && len(allowed) > 0 {
						if edge := allowed[int(seed>>4)%len(allowed)] + c.window; edge > now {
							step = edge - now
						}
					}
					time.Sleep(step)
					now += step
					inWindow := 0
					for _, e := range allowed {
						if now-e < c.window {
							inWindow++
						}
					}
					want := inWindow < c.limit
					if want {
						allowed = append(allowed, now)
					}
					if got := l.Allow(); got != want {
						t.Fatalf("call %d at t=%v: Allow() = %v, want %v (%d allowed events in (t-%v, t], limit %d)",
							i+1, now, got, want, inWindow, c.window, c.limit)
					}
					if time.Since(start) != now {
						t.Fatalf("fake clock drifted: %v != %v", time.Since(start), now)
					}
				}
			})
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Time cannot move while goroutines are running, so exactly limit calls succeed.
		l := New(100, time.Minute)
		for round := 1; round <= 2; round++ {
			var mu sync.Mutex
			got := 0
			var wg sync.WaitGroup
			for g := 0; g < 8; g++ {
				wg.Go(func() {
					n := 0
					for i := 0; i < 50; i++ {
						if l.Allow() {
							n++
						}
					}
					mu.Lock()
					got += n
					mu.Unlock()
				})
			}
			wg.Wait()
			if got != 100 {
				t.Fatalf("round %d: 8 goroutines calling Allow 50 times each (limit 100, no time passing) got %d allowed, want exactly 100", round, got)
			}
			time.Sleep(time.Minute)
		}
	})
}

func TestInvalidArgumentsPanic(t *testing.T) {
	for _, c := range []struct {
		limit  int
		window time.Duration
	}{{0, time.Second}, {-1, time.Second}, {1, 0}, {1, -time.Second}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%d, %v) should panic", c.limit, c.window)
				}
			}()
			New(c.limit, c.window)
		}()
	}
}
