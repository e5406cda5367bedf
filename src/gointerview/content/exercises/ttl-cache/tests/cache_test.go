package ttlcache

import (
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"gointerview.local/exercise/internal/harness"
)

// Every test runs inside a synctest bubble: time.Now, time.Sleep and tickers use a fake clock
// that only moves when every goroutine in the bubble is blocked, so "the janitor ran at 10s"
// is exact and the tests never wait for real time.

// newCache makes a cache for a test in a bubble. When the test ends it calls Close, which
// must stop the janitor and wait for it, and then checks that no goroutine the cache started
// is still running.
func newCache(t *testing.T, ttl, interval time.Duration) *Cache {
	t.Helper()
	before := goleak.IgnoreCurrent()
	c := New(ttl, interval)
	t.Cleanup(func() {
		c.Close()
		synctest.Wait() // let anything Close set in motion settle
		harness.VerifyNone(t, "after Close returned, a goroutine started by the cache is "+
			"still running (Close must make the janitor exit and wait for it)", before)
	})
	return c
}

func mustGet(t *testing.T, c *Cache, key string, want any, when string) {
	t.Helper()
	got, ok := c.Get(key)
	if !ok || got != want {
		t.Fatalf("%s: Get(%q) = %v, %v; want %v, true", when, key, got, ok, want)
	}
}

func mustMiss(t *testing.T, c *Cache, key string, when string) {
	t.Helper()
	if got, ok := c.Get(key); ok || got != nil {
		t.Fatalf("%s: Get(%q) = %v, %v; want nil, false", when, key, got, ok)
	}
}

func wantLen(t *testing.T, c *Cache, want int, when string) {
	t.Helper()
	if got := c.Len(); got != want {
		t.Fatalf("%s: Len() = %d, want %d", when, got, want)
	}
}

func TestSetGetDeleteLen(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCache(t, time.Minute, time.Hour)
		mustMiss(t, c, "a", "empty cache")
		wantLen(t, c, 0, "empty cache")
		c.Set("a", 1)
		c.Set("b", "two")
		mustGet(t, c, "a", 1, "after Set")
		mustGet(t, c, "b", "two", "after Set")
		wantLen(t, c, 2, "after two Sets")
		c.Set("a", 10)
		mustGet(t, c, "a", 10, "after overwriting a")
		wantLen(t, c, 2, "after overwriting a (an overwrite must not add an entry)")
		c.Delete("a")
		mustMiss(t, c, "a", "after Delete(a)")
		wantLen(t, c, 1, "after Delete(a)")
		c.Delete("missing") // no-op
		wantLen(t, c, 1, "after deleting a missing key")
	})
}

func TestEntryExpiresAfterTTL(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// The janitor runs once an hour: everything here is Get's own expiry check.
		c := newCache(t, time.Second, time.Hour)
		c.Set("a", 1)
		time.Sleep(999 * time.Millisecond)
		mustGet(t, c, "a", 1, "t=999ms with ttl 1s")
		time.Sleep(time.Millisecond)
		mustMiss(t, c, "a", "t=1s with ttl 1s (an entry is visible for exactly ttl; the janitor has not run yet, "+
			"so Get itself must hide expired entries)")
		time.Sleep(5 * time.Second)
		mustMiss(t, c, "a", "t=6s with ttl 1s, before the janitor's first run at 1h")
	})
}

func TestGetDoesNotExtendLife(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCache(t, time.Second, time.Hour)
		c.Set("a", 1)
		for i := 1; i < 10; i++ {
			time.Sleep(100 * time.Millisecond)
			mustGet(t, c, "a", 1, fmt.Sprintf("t=%dms with ttl 1s", i*100))
		}
		time.Sleep(100 * time.Millisecond)
		mustMiss(t, c, "a", "t=1s after a Get every 100ms (Get must not extend an entry's life)")
	})
}

func TestSetRestartsTTL(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCache(t, time.Second, time.Hour)
		c.Set("a", 1)
		time.Sleep(600 * time.Millisecond)
		c.Set("a", 2) // now expires at 1.6s
		time.Sleep(600 * time.Millisecond)
		mustGet(t, c, "a", 2, "t=1.2s, a was set again at 600ms with ttl 1s")
		time.Sleep(400 * time.Millisecond)
		mustMiss(t, c, "a", "t=1.6s, a was set again at 600ms with ttl 1s")
		c.Set("a", 3) // an expired key can be set again
		mustGet(t, c, "a", 3, "t=1.6s, right after setting an expired key again")
	})
}

