package fencing

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// Timing tests run inside synctest bubbles: time.Now, timers and context deadlines use a
// fake clock, so lease expiry and retry times are exact on any machine.

// fakeStore is a simulated lease-based lock service with per-key fencing tokens.
type fakeStore struct {
	mu       sync.Mutex
	locks    map[string]grant
	tokens   map[string]uint64
	attempts map[string][]time.Duration // when each TryLock came, since the store was made
	born     time.Time
}

type grant struct {
	owner   string
	token   uint64
	expires time.Time
}

func newFakeStore() *fakeStore {
	return &fakeStore{
		locks: make(map[string]grant), tokens: make(map[string]uint64),
		attempts: make(map[string][]time.Duration), born: time.Now(),
	}
}

func (s *fakeStore) TryLock(key, owner string, ttl time.Duration) (uint64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	s.attempts[owner] = append(s.attempts[owner], now.Sub(s.born))
	if g, held := s.locks[key]; held && now.Before(g.expires) {
		return 0, false
	}
	s.tokens[key]++
	s.locks[key] = grant{owner: owner, token: s.tokens[key], expires: now.Add(ttl)}
	return s.tokens[key], true
}

func (s *fakeStore) Unlock(key, owner string, token uint64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, held := s.locks[key]
	if !held || g.owner != owner || g.token != token || !time.Now().Before(g.expires) {
		return false
	}
	delete(s.locks, key)
	return true
}

func (s *fakeStore) attemptsOf(owner string) []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.attempts[owner]...)
}

func mustLock(t *testing.T, c *Client, key string) Lease {
	t.Helper()
	l, err := c.Lock(context.Background(), key)
	if err != nil {
		t.Fatalf("Lock(%q) = %v, want a lease", key, err)
	}
	return l
}

func TestLockAndUnlock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := newFakeStore()
		c := NewClient(store, "a", time.Minute, 100*time.Millisecond)
		first := mustLock(t, c, "job")
		if first.Key != "job" || first.Token == 0 {
			t.Fatalf("Lock = %+v, want key job and the store's token", first)
		}
		if err := c.Unlock(first); err != nil {
			t.Fatalf("Unlock of a live lease = %v, want nil", err)
		}
		second := mustLock(t, c, "job")
		if second.Token <= first.Token {
			t.Fatalf("the second lease's token %d is not above the first's %d", second.Token, first.Token)
		}
		if err := c.Unlock(second); err != nil {
			t.Fatalf("Unlock = %v, want nil", err)
		}
	})
}

func TestLockRetriesUntilTheLeaseExpires(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := newFakeStore()
		a := NewClient(store, "a", time.Second, 100*time.Millisecond)
		b := NewClient(store, "b", time.Second, 300*time.Millisecond)
		la := mustLock(t, a, "job")
		start := time.Now()
		lb := mustLock(t, b, "job") // a never unlocks: b gets it when a's lease ends
		if d := time.Since(start); d != 1200*time.Millisecond {
			t.Fatalf("b got the lock after %v, want 1.2s (a's lease ends at 1s; b retries every 300ms)", d)
		}
		want := []time.Duration{0, 300 * time.Millisecond, 600 * time.Millisecond, 900 * time.Millisecond, 1200 * time.Millisecond}
		if got := store.attemptsOf("b"); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("b tried the store at %v, want %v (at once, then every retry interval)", got, want)
		}
		if lb.Token <= la.Token {
			t.Fatalf("b's token %d is not above a's %d", lb.Token, la.Token)
		}
		if err := a.Unlock(la); !errors.Is(err, ErrLockLost) {
			t.Fatalf("a's Unlock after its lease expired and b took the key = %v, want ErrLockLost", err)
		}
	})
}

func TestLockGivesUpWhenCtxEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := newFakeStore()
		a := NewClient(store, "a", time.Hour, time.Second)
		b := NewClient(store, "b", time.Hour, 100*time.Millisecond)
		mustLock(t, a, "job")
		ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
		defer cancel()
		start := time.Now()
		if _, err := b.Lock(ctx, "job"); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Lock under a 250ms deadline on a held key = %v, want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d != 250*time.Millisecond {
			t.Fatalf("Lock gave up after %v, want exactly 250ms (when ctx ended, not at the next retry)", d)
		}
		done, stop := context.WithCancel(context.Background())
		stop()
		if _, err := b.Lock(done, "other"); !errors.Is(err, context.Canceled) {
			t.Fatalf("Lock with a cancelled ctx = %v, want context.Canceled", err)
		}
		if n := len(store.attemptsOf("b")); n != 3 {
			t.Fatalf("b tried the store %d times, want 3 (at 0, 100ms, 200ms; none with a cancelled ctx)", n)
		}
	})
}

