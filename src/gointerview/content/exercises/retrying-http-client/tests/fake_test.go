package retryhttp

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// The default Sleep (Client.Sleep nil) is tested inside synctest bubbles with an in-memory
// transport, so its timer runs on the bubble's fake clock: a 2s Retry-After takes exactly 2s
// and nothing waits for real.

// scripted answers every request with the next status of its script (200 once it runs out),
// each with Retry-After: retryAfter if that is not empty.
type scripted struct {
	mu         sync.Mutex
	statuses   []int
	retryAfter string
	trips      int
}

func (s *scripted) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.trips++
	status := http.StatusOK
	if len(s.statuses) > 0 {
		status, s.statuses = s.statuses[0], s.statuses[1:]
	}
	s.mu.Unlock()
	h := http.Header{}
	if s.retryAfter != "" && status != http.StatusOK {
		h.Set("Retry-After", s.retryAfter)
	}
	return &http.Response{
		StatusCode: status,
		Header:     h,
		Body:       io.NopCloser(strings.NewReader(http.StatusText(status))),
		Request:    req,
	}, nil
}

func TestDefaultSleepWaitsForRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tr := &scripted{statuses: []int{503, 429}, retryAfter: "2"}
		c := &Client{HTTP: &http.Client{Transport: tr}, MaxAttempts: 4, BaseDelay: time.Second, MaxDelay: time.Minute}
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://fake.test/x", nil)
		start := time.Now()
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("Do = %v, want the 200 after 503 and 429", err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("Do returned status %d, want 200", resp.StatusCode)
		}
		if d := time.Since(start); d != 4*time.Second {
			t.Fatalf("two Retry-After: 2 answers then 200 took %v with the default Sleep, want exactly 4s", d)
		}
	})
}

func TestDefaultSleepHonoursContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tr := &scripted{statuses: []int{503, 503, 503}, retryAfter: "10"}
		c := &Client{HTTP: &http.Client{Transport: tr}, MaxAttempts: 3, BaseDelay: time.Second, MaxDelay: time.Minute}
		ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://fake.test/x", nil)
		start := time.Now()
		resp, err := c.Do(req)
		if resp != nil {
			resp.Body.Close()
			t.Fatalf("Do returned a %d response, want an error: the ctx's 3s deadline passes during the 10s Retry-After wait", resp.StatusCode)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Do = %v, want an error wrapping context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d != 3*time.Second {
			t.Fatalf("Do with a 3s deadline during a 10s Retry-After wait returned after %v, want exactly 3s (the wait must end when ctx does)", d)
		}
		if tr.trips != 1 {
			t.Fatalf("the transport saw %d attempts, want 1", tr.trips)
		}
	})
}

func TestDefaultSleepBacksOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tr := &scripted{statuses: []int{502, 502, 502}}
		c := &Client{HTTP: &http.Client{Transport: tr}, MaxAttempts: 4, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second,
			Rand: func() float64 { return 0.5 }}
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://fake.test/x", nil)
		start := time.Now()
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("Do = %v, want the 200 after three 502s", err)
		}
		resp.Body.Close()
		if d := time.Since(start); d != 350*time.Millisecond {
			t.Fatalf("three 502s then 200 with BaseDelay 100ms and Rand()=0.5 took %v with the default Sleep, want 50+100+200ms = 350ms", d)
		}
	})
}

// failing fails the first n round trips with a transport error, then delegates.
type failing struct {
	n    int
	base http.RoundTripper
	mu   sync.Mutex
}

var errConnReset = errors.New("connection reset by fake peer")

func (f *failing) RoundTrip(req *http.Request) (*http.Response, error) {
	f.mu.Lock()
	fail := f.n > 0
	f.n--
	f.mu.Unlock()
	if fail {
		return nil, errConnReset
	}
	return f.base.RoundTrip(req)
}

func TestTransportErrorsAreRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tr := &scripted{}
		c := &Client{HTTP: &http.Client{Transport: &failing{n: 2, base: tr}}, MaxAttempts: 3, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second,
			Rand: func() float64 { return 1 - 1e-9 }}
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://fake.test/x", nil)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("two transport errors then 200, MaxAttempts 3: Do = %v, want the 200", err)
		}
		resp.Body.Close()

		// Out of attempts: the last transport error is returned.
		c.HTTP = &http.Client{Transport: &failing{n: 5, base: tr}}
		req, _ = http.NewRequestWithContext(t.Context(), http.MethodGet, "http://fake.test/x", nil)
		resp, err = c.Do(req)
		if resp != nil {
			resp.Body.Close()
		}
		if !errors.Is(err, errConnReset) || resp != nil {
			t.Fatalf("only transport errors, MaxAttempts 3: Do = (%v, %v), want a nil response and an error wrapping the last transport error", resp, err)
		}
	})
}
