package parmap

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// Timing tests run inside synctest bubbles: time.Sleep and timers use a fake clock, so
// "Map returned at exactly 100ms" is an exact check that does not depend on the machine.

// tracker counts calls in flight and remembers the peak and which items started.
type tracker struct {
	inFlight, peak atomic.Int64
	mu             sync.Mutex
	started        []int
	finished       atomic.Int64
}

func (tr *tracker) enter(item int) {
	now := tr.inFlight.Add(1)
	for {
		p := tr.peak.Load()
		if now <= p || tr.peak.CompareAndSwap(p, now) {
			break
		}
	}
	tr.mu.Lock()
	tr.started = append(tr.started, item)
	tr.mu.Unlock()
}

func (tr *tracker) leave() {
	tr.inFlight.Add(-1)
	tr.finished.Add(1)
}

func (tr *tracker) startedItems() []int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	s := slices.Clone(tr.started)
	slices.Sort(s)
	return s
}

// waitOrCancel sleeps for d unless ctx ends first; it reports whether ctx ended.
func waitOrCancel(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return true
	case <-t.C:
		return false
	}
}

var errBoom = errors.New("boom")

func ints(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func TestResultsInInputOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Later items finish first: the results must still follow the input order.
		got, err := Map(context.Background(), 4, ints(12), func(ctx context.Context, i int) (string, error) {
			time.Sleep(time.Duration(12-i) * time.Millisecond)
			return strconv.Itoa(i * i), nil
		})
		if err != nil {
			t.Fatalf("Map = %v, want nil", err)
		}
		want := make([]string, 12)
		for i := range want {
			want[i] = strconv.Itoa(i * i)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("Map results = %v, want %v (in the order of the items)", got, want)
		}
	})
}

func TestConcurrencyLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr tracker
		start := time.Now()
		_, err := Map(context.Background(), 3, ints(10), func(ctx context.Context, i int) (int, error) {
			tr.enter(i)
			defer tr.leave()
			time.Sleep(time.Second)
			return i, nil
		})
		if err != nil {
			t.Fatalf("Map = %v, want nil", err)
		}
		if p := tr.peak.Load(); p != 3 {
			t.Fatalf("at most %d calls ran at once with limit 3, want exactly 3", p)
		}
		if d := time.Since(start); d != 4*time.Second {
			t.Fatalf("10 one-second calls with limit 3 took %v, want 4s (3+3+3+1)", d)
		}
	})
}

func TestLimitOne(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var order []int
		got, err := Map(context.Background(), 1, ints(5), func(ctx context.Context, i int) (int, error) {
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			time.Sleep(time.Millisecond)
			return -i, nil
		})
		if err != nil || !slices.Equal(got, []int{0, -1, -2, -3, -4}) {
			t.Fatalf("Map with limit 1 = %v, %v; want [0 -1 -2 -3 -4], nil", got, err)
		}
		if !slices.Equal(order, []int{0, 1, 2, 3, 4}) {
			t.Fatalf("with limit 1 the calls ran in order %v, want [0 1 2 3 4]", order)
		}
	})
}

func TestFirstErrorCancelsTheRest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr tracker
		var cancelled atomic.Int64
		start := time.Now()
		got, err := Map(context.Background(), 4, ints(10), func(ctx context.Context, i int) (int, error) {
			tr.enter(i)
			defer tr.leave()
			if i == 2 {
				time.Sleep(100 * time.Millisecond)
				return 0, errBoom
			}
			if waitOrCancel(ctx, time.Hour) {
				cancelled.Add(1)
				return 0, ctx.Err()
			}
			return i, nil
		})
		if !errors.Is(err, errBoom) || got != nil {
			t.Fatalf("Map with item 2 failing = %v, %v; want nil, errBoom", got, err)
		}
		if d := time.Since(start); d != 100*time.Millisecond {
			t.Fatalf("Map returned after %v, want 100ms: the first error must cancel the ctx the other calls were given", d)
		}
		if s := tr.startedItems(); !slices.Equal(s, []int{0, 1, 2, 3}) {
			t.Fatalf("items %v were started, want only [0 1 2 3]: no call starts after the first error", s)
		}
		if c := cancelled.Load(); c != 3 {
			t.Fatalf("%d running calls saw their ctx cancelled, want 3", c)
		}
		if f := tr.finished.Load(); f != 4 {
			t.Fatalf("%d of 4 started calls had returned when Map returned, want all 4", f)
		}
	})
}

