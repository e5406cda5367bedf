package errgroup

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"testing/synctest"
)

var (
	errBoom   = errors.New("boom")
	errFirst  = errors.New("first")
	errSecond = errors.New("second")
)

func TestZeroGroupWaitsForAll(t *testing.T) {
	var g Group
	var ran atomic.Int64
	for range 20 {
		g.Go(func() error {
			runtime.Gosched()
			ran.Add(1)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatalf("Wait() = %v, want nil when every function returns nil", err)
	}
	if got := ran.Load(); got != 20 {
		t.Fatalf("Wait returned after %d of 20 functions finished, want all 20", got)
	}
}

func TestWaitReturnsTheError(t *testing.T) {
	var g Group
	var ran atomic.Int64
	for i := range 10 {
		g.Go(func() error {
			ran.Add(1)
			if i == 7 {
				return errBoom
			}
			return nil
		})
	}
	if err := g.Wait(); !errors.Is(err, errBoom) {
		t.Fatalf("Wait() = %v, want %v", err, errBoom)
	}
	if got := ran.Load(); got != 10 {
		t.Fatalf("Wait returned after %d of 10 functions finished, want all 10 (an error must not stop Wait from waiting)", got)
	}
}

func TestSetLimitBoundsConcurrency(t *testing.T) {
	var g Group
	g.SetLimit(3)
	var active, peak, ran atomic.Int64
	for range 30 {
		g.Go(func() error {
			n := active.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			for range 10 {
				runtime.Gosched()
			}
			active.Add(-1)
			ran.Add(1)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatalf("Wait() = %v, want nil", err)
	}
	if got := ran.Load(); got != 30 {
		t.Fatalf("%d of 30 functions ran, want all of them", got)
	}
	if p := peak.Load(); p > 3 {
		t.Fatalf("%d functions ran at once with SetLimit(3), want at most 3", p)
	}
}

func TestFirstErrorCancelsContext(t *testing.T) {
	g, ctx := WithContext(context.Background())
	g.Go(func() error {
		<-ctx.Done() // returns only once the group's ctx is cancelled
		return nil
	})
	g.Go(func() error { return errBoom })
	if err := g.Wait(); !errors.Is(err, errBoom) {
		t.Fatalf("Wait() = %v, want %v", err, errBoom)
	}
	if ctx.Err() == nil {
		t.Fatal("the group's ctx is not cancelled after a function failed")
	}
}

func TestWaitReturnsFirstError(t *testing.T) {
	g, ctx := WithContext(context.Background())
	g.Go(func() error {
		<-ctx.Done() // cancelled by the first error, so this error comes second
		return errSecond
	})
	g.Go(func() error { return errFirst })
	if err := g.Wait(); !errors.Is(err, errFirst) {
		t.Fatalf("Wait() = %v, want the first error %v (%v came after it)", err, errFirst, errSecond)
	}
}

func TestConcurrentErrors(t *testing.T) {
	g, ctx := WithContext(context.Background())
	gate := make(chan struct{})
	errs := make([]error, 8)
	for i := range errs {
		errs[i] = fmt.Errorf("worker %d failed", i)
		g.Go(func() error {
			<-gate // all fail at the same moment
			return errs[i]
		})
	}
	close(gate)
	err := g.Wait()
	found := false
	for _, e := range errs {
		found = found || errors.Is(err, e)
	}
	if !found {
		t.Fatalf("Wait() = %v, want one of the errors the functions returned", err)
	}
	if ctx.Err() == nil {
		t.Fatal("the group's ctx is not cancelled after the functions failed")
	}
}

func TestWaitCancelsContext(t *testing.T) {
	g, ctx := WithContext(context.Background())
	var early atomic.Value
	g.Go(func() error {
		early.Store(fmt.Sprint(ctx.Err()))
		return nil
	})
	if err := g.Wait(); err != nil {
		t.Fatalf("Wait() = %v, want nil", err)
	}
	if e := early.Load(); e != "<nil>" {
		t.Fatalf("the group's ctx was already done (%v) while no function had failed", e)
	}
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Fatalf("after Wait returned, ctx.Err() = %v, want context.Canceled", ctx.Err())
	}
}

func TestParentCancelPropagates(t *testing.T) {
	parent, cancel := context.WithCancel(context.Background())
	g, ctx := WithContext(parent)
	g.Go(func() error {
		<-ctx.Done()
		return ctx.Err()
	})
	cancel()
	if err := g.Wait(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait() = %v after the parent ctx was cancelled, want context.Canceled", err)
	}
}

func TestGoBlocksAtLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g, _ := WithContext(context.Background())
		g.SetLimit(2)
		gate := make(chan struct{})
		for range 2 {
			g.Go(func() error { <-gate; return nil })
		}
		var thirdRan atomic.Bool
		thirdStarted := make(chan struct{})
		go func() {
			g.Go(func() error { thirdRan.Store(true); return nil })
			close(thirdStarted)
		}()
		synctest.Wait()
		select {
		case <-thirdStarted:
			t.Fatal("Go returned while 2 goroutines were active under SetLimit(2); it must block until one returns")
		default:
		}
		if thirdRan.Load() {
			t.Fatal("a third function ran while 2 were active under SetLimit(2)")
		}
		close(gate) // the first two return, freeing their slots
		<-thirdStarted
		if err := g.Wait(); err != nil {
			t.Fatalf("Wait() = %v, want nil", err)
		}
		if !thirdRan.Load() {
			t.Fatal("the third function never ran")
		}
	})
}

func TestNegativeLimitRemovesTheLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var g Group
		g.SetLimit(1)
		g.SetLimit(-1)
		gate := make(chan struct{})
		var running atomic.Int64
		returned := make(chan struct{})
		go func() {
			for range 5 {
				g.Go(func() error { running.Add(1); <-gate; return nil })
			}
			close(returned)
		}()
		synctest.Wait()
		if n := running.Load(); n != 5 {
			t.Errorf("%d of 5 functions running after SetLimit(-1), want all 5 (no limit)", n)
		}
		close(gate)
		<-returned
		if err := g.Wait(); err != nil {
			t.Fatalf("Wait() = %v, want nil", err)
		}
	})
}
