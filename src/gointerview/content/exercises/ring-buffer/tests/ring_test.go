package ringbuf

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
	"weak"
)

// The blocking tests run inside synctest bubbles: synctest.Wait returns once every goroutine
// in the bubble is blocked, so "this call is still blocked" is checked exactly, without
// sleeping. Every call a test leaves blocked has a ctx the test cancels, so a wrong
// implementation fails the test instead of hanging it.

type result[T any] struct {
	v   T
	err error
}

func startGet[T any](ctx context.Context, b *Buffer[T]) <-chan result[T] {
	ch := make(chan result[T], 1)
	go func() {
		v, err := b.Get(ctx)
		ch <- result[T]{v, err}
	}()
	return ch
}

func startPut[T any](ctx context.Context, b *Buffer[T], v T) <-chan error {
	ch := make(chan error, 1)
	go func() { ch <- b.Put(ctx, v) }()
	return ch
}

// ready reports the value on ch if it has one now, after every goroutine in the bubble has
// blocked.
func ready[R any](ch <-chan R) (R, bool) {
	synctest.Wait()
	select {
	case r := <-ch:
		return r, true
	default:
		var zero R
		return zero, false
	}
}

func mustPut[T any](t *testing.T, b *Buffer[T], v T, when string) {
	t.Helper()
	if err := b.Put(context.Background(), v); err != nil {
		t.Fatalf("%s: Put(%v) = %v, want nil", when, v, err)
	}
}

func mustGet[T comparable](t *testing.T, b *Buffer[T], want T, when string) {
	t.Helper()
	if v, err := b.Get(context.Background()); v != want || err != nil {
		t.Fatalf("%s: Get() = (%v, %v), want (%v, nil)", when, v, err, want)
	}
}

func wantLen[T any](t *testing.T, b *Buffer[T], want int, when string) {
	t.Helper()
	if n := b.Len(); n != want {
		t.Fatalf("%s: Len() = %d, want %d", when, n, want)
	}
}

func TestFIFOAcrossWrapAround(t *testing.T) {
	b := New[int](3)
	if c := b.Cap(); c != 3 {
		t.Fatalf("Cap() of New(3) = %d, want 3", c)
	}
	wantLen(t, b, 0, "a new buffer")
	next, want := 0, 0
	// Fill and drain in uneven steps so the ring wraps around many times.
	for round := range 20 {
		puts := 1 + round%3
		for range puts {
			mustPut(t, b, next, fmt.Sprintf("round %d", round))
			next++
		}
		wantLen(t, b, puts, fmt.Sprintf("round %d after %d Puts into an empty buffer", round, puts))
		for range puts {
			mustGet(t, b, want, fmt.Sprintf("round %d (elements come out in the order they went in, across the ring's wrap-around)", round))
			want++
		}
	}
	for i := range 3 {
		mustPut(t, b, 100+i, "filling to capacity")
	}
	wantLen(t, b, 3, "a full buffer of capacity 3")
	for i := range 3 {
		mustGet(t, b, 100+i, "draining a full buffer")
	}
	wantLen(t, b, 0, "a drained buffer")
}

func TestPutBlocksWhileFull(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		b := New[string](2)
		mustPut(t, b, "a", "empty buffer of 2")
		mustPut(t, b, "b", "buffer of 2 holding 1")
		put := startPut(ctx, b, "c")
		if err, ok := ready(put); ok {
			t.Fatalf("Put into a full buffer returned %v at once, want it to block until there is room", err)
		}
		wantLen(t, b, 2, "a full buffer of 2 with a Put waiting")
		mustGet(t, b, "a", "a full buffer with a Put waiting")
		err, ok := ready(put)
		if !ok {
			cancel()
			t.Fatalf("a Put blocked on a full buffer did not return after a Get made room")
		}
		if err != nil {
			t.Fatalf("a Put blocked on a full buffer returned %v after a Get made room, want nil", err)
		}
		wantLen(t, b, 2, "after the waiting Put stored its value")
		mustGet(t, b, "b", "after the waiting Put")
		mustGet(t, b, "c", "the value of the Put that waited")
	})
}

