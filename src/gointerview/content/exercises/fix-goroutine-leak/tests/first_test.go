package leakfix

import (
	"context"
	"errors"
	"sync"
	"testing"

	"go.uber.org/goleak"
)

// These tests run outside synctest bubbles so that a leaked goroutine is reported by goleak
// ("found unexpected goroutines") rather than as a bubble deadlock. They never sleep: the
// backends are driven by channels.

func TestFirstResponseNoBackends(t *testing.T) {
	if _, err := FirstResponse(context.Background()); !errors.Is(err, ErrNoBackends) {
		t.Fatalf("FirstResponse with no backends: err = %v, want ErrNoBackends", err)
	}
}

func TestFirstResponseCancelsTheOthers(t *testing.T) {
	ignoreEarlier := goleak.IgnoreCurrent() // judge only the goroutines this test starts
	// Two backends that honour ctx and only return once it is cancelled, and one that
	// answers at once.
	waitForCancel := func(ctx context.Context) (string, error) {
		<-ctx.Done()
		return "", ctx.Err()
	}
	fast := func(ctx context.Context) (string, error) { return "fast", nil }
	v, err := FirstResponse(context.Background(), waitForCancel, fast, waitForCancel)
	if v != "fast" || err != nil {
		t.Fatalf("FirstResponse = %q, %v; want \"fast\", <nil>", v, err)
	}
	// The slow backends' context must be cancelled so they stop; then nothing may be left.
	verifyNoLeak(t, ignoreEarlier)
}

func TestFirstResponseSlowLosersDoNotLeak(t *testing.T) {
	ignoreEarlier := goleak.IgnoreCurrent() // judge only the goroutines this test starts
	// The losers ignore ctx (a slow legacy client) and answer only when the test lets them,
	// long after FirstResponse has returned.
	const losers = 3
	release := make(chan struct{})
	var entered sync.WaitGroup
	entered.Add(losers)
	ctxs := make(chan context.Context, losers)
	slow := func(ctx context.Context) (string, error) {
		ctxs <- ctx
		entered.Done()
		<-release
		return "late", nil
	}
	fast := func(ctx context.Context) (string, error) {
		entered.Wait() // every loser has been called
		return "fast", nil
	}
	v, err := FirstResponse(context.Background(), slow, slow, fast, slow)
	if v != "fast" || err != nil {
		t.Errorf("FirstResponse = %q, %v; want \"fast\", <nil>", v, err)
	}
	for range losers {
		if ctx := <-ctxs; ctx.Err() == nil {
			t.Errorf("when FirstResponse returned, a losing backend's context was not cancelled; want it cancelled so the backend can stop")
			break
		}
	}
	// The losers answer now, and nobody is reading: their goroutines must still exit.
	close(release)
	verifyNoLeak(t, ignoreEarlier)
}

func TestFirstResponseSkipsErrors(t *testing.T) {
	ignoreEarlier := goleak.IgnoreCurrent() // judge only the goroutines this test starts
	failed := make(chan struct{})
	broken := func(ctx context.Context) (string, error) {
		defer close(failed)
		return "", errors.New("broken")
	}
	good := func(ctx context.Context) (string, error) {
		<-failed // answer only after the broken backend has failed
		return "good", nil
	}
	v, err := FirstResponse(context.Background(), broken, good)
	if v != "good" || err != nil {
		t.Fatalf("FirstResponse = %q, %v; want \"good\", <nil> (an error is not an answer: wait for the next backend)", v, err)
	}
	verifyNoLeak(t, ignoreEarlier)
}

func TestFirstResponseAllFail(t *testing.T) {
	ignoreEarlier := goleak.IgnoreCurrent() // judge only the goroutines this test starts
	e1, e2, e3 := errors.New("e1"), errors.New("e2"), errors.New("e3")
	fail := func(e error) Backend {
		return func(ctx context.Context) (string, error) { return "", e }
	}
	v, err := FirstResponse(context.Background(), fail(e1), fail(e2), fail(e3))
	if v != "" || err == nil {
		t.Fatalf("FirstResponse with every backend failing = %q, %v; want \"\" and an error", v, err)
	}
	for _, e := range []error{e1, e2, e3} {
		if !errors.Is(err, e) {
			t.Errorf("FirstResponse error %q does not wrap %v; want errors.Join of every backend's error", err, e)
		}
	}
	verifyNoLeak(t, ignoreEarlier)
}

func TestFirstResponseCallerGivesUp(t *testing.T) {
	ignoreEarlier := goleak.IgnoreCurrent() // judge only the goroutines this test starts
	// Every backend is stuck and ignores ctx; the caller's context is cancelled (as a
	// timeout would), so FirstResponse must return at once and the backends must not leak
	// once they do answer.
	const n = 3
	release := make(chan struct{})
	var entered sync.WaitGroup
	entered.Add(n)
	stuck := func(ctx context.Context) (string, error) {
		entered.Done()
		<-release
		return "too late", nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	type answer struct {
		v   string
		err error
	}
	done := make(chan answer, 1)
	go func() {
		v, err := FirstResponse(ctx, stuck, stuck, stuck)
		done <- answer{v, err}
	}()
	entered.Wait()
	cancel()
	a := <-done // returns without the backends' help, or the test hangs here
	if a.v != "" || !errors.Is(a.err, context.Canceled) {
		t.Errorf("FirstResponse after the caller's ctx was cancelled = %q, %v; want \"\", context.Canceled", a.v, a.err)
	}
	close(release)
	verifyNoLeak(t, ignoreEarlier)
}