func TestJanitorRemovesExpiredEntries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCache(t, time.Second, 10*time.Second)
		c.Set("a", 1)
		c.Set("b", 2)
		time.Sleep(9500 * time.Millisecond)
		c.Set("c", 3) // expires at 10.5s
		wantLen(t, c, 3, "t=9.5s: a and b expired at 1s but the janitor's first run is at 10s "+
			"(Len counts entries not removed yet)")

		time.Sleep(500 * time.Millisecond)
		synctest.Wait() // the janitor's tick at 10s has been handled
		wantLen(t, c, 1, "t=10s, after the janitor's first run (a and b expired at 1s, c lives until 10.5s)")
		mustGet(t, c, "c", 3, "t=10s")

		time.Sleep(9 * time.Second)
		synctest.Wait()
		wantLen(t, c, 1, "t=19s: c expired at 10.5s but the janitor's next run is at 20s")
		time.Sleep(time.Second)
		synctest.Wait()
		wantLen(t, c, 0, "t=20s, after the janitor's second run (it must keep running every cleanupInterval)")
	})
}

func TestJanitorKeepsLiveEntries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCache(t, 5*time.Second, time.Second)
		for i := 0; i < 10; i++ {
			c.Set(fmt.Sprint("k", i), i)
		}
		time.Sleep(4 * time.Second) // four janitor runs, nothing has expired
		synctest.Wait()
		wantLen(t, c, 10, "t=4s, ttl 5s, janitor every 1s (it must only remove expired entries)")
		for i := 0; i < 10; i++ {
			mustGet(t, c, fmt.Sprint("k", i), i, "t=4s, ttl 5s")
		}
		time.Sleep(time.Second)
		synctest.Wait()
		wantLen(t, c, 0, "t=5s, ttl 5s, after the janitor's run at 5s")
	})
}

func TestCloseStopsJanitorPromptly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCache(t, time.Second, time.Minute)
		c.Set("a", 1)
		time.Sleep(30 * time.Second)
		start := time.Now()
		c.Close()
		if d := time.Since(start); d != 0 {
			t.Fatalf("Close returned after %v of (fake) time, want at once: it must not wait for the janitor's next tick", d)
		}
		// newCache's cleanup checks that the janitor goroutine is gone. After Close nothing
		// removes expired entries any more, but the cache still answers.
		time.Sleep(2 * time.Minute)
		synctest.Wait()
		wantLen(t, c, 1, "2m after Close (the janitor must not run after Close)")
		mustMiss(t, c, "a", "after Close, for an entry that expired")
		c.Set("b", 2)
		mustGet(t, c, "b", 2, "after Close")
	})
}

func TestCloseIsIdempotent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCache(t, time.Second, time.Second)
		c.Close()
		c.Close() // a second Close must not panic (close of a closed channel)
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Go(c.Close) // nor concurrent ones
		}
		wg.Wait()
	})
}

func TestConcurrentUseWithJanitor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// A short ttl and a janitor running every 10ms, while four goroutines use the cache:
		// the janitor's sweeps interleave with their Sets, Gets and Deletes.
		c := newCache(t, 25*time.Millisecond, 10*time.Millisecond)
		var wg sync.WaitGroup
		for g := 0; g < 4; g++ {
			wg.Go(func() {
				for i := 0; i < 100; i++ {
					key := fmt.Sprint("k", (g*7+i)%16)
					c.Set(key, i)
					c.Get(key)
					c.Len()
					if i%5 == 0 {
						c.Delete(key)
					}
					time.Sleep(3 * time.Millisecond)
				}
			})
		}
		wg.Wait()
		time.Sleep(time.Second)
		synctest.Wait()
		wantLen(t, c, 0, "1s after the last Set with ttl 25ms and a janitor every 10ms")
	})
}

func TestInvalidArgumentsPanic(t *testing.T) {
	for _, args := range [][2]time.Duration{{0, time.Second}, {-time.Second, time.Second}, {time.Second, 0}, {time.Second, -1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%v, %v) should panic", args[0], args[1])
				}
			}()
			c := New(args[0], args[1])
			c.Close() // only reached by a New that did not panic
		}()
	}
}
