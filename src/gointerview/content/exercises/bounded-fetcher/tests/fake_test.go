package fetcher

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// These tests run inside synctest bubbles with fakeNet, an in-memory http.RoundTripper, so
// that time is fake (a 1s timeout fires at exactly 1s) and synctest.Wait can tell when every
// request that is going to start has started.

// fakeNet answers requests by path:
//
//	/bytes/N       200 with a body of N bytes
//	/status/C      status C with a body of 9 bytes ("status CC")
//	/sleep/D       after D, 200 "slept"; or the request's ctx error if it ends first
//	/slow-body/D   200 at once, but the body takes D to arrive (ctx error if it ends first)
//	/gate/N        waits until the test releases it, then 200 with N bytes; or the ctx error
type fakeNet struct {
	next       chan struct{} // each send releases one waiting /gate request
	releaseAll chan struct{} // closing it releases every /gate request
	releaseOne sync.Once

	mu        sync.Mutex
	active    int // RoundTrip calls in progress
	maxActive int
	started   int // RoundTrip calls made
	bodies    int // bodies handed out
	closed    int // bodies closed
}

func newFakeNet(t *testing.T) *fakeNet {
	f := &fakeNet{next: make(chan struct{}), releaseAll: make(chan struct{})}
	t.Cleanup(f.openAll)
	return f
}

func (f *fakeNet) client() *http.Client { return &http.Client{Transport: f} }

func (f *fakeNet) openAll() { f.releaseOne.Do(func() { close(f.releaseAll) }) }

func (f *fakeNet) stats() (active, maxActive, started int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.active, f.maxActive, f.started
}

func (f *fakeNet) RoundTrip(req *http.Request) (*http.Response, error) {
	f.mu.Lock()
	f.started++
	f.active++
	f.maxActive = max(f.maxActive, f.active)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.active--
		f.mu.Unlock()
	}()

	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	kind, arg, _ := strings.Cut(strings.TrimPrefix(req.URL.Path, "/"), "/")
	switch kind {
	case "bytes":
		n, _ := strconv.Atoi(arg)
		return f.respond(req, http.StatusOK, strings.Repeat("x", n), 0), nil
	case "status":
		c, _ := strconv.Atoi(arg)
		return f.respond(req, c, fmt.Sprintf("status %d", c), 0), nil
	case "sleep":
		d, _ := time.ParseDuration(arg)
		timer := time.NewTimer(d)
		defer timer.Stop()
		select {
		case <-timer.C:
			return f.respond(req, http.StatusOK, "slept", 0), nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	case "slow-body":
		d, _ := time.ParseDuration(arg)
		return f.respond(req, http.StatusOK, "finally", d), nil
	case "gate":
		n, _ := strconv.Atoi(arg)
		select {
		case <-f.next:
		case <-f.releaseAll:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return f.respond(req, http.StatusOK, strings.Repeat("g", n), 0), nil
	}
	return nil, fmt.Errorf("fakeNet: unknown path %q", req.URL.Path)
}

func (f *fakeNet) respond(req *http.Request, status int, body string, delay time.Duration) *http.Response {
	f.mu.Lock()
	f.bodies++
	f.mu.Unlock()
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", status, http.StatusText(status)),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{},
		ContentLength: int64(len(body)),
		Body:          &fakeBody{f: f, ctx: req.Context(), r: strings.NewReader(body), delay: delay},
		Request:       req,
	}
}

// fakeBody delivers its data after delay, or fails with the ctx error if the request's ctx
// ends first (as a real transport's body does).
type fakeBody struct {
	f      *fakeNet
	ctx    context.Context
	r      io.Reader
	delay  time.Duration
	once   sync.Once
	closed bool
}

func (b *fakeBody) Read(p []byte) (int, error) {
	if b.delay > 0 {
		timer := time.NewTimer(b.delay)
		defer timer.Stop()
		select {
		case <-timer.C:
			b.delay = 0
		case <-b.ctx.Done():
			return 0, b.ctx.Err()
		}
	}
	if err := b.ctx.Err(); err != nil {
		return 0, err
	}
	return b.r.Read(p)
}

