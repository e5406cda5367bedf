package leakfix

import (
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"
)

// counter is a poller callback that never blocks: it counts calls and signals each one.
type counter struct {
	n    atomic.Int64
	tick chan struct{}
}

func newCounter() *counter { return &counter{tick: make(chan struct{}, 1)} }

func (c *counter) fn() {
	c.n.Add(1)
	select {
	case c.tick <- struct{}{}:
	default:
	}
}

// waitFor blocks until fn has been called at least n times in total.
func (c *counter) waitFor(n int64) {
	for c.n.Load() < n {
		<-c.tick
	}
}

// The first tests run the poller in real time with a 1ms interval, outside synctest bubbles,
// so that a goroutine left running is reported by goleak. They wait for calls to happen
// rather than sleeping.

func TestPollerCallsFnUntilStopped(t *testing.T) {
	ignoreEarlier := goleak.IgnoreCurrent() // judge only the goroutines this test starts
	c := newCounter()
	p := NewPoller(time.Millisecond, c.fn)
	p.Start()
	c.waitFor(3)
	p.Stop()
	after := c.n.Load()
	verifyNoLeak(t, ignoreEarlier) // the background goroutine must be gone once Stop returns
	if got := c.n.Load(); got != after {
		t.Errorf("fn was called %d more times after Stop returned; want none", got-after)
	}
}

func TestPollerStartTwiceRunsOneLoop(t *testing.T) {
	ignoreEarlier := goleak.IgnoreCurrent() // judge only the goroutines this test starts
	c := newCounter()
	p := NewPoller(time.Millisecond, c.fn)
	p.Start()
	p.Start() // already running: must not start a second loop
	c.waitFor(2)
	p.Stop()
	verifyNoLeak(t, ignoreEarlier)
}

func TestPollerStopTwice(t *testing.T) {
	ignoreEarlier := goleak.IgnoreCurrent() // judge only the goroutines this test starts
	c := newCounter()
	p := NewPoller(time.Millisecond, c.fn)
	p.Start()
	c.waitFor(1)
	p.Stop()
	p.Stop()                                 // already stopped: must do nothing
	NewPoller(time.Millisecond, c.fn).Stop() // never started: must do nothing
	verifyNoLeak(t, ignoreEarlier)
}

func TestPollerRestart(t *testing.T) {
	ignoreEarlier := goleak.IgnoreCurrent() // judge only the goroutines this test starts
	c := newCounter()
	p := NewPoller(time.Millisecond, c.fn)
	for round := int64(1); round <= 3; round++ {
		p.Start()
		c.waitFor(2 * round) // it runs again after each restart
		p.Stop()
	}
	verifyNoLeak(t, ignoreEarlier)
}

func TestPollerConcurrentStartStop(t *testing.T) {
	ignoreEarlier := goleak.IgnoreCurrent() // judge only the goroutines this test starts
	c := newCounter()
	p := NewPoller(time.Millisecond, c.fn)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 25 {
				p.Start()
				p.Stop()
			}
		})
	}
	for range 4 {
		wg.Go(func() {
			for range 25 {
				p.Start()
			}
		})
	}
	wg.Wait()
	p.Stop()
	verifyNoLeak(t, ignoreEarlier)
}

// The last two tests check exact timing in synctest bubbles (a fake clock). They come last:
// a poller whose goroutine never exits deadlocks a bubble, which stops the test binary.

func TestPollerInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCounter()
		p := NewPoller(10*time.Second, c.fn)
		p.Start()
		check := func(at string, want int64) {
			t.Helper()
			synctest.Wait()
			if got := c.n.Load(); got != want {
				t.Fatalf("at %s after Start with a 10s interval, fn was called %d times, want %d", at, got, want)
			}
		}
		time.Sleep(9 * time.Second)
		check("9s", 0)
		time.Sleep(2 * time.Second)
		check("11s", 1)
		time.Sleep(20 * time.Second)
		check("31s", 3)
		p.Stop()
		time.Sleep(time.Minute)
		check("a minute after Stop (at 91s)", 3)
	})
}

func TestPollerStopWaitsForFn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var calls, returned atomic.Int64
		p := NewPoller(time.Second, func() {
			calls.Add(1)
			<-release
			returned.Add(1)
		})
		p.Start()
		time.Sleep(1500 * time.Millisecond)
		synctest.Wait() // fn is running, blocked on release
		if calls.Load() != 1 {
			t.Fatalf("fn called %d times 1.5s after Start with a 1s interval, want 1", calls.Load())
		}
		var stopped atomic.Bool
		go func() {
			p.Stop()
			stopped.Store(true)
		}()
		synctest.Wait()
		if stopped.Load() {
			t.Errorf("Stop returned while fn was still running; want it to wait for fn and the goroutine to finish")
		}
		close(release)
		synctest.Wait()
		if !stopped.Load() {
			t.Fatalf("Stop had not returned after fn finished")
		}
		time.Sleep(10 * time.Second)
		if calls.Load() != 1 || returned.Load() != 1 {
			t.Errorf("after Stop, fn was called %d times (returned %d); want 1", calls.Load(), returned.Load())
		}
	})
}
