package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"testing/synctest"
	"time"
)

var errBoom = errors.New("boom")

func add(n int) Stage {
	return func(_ context.Context, v int) (int, error) { return v + n, nil }
}

func mul(n int) Stage {
	return func(_ context.Context, v int) (int, error) { return v * n, nil }
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// result is what Run returned, for tests that call it in a goroutine.
type result struct {
	out []int
	err error
}

func TestNoStagesReturnsTheSource(t *testing.T) {
	src := []int{3, 1, 2}
	got, err := Run(context.Background(), src)
	if err != nil || !slices.Equal(got, src) {
		t.Fatalf("Run(ctx, %v) with no stages = %v, %v; want %v, nil", src, got, err, src)
	}
}

func TestEmptySource(t *testing.T) {
	never := func(context.Context, int) (int, error) {
		t.Error("a stage was called although the source is empty")
		return 0, nil
	}
	got, err := Run(context.Background(), nil, never, never)
	if err != nil || len(got) != 0 {
		t.Fatalf("Run with an empty source = %v, %v; want no values and nil", got, err)
	}
}

func TestStagesApplyInOrderAndKeepOrder(t *testing.T) {
	src := seq(200)
	got, err := Run(context.Background(), src, add(1), mul(2), add(-3))
	if err != nil {
		t.Fatalf("Run = %v, want nil error", err)
	}
	want := make([]int, len(src))
	for i, v := range src {
		want[i] = (v+1)*2 - 3 // stages[0] first, then stages[1], then stages[2]
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Run(0..199, +1, *2, -3) =\n%v\nwant\n%v", got, want)
	}
}

func TestStagesRunConcurrently(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		slow := func(n int) Stage {
			return func(_ context.Context, v int) (int, error) {
				time.Sleep(time.Second) // fake time inside the bubble
				return v + n, nil
			}
		}
		start := time.Now()
		got, err := Run(context.Background(), seq(10), slow(1), slow(10))
		if err != nil || !slices.Equal(got, []int{11, 12, 13, 14, 15, 16, 17, 18, 19, 20}) {
			t.Fatalf("Run = %v, %v; want 11..20, nil", got, err)
		}
		// Two 1s stages over 10 values: while stage 2 handles value i, stage 1 handles
		// value i+1, so the run takes 11s. One value at a time through both would take 20s.
		if elapsed := time.Since(start); elapsed > 11*time.Second {
			t.Fatalf("Run took %v of fake time, want 11s: the stages must work on different values at the same time", elapsed)
		}
	})
}

func TestFirstErrorCancelsThePipeline(t *testing.T) {
	s1AtThree := make(chan struct{})
	s1 := func(_ context.Context, v int) (int, error) {
		if v == 3 {
			close(s1AtThree) // stage 1 holds value 3, which stage 2 will never take
		}
		return v, nil
	}
	s2 := func(_ context.Context, v int) (int, error) {
		if v == 2 {
			<-s1AtThree
			return 0, errBoom
		}
		return v, nil
	}
	got, err := Run(context.Background(), seq(10), s1, s2, add(0))
	if !errors.Is(err, errBoom) {
		t.Fatalf("Run with a failing stage returned error %v, want the stage's error %v", err, errBoom)
	}
	if got != nil {
		t.Fatalf("Run returned values %v with an error, want nil", got)
	}
	// Every goroutine must be gone: stage 1 is left holding value 3 and the source value 4,
	// and they must not stay blocked sending them. The leak check runs after the tests.
}

func TestLaterErrorsDoNotReplaceTheFirst(t *testing.T) {
	s1 := func(ctx context.Context, v int) (int, error) {
		if v == 0 {
			return 0, nil
		}
		<-ctx.Done() // only the first error cancels ctx, so this error comes second
		return 0, fmt.Errorf("stage 1 stopped: %w", ctx.Err())
	}
	s2 := func(_ context.Context, v int) (int, error) {
		return 0, errBoom
	}
	_, err := Run(context.Background(), seq(5), s1, s2)
	if !errors.Is(err, errBoom) {
		t.Fatalf("Run returned %v, want the first error %v (stage 1's error came after it)", err, errBoom)
	}
}

func TestCancelStopsThePipeline(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reached := make(chan struct{})
	s1 := func(ctx context.Context, v int) (int, error) {
		if v == 2 {
			close(reached)
			<-ctx.Done()
			return v, nil // a stage that reports no error: Run must notice ctx itself
		}
		return v, nil
	}
	done := make(chan result, 1)
	go func() {
		out, err := Run(ctx, seq(100), s1, add(0))
		done <- result{out, err}
	}()
	<-reached
	cancel()
	r := <-done
	if !errors.Is(r.err, context.Canceled) || r.out != nil {
		t.Fatalf("Run after ctx was cancelled = %v, %v; want nil, context.Canceled", r.out, r.err)
	}
}

func TestAlreadyCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got, err := Run(ctx, seq(100), add(1), add(1))
	if !errors.Is(err, context.Canceled) || got != nil {
		t.Fatalf("Run with a cancelled ctx = %v, %v; want nil, context.Canceled", got, err)
	}
}

func TestDeadlineStopsThePipeline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 5500*time.Millisecond)
		defer cancel()
		slow := func(ctx context.Context, v int) (int, error) {
			select {
			case <-time.After(time.Second):
				return v, nil
			case <-ctx.Done():
				return 0, ctx.Err()
			}
		}
		start := time.Now()
		got, err := Run(ctx, seq(10), slow, add(0))
		if !errors.Is(err, context.DeadlineExceeded) || got != nil {
			t.Fatalf("Run past its deadline = %v, %v; want nil, context.DeadlineExceeded", got, err)
		}
		if elapsed := time.Since(start); elapsed != 5500*time.Millisecond {
			t.Fatalf("Run returned after %v of fake time, want 5.5s (as soon as the deadline passed)", elapsed)
		}
	})
}
