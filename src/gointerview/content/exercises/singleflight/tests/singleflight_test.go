package singleflight

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
)

// The tests that need to know "every caller is now waiting" run inside testing/synctest
// bubbles: synctest.Wait returns once every other goroutine in the bubble is durably blocked
// (on a channel, a sync.WaitGroup or a sync.Cond — not on a mutex), so no sleeps are needed.

type result struct {
	v      string
	err    error
	shared bool
}

func TestDoReturnsResult(t *testing.T) {
	var g Group[string, int] // the zero Group is ready to use
	v, err, shared := g.Do("a", func() (int, error) { return 42, nil })
	if v != 42 || err != nil || shared {
		t.Fatalf("Do(\"a\") = %d, %v, %v; want 42, <nil>, false (a lone caller's result is not shared)", v, err, shared)
	}
	boom := errors.New("boom")
	v, err, shared = g.Do("a", func() (int, error) { return 7, boom })
	if v != 7 || err != boom || shared {
		t.Fatalf("Do(\"a\") with fn returning (7, boom) = %d, %v, %v; want 7, boom, false", v, err, shared)
	}
}

func TestSequentialCallsRunFnAgain(t *testing.T) {
	var g Group[string, int]
	runs := 0
	for i := 1; i <= 3; i++ {
		v, err, shared := g.Do("k", func() (int, error) { runs++; return i, nil })
		if runs != i || v != i || err != nil || shared {
			t.Fatalf("call %d of Do(\"k\") in a row: got %d, %v, %v with fn run %d times; want %d, <nil>, false with fn run %d times (a finished flight must be forgotten: results are not cached)",
				i, v, err, shared, runs, i, i)
		}
	}
	_, _, _ = g.Do("e", func() (int, error) { return 0, errors.New("first") })
	if _, err, _ := g.Do("e", func() (int, error) { return 1, nil }); err != nil {
		t.Fatalf("Do after a failed call returned %v; want the new fn to run and return nil (errors are not cached either)", err)
	}
}

func TestConcurrentCallersShareOneExecution(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var g Group[string, string]
		release := make(chan struct{})
		var runs atomic.Int32
		fn := func() (string, error) {
			runs.Add(1)
			<-release
			return "value", nil
		}
		const n = 10
		results := make([]result, n)
		var wg sync.WaitGroup
		wg.Go(func() {
			v, err, shared := g.Do("key", fn)
			results[0] = result{v, err, shared}
		})
		synctest.Wait() // the first caller is inside fn, blocked on release
		for i := 1; i < n; i++ {
			wg.Go(func() {
				v, err, shared := g.Do("key", fn)
				results[i] = result{v, err, shared}
			})
		}
		synctest.Wait() // the other callers are all blocked
		if got := runs.Load(); got != 1 {
			t.Errorf("fn ran %d times while %d callers asked for the same key; want 1 (duplicates must wait for the flight in progress)", got, n)
		}
		close(release)
		wg.Wait()
		if got := runs.Load(); got != 1 {
			t.Errorf("fn ran %d times in total for %d concurrent callers of one key; want 1", got, n)
		}
		for i, r := range results {
			if r != (result{"value", nil, true}) {
				t.Errorf("caller %d got %q, %v, shared=%v; want \"value\", <nil>, shared=true (every caller, including the one that ran fn, shares the result)", i, r.v, r.err, r.shared)
			}
		}
		// The flight is over: the next call runs fn again.
		if v, _, shared := g.Do("key", func() (string, error) { return "fresh", nil }); v != "fresh" || shared {
			t.Errorf("Do after the flight finished = %q, shared=%v; want \"fresh\", shared=false", v, shared)
		}
	})
}

func TestWaitersGetTheError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var g Group[int, string]
		boom := errors.New("backend down")
		release := make(chan struct{})
		fn := func() (string, error) { <-release; return "partial", boom }
		results := make([]result, 3)
		var wg sync.WaitGroup
		wg.Go(func() {
			v, err, shared := g.Do(7, fn)
			results[0] = result{v, err, shared}
		})
		synctest.Wait()
		for i := 1; i < len(results); i++ {
			wg.Go(func() {
				v, err, shared := g.Do(7, fn)
				results[i] = result{v, err, shared}
			})
		}
		synctest.Wait()
		close(release)
		wg.Wait()
		for i, r := range results {
			if r != (result{"partial", boom, true}) {
				t.Errorf("caller %d got %q, %v, shared=%v; want \"partial\", %v, shared=true", i, r.v, r.err, r.shared, boom)
			}
		}
	})
}