func (b *fakeBody) Close() error {
	b.once.Do(func() {
		b.f.mu.Lock()
		b.f.closed++
		b.f.mu.Unlock()
	})
	return nil
}

// checkBodiesClosed fails the test unless every body fakeNet handed out was closed.
func (f *fakeNet) checkBodiesClosed(t *testing.T) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed != f.bodies {
		t.Errorf("%d of %d response bodies were closed when Fetch returned; every body must be closed", f.closed, f.bodies)
	}
}

func urlsFor(paths ...string) []string {
	urls := make([]string, len(paths))
	for i, p := range paths {
		urls[i] = "http://fake.test" + p
	}
	return urls
}

func checkOK(t *testing.T, r Result, url string, bytes int64) {
	t.Helper()
	if r.URL != url || r.Status != http.StatusOK || r.Bytes != bytes || r.Err != nil {
		t.Errorf("result for %s = %+v; want URL %s, Status 200, Bytes %d, Err nil", url, r, url, bytes)
	}
}

func TestAtMostLimitInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeNet(t)
		const n, limit = 10, 3
		var paths []string
		for i := range n {
			paths = append(paths, fmt.Sprintf("/gate/%d", i+1))
		}
		urls := urlsFor(paths...)
		done := make(chan []Result, 1)
		go func() { done <- Fetch(context.Background(), f.client(), urls, limit, time.Minute) }()

		// Let the requests through one at a time. Each time everything has settled, exactly
		// min(limit, remaining) requests must be waiting: no more (the bound), no fewer (the
		// requests must run concurrently, and a finished one must be replaced at once).
		for finished := 0; finished < n; finished++ {
			synctest.Wait()
			active, _, _ := f.stats()
			if want := min(limit, n-finished); active != want {
				t.Errorf("with %d URLs, limit %d and %d requests finished, %d requests were in flight, want %d",
					n, limit, finished, active, want)
				f.openAll()
				break
			}
			f.next <- struct{}{}
		}
		results := <-done
		if t.Failed() {
			return
		}
		if len(results) != n {
			t.Fatalf("Fetch returned %d results for %d URLs", len(results), n)
		}
		for i, r := range results {
			checkOK(t, r, urls[i], int64(i+1))
		}
		f.checkBodiesClosed(t)
	})
}

func TestPerRequestTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeNet(t)
		urls := urlsFor("/sleep/500ms", "/sleep/3s", "/bytes/10", "/slow-body/5s", "/status/503")
		start := time.Now()
		results := Fetch(context.Background(), f.client(), urls, 5, time.Second)
		took := time.Since(start)
		if len(results) != len(urls) {
			t.Fatalf("Fetch returned %d results for %d URLs", len(results), len(urls))
		}

		checkOK(t, results[0], urls[0], int64(len("slept")))
		if r := results[1]; r.URL != urls[1] || r.Status != 0 || !errors.Is(r.Err, context.DeadlineExceeded) {
			t.Errorf("result for %s with a 1s timeout = %+v; want Status 0 and an Err wrapping context.DeadlineExceeded", urls[1], r)
		}
		checkOK(t, results[2], urls[2], 10)
		if r := results[3]; r.URL != urls[3] || r.Status != http.StatusOK || !errors.Is(r.Err, context.DeadlineExceeded) {
			t.Errorf("result for %s (headers at once, body after 5s) with a 1s timeout = %+v; want Status 200 and an Err wrapping "+
				"context.DeadlineExceeded (the timeout covers reading the body: cancel the request's context only after the body is read)", urls[3], r)
		}
		if r := results[4]; r.URL != urls[4] || r.Status != 503 || r.Bytes != 10 || r.Err != nil {
			t.Errorf("result for %s = %+v; want Status 503, Bytes 10, Err nil (a non-2xx status is not an error)", urls[4], r)
		}
		if took != time.Second {
			t.Errorf("Fetch with a 1s per-request timeout returned after %v, want exactly 1s (when the slow requests time out)", took)
		}
		f.checkBodiesClosed(t)
	})
}