func TestGetBlocksWhileEmpty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		b := New[int](2)
		get1 := startGet(ctx, b)
		get2 := startGet(ctx, b)
		if r, ok := ready(get1); ok {
			t.Fatalf("Get on an empty buffer returned (%v, %v) at once, want it to block", r.v, r.err)
		}
		mustPut(t, b, 7, "two Gets waiting")
		synctest.Wait()
		mustPut(t, b, 8, "one Get waiting")
		var got []int
		for _, ch := range []<-chan result[int]{get1, get2} {
			r, ok := ready(ch)
			if !ok {
				cancel()
				t.Fatalf("two Gets blocked on an empty buffer and two Puts: a Get did not return")
			}
			if r.err != nil {
				t.Fatalf("a Get blocked on an empty buffer returned error %v after a Put, want nil", r.err)
			}
			got = append(got, r.v)
		}
		slices.Sort(got)
		if !slices.Equal(got, []int{7, 8}) {
			t.Fatalf("two waiting Gets got %v, want 7 and 8 (one each)", got)
		}
		wantLen(t, b, 0, "after both waiting Gets took a value")
	})
}

func TestCloseWakesEveryWaiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		empty := New[int](1)
		full := New[int](1)
		mustPut(t, full, 1, "empty buffer of 1")
		gets := []<-chan result[int]{startGet(ctx, empty), startGet(ctx, empty), startGet(ctx, empty)}
		puts := []<-chan error{startPut(ctx, full, 2), startPut(ctx, full, 3)}
		synctest.Wait()
		empty.Close()
		full.Close()
		for i, ch := range gets {
			r, ok := ready(ch)
			if !ok {
				cancel()
				t.Fatalf("Get %d, blocked on an empty buffer, did not return when the buffer was closed", i)
			}
			if !errors.Is(r.err, ErrClosed) {
				t.Fatalf("Get %d, blocked on an empty buffer that was then closed, returned (%v, %v), want ErrClosed", i, r.v, r.err)
			}
		}
		for i, ch := range puts {
			err, ok := ready(ch)
			if !ok {
				cancel()
				t.Fatalf("Put %d, blocked on a full buffer, did not return when the buffer was closed", i)
			}
			if !errors.Is(err, ErrClosed) {
				t.Fatalf("Put %d, blocked on a full buffer that was then closed, returned %v, want ErrClosed", i, err)
			}
		}
		wantLen(t, full, 1, "a closed buffer whose blocked Puts were refused")
		mustGet(t, full, 1, "a closed buffer still holding 1")
		empty.Close() // a second Close is harmless
	})
}

func TestCloseDrainsThenRefuses(t *testing.T) {
	b := New[int](4)
	for i := range 3 {
		mustPut(t, b, i, "an open buffer")
	}
	b.Close()
	b.Close()
	if err := b.Put(context.Background(), 9); !errors.Is(err, ErrClosed) {
		t.Fatalf("Put on a closed buffer with room = %v, want ErrClosed", err)
	}
	wantLen(t, b, 3, "a closed buffer after a refused Put")
	for i := range 3 {
		mustGet(t, b, i, "a closed buffer still holding elements (Get must drain them before reporting ErrClosed)")
	}
	for range 2 {
		if v, err := b.Get(context.Background()); !errors.Is(err, ErrClosed) {
			t.Fatalf("Get on a closed, empty buffer = (%v, %v), want ErrClosed", v, err)
		}
	}
}

func TestContextEndsAWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := New[int](1)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start := time.Now()
		if v, err := b.Get(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Get on an empty buffer with a 1s deadline = (%v, %v), want context.DeadlineExceeded", v, err)
		}
		if d := time.Since(start); d != time.Second {
			t.Fatalf("Get with a 1s deadline returned after %v, want exactly 1s", d)
		}

		mustPut(t, b, 1, "an empty buffer of 1")
		pctx, pcancel := context.WithCancel(context.Background())
		put := startPut(pctx, b, 2)
		if err, ok := ready(put); ok {
			pcancel()
			t.Fatalf("Put into a full buffer returned %v at once, want it to block", err)
		}
		pcancel()
		err, ok := ready(put)
		if !ok {
			t.Fatalf("a Put blocked on a full buffer did not return when its ctx was cancelled")
		}
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("a Put blocked on a full buffer returned %v when its ctx was cancelled, want context.Canceled", err)
		}
		wantLen(t, b, 1, "after a Put gave up (it must not store its value)")
		mustGet(t, b, 1, "after a Put gave up")
		if v, err := b.Get(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Get on an empty buffer with an expired ctx = (%v, %v), want context.DeadlineExceeded (the cancelled Put must not have stored 2)", v, err)
		}
	})
}