// The scenario fencing tokens exist for: a holder pauses past its lease, another takes the
// lock and writes, then the first one wakes up and writes with its old token.
func TestPausedHolderIsFencedOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := newFakeStore()
		res := NewResource()
		a := NewClient(store, "a", time.Second, 100*time.Millisecond)
		b := NewClient(store, "b", time.Second, 100*time.Millisecond)
		la := mustLock(t, a, "report")
		if err := res.Write("report", la.Token, "a1"); err != nil {
			t.Fatalf("a's first write = %v, want nil", err)
		}
		time.Sleep(2 * time.Second) // a "GC pause": a's lease expires meanwhile
		lb := mustLock(t, b, "report")
		if err := res.Write("report", lb.Token, "b1"); err != nil {
			t.Fatalf("b's write with the newer token = %v, want nil", err)
		}
		if err := res.Write("report", la.Token, "a2"); !errors.Is(err, ErrStaleToken) {
			t.Fatalf("a's write with its old token %d after b wrote with %d = %v, want ErrStaleToken", la.Token, lb.Token, err)
		}
		if v, _ := res.Read("report"); v != "b1" {
			t.Fatalf("Read = %q, want b1: the stale write must not land", v)
		}
		if err := res.Write("report", lb.Token, "b2"); err != nil {
			t.Fatalf("b's second write with the same token = %v, want nil", err)
		}
		if err := res.Write("other", la.Token, "x"); err != nil {
			t.Fatalf("a write to another key with an old token = %v, want nil (tokens are per key)", err)
		}
		if v, ok := res.Read("report"); !ok || v != "b2" {
			t.Fatalf("Read = %q, %v; want b2, true", v, ok)
		}
		if err := a.Unlock(la); !errors.Is(err, ErrLockLost) {
			t.Fatalf("a's Unlock of its expired lease = %v, want ErrLockLost", err)
		}
		if err := b.Unlock(lb); err != nil {
			t.Fatalf("b's Unlock = %v, want nil", err)
		}
	})
}

func TestResourceUnderConcurrentWriters(t *testing.T) {
	res := NewResource()
	var wg sync.WaitGroup
	start := make(chan struct{})
	for g := range 4 {
		wg.Go(func() {
			<-start
			for i := range 200 {
				token := uint64(i*4 + g + 1)
				if err := res.Write("k", token, fmt.Sprint(token)); err != nil && !errors.Is(err, ErrStaleToken) {
					t.Errorf("Write = %v, want nil or ErrStaleToken", err)
					return
				}
				res.Read("k")
			}
		})
	}
	close(start)
	wg.Wait()
	if v, _ := res.Read("k"); v != "800" {
		t.Fatalf("after writes with tokens 1..800 the value is %q, want 800 (the highest token wins)", v)
	}
}

func TestMutualExclusion(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := newFakeStore()
		res := NewResource()
		var mu sync.Mutex
		holders := 0
		var wg sync.WaitGroup
		for i := range 5 {
			c := NewClient(store, fmt.Sprint("c", i), time.Minute, 10*time.Millisecond)
			wg.Go(func() {
				l := mustLock(t, c, "job")
				mu.Lock()
				holders++
				if holders > 1 {
					t.Errorf("%d clients hold the lock at once", holders)
				}
				mu.Unlock()
				if err := res.Write("job", l.Token, "done"); err != nil {
					t.Errorf("a holder's write = %v, want nil", err)
				}
				time.Sleep(25 * time.Millisecond)
				mu.Lock()
				holders--
				mu.Unlock()
				if err := c.Unlock(l); err != nil {
					t.Errorf("Unlock = %v, want nil", err)
				}
			})
		}
		wg.Wait()
	})
}

func TestNewClientPanics(t *testing.T) {
	for _, c := range []struct{ ttl, retry time.Duration }{{0, time.Second}, {time.Second, 0}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewClient(ttl %v, retry %v) should panic", c.ttl, c.retry)
				}
			}()
			NewClient(newFakeStore(), "x", c.ttl, c.retry)
		}()
	}
}