func TestTimeoutIsPerRequest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeNet(t)
		urls := urlsFor("/sleep/800ms", "/sleep/800ms", "/sleep/800ms", "/sleep/800ms")
		start := time.Now()
		results := Fetch(context.Background(), f.client(), urls, 2, time.Second)
		took := time.Since(start)
		for i, r := range results {
			checkOK(t, r, urls[i], int64(len("slept")))
		}
		if len(results) != len(urls) {
			t.Fatalf("Fetch returned %d results for %d URLs", len(results), len(urls))
		}
		if took != 1600*time.Millisecond {
			t.Errorf("4 requests of 800ms each with limit 2 took %v, want exactly 1.6s (two waves of two)", took)
		}
		f.checkBodiesClosed(t)
	})
}

func TestCancelStopsNewRequests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeNet(t)
		urls := urlsFor("/gate/1", "/gate/2", "/gate/3", "/gate/4", "/gate/5", "/gate/6")
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan []Result, 1)
		go func() { done <- Fetch(ctx, f.client(), urls, 2, time.Minute) }()
		synctest.Wait()
		if active, _, _ := f.stats(); active != 2 {
			t.Errorf("with limit 2 and 6 waiting URLs, %d requests were in flight, want 2", active)
		}
		start := time.Now()
		cancel()
		results := <-done
		if d := time.Since(start); d != 0 {
			t.Errorf("Fetch returned %v after ctx was cancelled, want at once", d)
		}
		if _, _, started := f.stats(); started != 2 {
			t.Errorf("%d requests were sent in all, want 2: once ctx is cancelled no new request may start", started)
		}
		if len(results) != len(urls) {
			t.Fatalf("Fetch returned %d results for %d URLs", len(results), len(urls))
		}
		for i, r := range results {
			if r.URL != urls[i] || !errors.Is(r.Err, context.Canceled) {
				t.Errorf("result %d after cancel = %+v; want URL %s and an Err wrapping context.Canceled", i, r, urls[i])
			}
		}
		f.checkBodiesClosed(t)
	})
}

func TestResultsFromConcurrentRequests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeNet(t)
		const n = 8
		var paths []string
		for i := range n {
			paths = append(paths, fmt.Sprintf("/gate/%d", 10*(i+1)))
		}
		urls := urlsFor(paths...)
		done := make(chan []Result, 1)
		go func() { done <- Fetch(context.Background(), f.client(), urls, n, time.Minute) }()
		synctest.Wait()
		if active, _, _ := f.stats(); active != n {
			t.Errorf("with limit %d and %d URLs, %d requests were in flight, want %d", n, n, active, n)
		}
		f.openAll() // all of them finish at the same moment
		results := <-done
		if len(results) != n {
			t.Fatalf("Fetch returned %d results for %d URLs", len(results), n)
		}
		for i, r := range results {
			checkOK(t, r, urls[i], int64(10*(i+1)))
		}
		f.checkBodiesClosed(t)
	})
}

func TestBadURLAndNoURLs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeNet(t)
		urls := []string{"http://fake.test/bytes/3", "http://[::1", "http://fake.test/nowhere"}
		results := Fetch(context.Background(), f.client(), urls, 2, time.Second)
		if len(results) != 3 {
			t.Fatalf("Fetch returned %d results for 3 URLs", len(results))
		}
		checkOK(t, results[0], urls[0], 3)
		for _, i := range []int{1, 2} {
			if r := results[i]; r.URL != urls[i] || r.Status != 0 || r.Err == nil {
				t.Errorf("result for %q = %+v; want Status 0 and an error", urls[i], r)
			}
		}
		if got := Fetch(context.Background(), f.client(), nil, 2, time.Second); len(got) != 0 {
			t.Errorf("Fetch with no URLs returned %d results", len(got))
		}
		f.checkBodiesClosed(t)
	})
}

func TestInvalidLimitPanics(t *testing.T) {
	for _, limit := range []int{0, -1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Fetch with limit %d should panic", limit)
				}
			}()
			Fetch(context.Background(), http.DefaultClient, nil, limit, time.Second)
		}()
	}
}
