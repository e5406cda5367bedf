package batcher

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// The tests run inside synctest bubbles: time is a fake clock that moves only when every
// goroutine in the bubble is blocked, so "flushed at exactly 1s" is an exact check.

type batch struct {
	at    time.Duration // when flush was called, from the recorder's start
	items []int         // the slice flush was given, kept as it was handed over
}

// recorder is a flush function that keeps every batch. Tests read the items only after
// Close has returned (Close waits for the last flush); before that, only sizes and times.
type recorder struct {
	start    time.Time
	mu       sync.Mutex
	batches  []batch
	inFlight atomic.Int32
	overlap  atomic.Bool
	gate     chan struct{} // if not nil, flush waits until it is closed
}

func newRecorder() *recorder { return &recorder{start: time.Now()} }

func (r *recorder) flush(items []int) {
	if r.inFlight.Add(1) > 1 {
		r.overlap.Store(true)
	}
	defer r.inFlight.Add(-1)
	r.mu.Lock()
	r.batches = append(r.batches, batch{time.Since(r.start), items})
	gate := r.gate
	r.mu.Unlock()
	if gate != nil {
		<-gate
	}
}

// sizes and times are safe before Close: they read slice headers, not the items.
func (r *recorder) sizes() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []int
	for _, b := range r.batches {
		out = append(out, len(b.items))
	}
	return out
}

func (r *recorder) times() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []time.Duration
	for _, b := range r.batches {
		out = append(out, b.at)
	}
	return out
}

func (r *recorder) items() [][]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out [][]int
	for _, b := range r.batches {
		out = append(out, b.items)
	}
	return out
}

func mustAdd(t *testing.T, b *Batcher[int], v int) {
	t.Helper()
	if err := b.Add(context.Background(), v); err != nil {
		t.Fatalf("Add(%d) = %v, want nil", v, err)
	}
}

func equalBatches(a, b [][]int) bool {
	return slices.EqualFunc(a, b, func(x, y []int) bool { return slices.Equal(x, y) })
}

func TestFlushWhenFull(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRecorder()
		b := New(3, time.Hour, r.flush)
		defer b.Close() // also when a check fails: no goroutine is left in the bubble
		for i := range 7 {
			mustAdd(t, b, i)
		}
		synctest.Wait()
		if got := r.sizes(); !slices.Equal(got, []int{3, 3}) {
			t.Fatalf("after 7 Adds with maxSize 3, flushed batch sizes = %v, want [3 3] (and 1 item waiting)", got)
		}
		if got := r.times(); !slices.Equal(got, []time.Duration{0, 0}) {
			t.Fatalf("full batches were flushed at %v, want at once ([0s 0s])", got)
		}
		b.Close()
		if got, want := r.items(), [][]int{{0, 1, 2}, {3, 4, 5}, {6}}; !equalBatches(got, want) {
			t.Fatalf("batches = %v, want %v (Close flushes the last, partial batch)", got, want)
		}
	})
}

func TestFlushAfterMaxWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRecorder()
		b := New(100, time.Second, r.flush)
		defer b.Close() // also when a check fails: no goroutine is left in the bubble
		mustAdd(t, b, 1)
		time.Sleep(500 * time.Millisecond)
		mustAdd(t, b, 2)
		time.Sleep(499 * time.Millisecond)
		synctest.Wait()
		if got := r.sizes(); len(got) != 0 {
			t.Fatalf("at 999ms (maxWait 1s from the first item) batches %v were flushed, want none yet", got)
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		if got := r.sizes(); !slices.Equal(got, []int{2}) {
			t.Fatalf("at 1s, flushed batch sizes = %v, want [2] (maxWait counts from a batch's first item)", got)
		}
		// The next batch's clock starts at its own first item.
		time.Sleep(700 * time.Millisecond)
		mustAdd(t, b, 3)
		time.Sleep(2 * time.Second)
		if got, want := r.times(), []time.Duration{time.Second, 2700 * time.Millisecond}; !slices.Equal(got, want) {
			t.Fatalf("flushes happened at %v, want %v", got, want)
		}
	})
}

func TestSteadyTrickleStillFlushesOnTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRecorder()
		b := New(100, time.Second, r.flush)
		defer b.Close() // also when a check fails: no goroutine is left in the bubble
		for i := range 10 { // one item every 300ms, from 0s to 2.7s
			mustAdd(t, b, i)
			time.Sleep(300 * time.Millisecond)
		}
		want := []time.Duration{time.Second, 2200 * time.Millisecond}
		if got := r.times(); !slices.Equal(got, want) {
			t.Fatalf("with an item every 300ms and maxWait 1s, flushes happened at %v, want %v "+
				"(maxWait counts from a batch's first item, not from the latest one)", got, want)
		}
		b.Close()
		want2 := [][]int{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}}
		if got := r.items(); !equalBatches(got, want2) {
			t.Fatalf("batches = %v, want %v", got, want2)
		}
	})
}

func TestTimerRestartsAfterAFullBatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRecorder()
		b := New(2, time.Second, r.flush)
		defer b.Close() // also when a check fails: no goroutine is left in the bubble
		mustAdd(t, b, 1)
		mustAdd(t, b, 2) // full: flushed at 0s, and that batch's timer must not fire later
		time.Sleep(600 * time.Millisecond)
		mustAdd(t, b, 3)
		time.Sleep(3 * time.Second)
		if got, want := r.times(), []time.Duration{0, 1600 * time.Millisecond}; !slices.Equal(got, want) {
			t.Fatalf("flushes happened at %v, want %v (the batch started at 600ms waits until 1.6s)", got, want)
		}
	})
}