func TestTheFirstErrorWins(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		errFirst := errors.New("first")
		_, err := Map(context.Background(), 8, ints(8), func(ctx context.Context, i int) (int, error) {
			if i == 6 {
				time.Sleep(50 * time.Millisecond)
				return 0, errFirst
			}
			waitOrCancel(ctx, time.Hour)
			return 0, fmt.Errorf("item %d gave up", i)
		})
		if !errors.Is(err, errFirst) {
			t.Fatalf("Map = %v, want the first error (item 6's), not one of the errors that came after the cancellation", err)
		}
	})
}

func TestParentContextEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr tracker
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := Map(ctx, 2, ints(6), func(ctx context.Context, i int) (int, error) {
			tr.enter(i)
			defer tr.leave()
			if waitOrCancel(ctx, time.Hour) {
				return 0, ctx.Err()
			}
			return i, nil
		})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Map under a 500ms deadline = %v, want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d != 500*time.Millisecond {
			t.Fatalf("Map returned after %v, want 500ms", d)
		}
		if s := tr.startedItems(); !slices.Equal(s, []int{0, 1}) {
			t.Fatalf("items %v were started, want only [0 1]", s)
		}
	})
}

func TestAlreadyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var calls atomic.Int64
	_, err := Map(ctx, 3, ints(5), func(ctx context.Context, i int) (int, error) {
		calls.Add(1)
		return i, nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Map with a cancelled ctx = %v, want context.Canceled", err)
	}
	if n := calls.Load(); n != 0 {
		t.Fatalf("fn was called %d times with a cancelled ctx, want 0", n)
	}
}

func TestPanicReachesTheCaller(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tr tracker
		start := time.Now()
		var recovered any
		func() {
			defer func() { recovered = recover() }()
			Map(context.Background(), 4, ints(8), func(ctx context.Context, i int) (int, error) {
				tr.enter(i)
				defer tr.leave()
				if i == 3 {
					time.Sleep(10 * time.Millisecond)
					panic("kaboom")
				}
				waitOrCancel(ctx, time.Hour)
				return i, nil
			})
		}()
		if recovered != "kaboom" {
			t.Fatalf("Map recovered %v from its caller's point of view, want the call's panic value \"kaboom\"", recovered)
		}
		if d := time.Since(start); d != 10*time.Millisecond {
			t.Fatalf("the panic reached the caller after %v, want 10ms (a panic cancels the others like an error)", d)
		}
		if f := tr.finished.Load(); f != 4 {
			t.Fatalf("%d of 4 started calls had returned when Map panicked, want all of them", f)
		}
	})
}

func TestManyConcurrentResults(t *testing.T) {
	got, err := Map(context.Background(), 6, ints(200), func(ctx context.Context, i int) (int, error) {
		return i + 1, nil
	})
	if err != nil {
		t.Fatalf("Map = %v, want nil", err)
	}
	for i, v := range got {
		if v != i+1 {
			t.Fatalf("result %d = %d, want %d", i, v, i+1)
		}
	}
	if len(got) != 200 {
		t.Fatalf("%d results for 200 items", len(got))
	}
}

func TestEmptyInputAndBadLimit(t *testing.T) {
	got, err := Map(context.Background(), 2, nil, func(ctx context.Context, i int) (int, error) { return i, nil })
	if err != nil || len(got) != 0 {
		t.Fatalf("Map over no items = %v, %v; want an empty result and nil", got, err)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("Map with limit 0 should panic")
		}
	}()
	Map(context.Background(), 0, ints(1), func(ctx context.Context, i int) (int, error) { return i, nil })
}