func TestDoneContextOnlyMattersWhenWaiting(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b := New[int](1)
	if err := b.Put(ctx, 5); err != nil {
		t.Fatalf("Put with a cancelled ctx into a buffer with room = %v, want nil (a call that need not wait succeeds)", err)
	}
	if err := b.Put(ctx, 6); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put with a cancelled ctx into a full buffer = %v, want context.Canceled", err)
	}
	if v, err := b.Get(ctx); v != 5 || err != nil {
		t.Fatalf("Get with a cancelled ctx from a buffer holding 5 = (%v, %v), want (5, nil)", v, err)
	}
	if _, err := b.Get(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Get with a cancelled ctx from an empty buffer = %v, want context.Canceled", err)
	}
}

type payload struct{ data [64]int }

// putAndGet stores a fresh payload, takes it out again and returns only a weak pointer to it.
//
//go:noinline
func putAndGet(b *Buffer[*payload]) (weak.Pointer[payload], error) {
	p := &payload{}
	w := weak.Make(p)
	if err := b.Put(context.Background(), p); err != nil {
		return w, err
	}
	got, err := b.Get(context.Background())
	if err == nil && got != p {
		err = fmt.Errorf("Get returned %p, want the pointer put, %p", got, p)
	}
	return w, err
}

func TestGetReleasesTheValue(t *testing.T) {
	b := New[*payload](4)
	w, err := putAndGet(b)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.GC()
	if w.Value() != nil {
		t.Fatalf("a pointer that was Put and then taken by Get is still reachable after GC: the ring must clear the slot it takes from, or it keeps the value alive until the slot is overwritten")
	}
	runtime.KeepAlive(b)
}

func TestInvalidCapacityPanics(t *testing.T) {
	for _, c := range []int{0, -1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%d) should panic", c)
				}
			}()
			New[int](c)
		}()
	}
}

// TestConcurrentProducersConsumers moves values through a small buffer from several
// producers to several consumers while another goroutine keeps reading Len. The consumers
// stop on ErrClosed or on their ctx, so this test does not depend on Close waking them
// (TestCloseWakesEveryWaiter checks that).
func TestConcurrentProducersConsumers(t *testing.T) {
	const producers, consumers, each = 4, 3, 2000
	b := New[int](4)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var received atomic.Int64
	allIn := make(chan struct{})
	var stopLen atomic.Bool
	var watcher sync.WaitGroup
	watcher.Go(func() {
		for !stopLen.Load() {
			if n := b.Len(); n < 0 || n > 4 {
				t.Errorf("Len() = %d on a buffer of capacity 4", n)
				return
			}
			runtime.Gosched()
		}
	})
	var prod sync.WaitGroup
	for p := range producers {
		prod.Go(func() {
			for i := range each {
				if err := b.Put(context.Background(), p*each+i); err != nil {
					t.Errorf("Put = %v, want nil", err)
					return
				}
			}
		})
	}
	got := make([][]int, consumers)
	var cons sync.WaitGroup
	for c := range consumers {
		cons.Go(func() {
			for {
				v, err := b.Get(ctx)
				if errors.Is(err, ErrClosed) || errors.Is(err, context.Canceled) {
					return
				}
				if err != nil {
					t.Errorf("Get = %v, want a value, ErrClosed or context.Canceled", err)
					return
				}
				got[c] = append(got[c], v)
				if received.Add(1) == producers*each {
					close(allIn)
				}
			}
		})
	}
	prod.Wait()
	<-allIn
	b.Close()
	cancel()
	cons.Wait()
	stopLen.Store(true)
	watcher.Wait()

	var all []int
	for c, vs := range got {
		last := make([]int, producers)
		for i := range last {
			last[i] = -1
		}
		for _, v := range vs {
			p := v / each
			if v <= last[p] {
				t.Fatalf("consumer %d got %d after %d from the same producer (a FIFO hands one producer's values out in the order they were put)", c, v, last[p])
			}
			last[p] = v
		}
		all = append(all, vs...)
	}
	slices.Sort(all)
	if len(all) != producers*each {
		t.Fatalf("consumers got %d values in all, want %d", len(all), producers*each)
	}
	for i, v := range all {
		if v != i {
			t.Fatalf("value %d was received %s", i, map[bool]string{true: "twice", false: "never"}[i > 0 && all[i-1] == v || v < i])
		}
	}
}