func TestBatchesAreNotReused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRecorder()
		b := New(2, time.Second, r.flush)
		defer b.Close() // also when a check fails: no goroutine is left in the bubble
		for i := 1; i <= 6; i++ {
			mustAdd(t, b, i)
		}
		mustAdd(t, b, 7)
		time.Sleep(2 * time.Second)
		b.Close()
		want := [][]int{{1, 2}, {3, 4}, {5, 6}, {7}}
		if got := r.items(); !equalBatches(got, want) {
			t.Fatalf("the batches flush kept = %v, want %v (a slice handed to flush belongs to flush: the batcher must not write to it again)", got, want)
		}
	})
}

func TestCloseFlushesAndStops(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRecorder()
		b := New(10, time.Minute, r.flush)
		defer b.Close() // also when a check fails: no goroutine is left in the bubble
		mustAdd(t, b, 1)
		mustAdd(t, b, 2)
		b.Close()
		if got := r.items(); !equalBatches(got, [][]int{{1, 2}}) {
			t.Fatalf("when Close returned, flushed batches = %v, want [[1 2]]", got)
		}
		if err := b.Add(context.Background(), 3); !errors.Is(err, ErrClosed) {
			t.Fatalf("Add after Close = %v, want ErrClosed", err)
		}
		time.Sleep(2 * time.Minute)
		if got := r.sizes(); len(got) != 1 {
			t.Fatalf("flush was called %d times after Close, want no more calls", len(got)-1)
		}
	})
}

func TestCloseOfAnEmptyBatcherFlushesNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRecorder()
		b := New(3, time.Second, r.flush)
		defer b.Close() // also when a check fails: no goroutine is left in the bubble
		mustAdd(t, b, 1)
		mustAdd(t, b, 2)
		mustAdd(t, b, 3)
		b.Close()
		if got := r.sizes(); !slices.Equal(got, []int{3}) {
			t.Fatalf("batch sizes = %v, want [3] (Close must not flush an empty batch)", got)
		}
	})
}

func TestCloseIsIdempotent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRecorder()
		b := New(5, time.Second, r.flush)
		defer b.Close() // also when a check fails: no goroutine is left in the bubble
		mustAdd(t, b, 1)
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(b.Close)
		}
		wg.Wait()
		b.Close()
		if got := r.sizes(); !slices.Equal(got, []int{1}) {
			t.Fatalf("batch sizes after four Closes = %v, want [1]", got)
		}
	})
}

func TestAddWaitsWhileFlushing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRecorder()
		r.gate = make(chan struct{})
		b := New(1, time.Second, r.flush)
		defer b.Close() // also when a check fails: no goroutine is left in the bubble
		openGate := sync.OnceFunc(func() { close(r.gate) })
		defer openGate() // runs before Close, which waits for the flush in progress
		mustAdd(t, b, 1) // flush([1]) now blocks on the gate
		synctest.Wait()

		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := b.Add(ctx, 2)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Add while flush is busy, with a 100ms deadline = %v, want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d != 100*time.Millisecond {
			t.Fatalf("Add gave up after %v, want exactly 100ms", d)
		}

		added := make(chan error, 1)
		go func() { added <- b.Add(context.Background(), 3) }()
		synctest.Wait()
		select {
		case err := <-added:
			t.Fatalf("Add returned %v while flush was still busy, want it to wait", err)
		default:
		}
		openGate()
		if err := <-added; err != nil {
			t.Fatalf("Add once flush returned = %v, want nil", err)
		}
		b.Close()
		if got, want := r.items(), [][]int{{1}, {3}}; !equalBatches(got, want) {
			t.Fatalf("batches = %v, want %v (an Add that gave up adds nothing)", got, want)
		}
	})
}

func TestAddWithDoneContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRecorder()
		b := New(2, time.Second, r.flush)
		defer b.Close() // also when a check fails: no goroutine is left in the bubble
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := b.Add(ctx, 1); !errors.Is(err, context.Canceled) {
			t.Fatalf("Add with a cancelled ctx = %v, want context.Canceled", err)
		}
		b.Close()
		if got := r.sizes(); len(got) != 0 {
			t.Fatalf("batch sizes = %v; an Add with a cancelled ctx must add nothing", got)
		}
	})
}

func TestConcurrentAdders(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRecorder()
		b := New(7, 50*time.Millisecond, r.flush)
		defer b.Close() // also when a check fails: no goroutine is left in the bubble
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Go(func() {
				for i := range 50 {
					if err := b.Add(context.Background(), g*1000+i); err != nil {
						t.Errorf("Add = %v, want nil", err)
						return
					}
					if i%10 == 9 {
						time.Sleep(30 * time.Millisecond)
					}
				}
			})
		}
		wg.Wait()
		b.Close()
		if r.overlap.Load() {
			t.Fatal("flush was called again before the previous call returned")
		}
		seen := map[int]int{}
		for _, items := range r.items() {
			if len(items) == 0 || len(items) > 7 {
				t.Fatalf("a batch of %d items with maxSize 7", len(items))
			}
			for _, v := range items {
				seen[v]++
			}
		}
		for g := range 8 {
			for i := range 50 {
				if n := seen[g*1000+i]; n != 1 {
					t.Fatalf("item %d was flushed %d times, want exactly once (%d distinct items seen)", g*1000+i, n, len(seen))
				}
			}
		}
		if len(seen) != 400 {
			t.Fatalf("%d distinct items flushed, want 400", len(seen))
		}
	})
}

func TestNewValidates(t *testing.T) {
	for _, c := range []struct {
		size  int
		wait  time.Duration
		flush func([]int)
	}{{0, time.Second, func([]int) {}}, {1, 0, func([]int) {}}, {1, time.Second, nil}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%d, %v, flush=%v) should panic", c.size, c.wait, c.flush != nil)
				}
			}()
			New(c.size, c.wait, c.flush)
		}()
	}
}