func TestDistinctKeysRunIndependently(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var g Group[string, int]
		releaseA := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			if v, _, _ := g.Do("a", func() (int, error) { <-releaseA; return 1, nil }); v != 1 {
				t.Errorf("Do(\"a\") = %d, want 1", v)
			}
		})
		synctest.Wait() // "a" is in flight
		var bDone atomic.Bool
		var bResult result
		wg.Go(func() {
			v, err, shared := g.Do("b", func() (int, error) { return 2, nil })
			bResult = result{fmt.Sprint(v), err, shared}
			bDone.Store(true)
		})
		synctest.Wait()
		if !bDone.Load() {
			t.Errorf("Do(\"b\") did not return while a call for \"a\" was in flight; different keys must not wait for each other")
		}
		close(releaseA)
		wg.Wait()
		if bResult != (result{"2", nil, false}) {
			t.Errorf("Do(\"b\") = %s, %v, shared=%v; want 2, <nil>, shared=false", bResult.v, bResult.err, bResult.shared)
		}
	})
}

// checkPanicError checks that recovered is a *PanicError carrying want.
func checkPanicError(t *testing.T, who string, recovered any, want any) {
	t.Helper()
	if recovered == nil {
		t.Errorf("%s: Do returned normally although fn panicked; want it to panic with a *PanicError", who)
		return
	}
	pe, ok := recovered.(*PanicError)
	if !ok {
		t.Errorf("%s: Do panicked with %T (%v); want a *PanicError", who, recovered, recovered)
		return
	}
	if pe.Value != want {
		t.Errorf("%s: PanicError.Value = %v; want %v (the value fn panicked with)", who, pe.Value, want)
	}
}

// doNoPanic calls g.Do and turns an unexpected panic into a test error.
func doNoPanic(t *testing.T, g *Group[string, int], key string, fn func() (int, error), when string) (v int, err error, shared bool) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			if pe, ok := r.(*PanicError); ok {
				r = fmt.Sprintf("*PanicError{Value: %v}", pe.Value) // without the stack
			}
			t.Errorf("%s: Do(%q) panicked with %v; want fn to run again and return normally (was the finished flight forgotten?)", when, key, r)
		}
	}()
	return g.Do(key, fn)
}

// This test runs outside a bubble on purpose and comes before the concurrent panic test: an
// implementation that leaves the key in flight after a panic makes the second Do hang.
func TestPanicDoesNotWedgeTheKey(t *testing.T) {
	var g Group[string, int]
	var recovered any
	func() {
		defer func() { recovered = recover() }()
		g.Do("k", func() (int, error) { panic("boom") })
	}()
	// If the panicking flight was never finished, this blocks forever.
	v, err, shared := doNoPanic(t, &g, "k", func() (int, error) { return 1, nil }, "after a panicking call")
	if v != 1 || err != nil || shared {
		t.Errorf("Do after a panicking call = %d, %v, %v; want 1, <nil>, false (fn must run again)", v, err, shared)
	}
	checkPanicError(t, "the caller that ran fn", recovered, "boom")
}

func TestPanicReachesEveryWaiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var g Group[string, int]
		release := make(chan struct{})
		var runs atomic.Int32
		fn := func() (int, error) {
			runs.Add(1)
			<-release
			panic("boom")
		}
		const n = 5
		recovered := make([]any, n)
		call := func(i int) {
			defer func() { recovered[i] = recover() }()
			g.Do("k", fn)
		}
		var wg sync.WaitGroup
		wg.Go(func() { call(0) })
		synctest.Wait()
		for i := 1; i < n; i++ {
			wg.Go(func() { call(i) })
		}
		synctest.Wait()
		close(release)
		wg.Wait() // a wedged implementation deadlocks here (synctest reports it)
		if got := runs.Load(); got != 1 {
			t.Errorf("fn ran %d times; want 1", got)
		}
		for i, r := range recovered {
			who := "waiter " + fmt.Sprint(i)
			if i == 0 {
				who = "the caller that ran fn"
			}
			checkPanicError(t, who, r, "boom")
		}
		if v, _, _ := doNoPanic(t, &g, "k", func() (int, error) { return 3, nil }, "after the panicking flight"); v != 3 {
			t.Errorf("Do after the panicking flight = %d; want 3 (fn must run again)", v)
		}
	})
}

func TestConcurrentUseManyKeys(t *testing.T) {
	var g Group[int, int]
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Go(func() {
			for i := 0; i < 300; i++ {
				key := (w + i) % 5
				v, err, _ := g.Do(key, func() (int, error) { return key * 10, nil })
				if v != key*10 || err != nil {
					t.Errorf("Do(%d) = %d, %v; want %d, <nil>", key, v, err, key*10)
					return
				}
			}
		})
	}
	wg.Wait()
}
