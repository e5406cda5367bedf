package retryhttp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests run against a local httptest server that answers from a script. The client's
// Sleep is a fake that records each backoff and returns at once (or fails like a cancelled
// ctx), so no test sleeps for real; TestDefaultSleep (fake_test.go) covers the real timer
// inside a synctest bubble.

// reply is one scripted answer.
type reply struct {
	status     int
	retryAfter string // the Retry-After header, if not empty
}

// seen is one request as the server received it.
type seen struct {
	method, body, key string
}

type server struct {
	srv *httptest.Server
	rec *recordingTransport

	mu      sync.Mutex
	script  []reply
	next    int
	request []seen
}

// newServer serves script in order; once it runs out, every answer is 200.
func newServer(t *testing.T, script ...reply) *server {
	s := &server{script: script}
	s.srv = httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(s.srv.Close)
	s.rec = &recordingTransport{base: s.srv.Client().Transport}
	// Runs before srv.Close: close whatever bodies the client left open, so that a client
	// that forgets one fails on the check, not on goroutines left reading the connection.
	t.Cleanup(s.rec.closeAll)
	return s
}

func (s *server) handle(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.request = append(s.request, seen{r.Method, string(body), r.Header.Get("Idempotency-Key")})
	n := len(s.request)
	rep := reply{status: http.StatusOK}
	if s.next < len(s.script) {
		rep = s.script[s.next]
		s.next++
	}
	s.mu.Unlock()
	if rep.retryAfter != "" {
		w.Header().Set("Retry-After", rep.retryAfter)
	}
	w.WriteHeader(rep.status)
	fmt.Fprintf(w, "answer %d: %d %s", n, rep.status, strings.Repeat(".", 100))
}

func (s *server) requests() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.request)
}

func (s *server) url() string { return s.srv.URL + "/thing" }

// recordingTransport counts round trips and checks that the client closes every response
// body before it sends the next attempt.
type recordingTransport struct {
	base http.RoundTripper

	mu       sync.Mutex
	trips    int
	bodies   []*recordedBody
	unclosed []int // attempts whose body was still open when the next attempt began
}

type recordedBody struct {
	io.ReadCloser
	mu     sync.Mutex
	closed bool
}

func (b *recordedBody) Close() error {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	return b.ReadCloser.Close()
}

func (b *recordedBody) isClosed() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed
}

func (rt *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	rt.trips++
	for i, b := range rt.bodies {
		if !b.isClosed() && !slices.Contains(rt.unclosed, i+1) {
			rt.unclosed = append(rt.unclosed, i+1)
		}
	}
	rt.mu.Unlock()
	resp, err := rt.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	b := &recordedBody{ReadCloser: resp.Body}
	rt.mu.Lock()
	rt.bodies = append(rt.bodies, b)
	rt.mu.Unlock()
	resp.Body = b
	return resp, nil
}

func (rt *recordingTransport) closeAll() {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	for _, b := range rt.bodies {
		b.Close()
	}
}

func (rt *recordingTransport) check(t *testing.T) {
	t.Helper()
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if len(rt.unclosed) > 0 {
		t.Fatalf("the bodies of the responses to attempts %v were still open when the next attempt began (close every response you retry past, or its connection cannot be reused)", rt.unclosed)
	}
}

func (rt *recordingTransport) roundTrips() int {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.trips
}

// fakeSleep records the waits it is asked for and returns at once.
type fakeSleep struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (f *fakeSleep) sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.waits = append(f.waits, d)
	f.mu.Unlock()
	return ctx.Err()
}

func (f *fakeSleep) got() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.waits)
}

// randSeq returns the given numbers in turn and counts the calls.
type randSeq struct {
	vals  []float64
	calls int
}

func (r *randSeq) next() float64 {
	v := r.vals[r.calls%len(r.vals)]
	r.calls++
	return v
}

func newClient(s *server, attempts int, sl *fakeSleep, r *randSeq) *Client {
	return &Client{
		HTTP:        &http.Client{Transport: s.rec},
		MaxAttempts: attempts,
		BaseDelay:   100 * time.Millisecond,
		MaxDelay:    time.Second,
		Rand:        r.next,
		Sleep:       sl.sleep,
	}
}

func get(t *testing.T, c *Client, method, url string, body io.Reader) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	return c.Do(req)
}

func wantStatus(t *testing.T, resp *http.Response, err error, status int, bodyPrefix, when string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: Do returned error %v, want the %d response", when, err, status)
	}
	if resp == nil {
		t.Fatalf("%s: Do returned a nil response and a nil error", when)
	}
	body, rerr := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != status || rerr != nil || !strings.HasPrefix(string(body), bodyPrefix) {
		t.Fatalf("%s: got status %d, body %.40q (read error %v), want status %d with an unread body starting %q (return the last response with its body open)", when, resp.StatusCode, body, rerr, status, bodyPrefix)
	}
}

func wantWaits(t *testing.T, sl *fakeSleep, when string, want ...time.Duration) {
	t.Helper()
	if got := sl.got(); !slices.Equal(got, want) {
		t.Fatalf("%s: Sleep was asked for %v, want %v", when, got, want)
	}
}

func TestRetriesUntilSuccess(t *testing.T) {
	s := newServer(t, reply{status: 503}, reply{status: 502}, reply{status: 504})
	sl, r := &fakeSleep{}, &randSeq{vals: []float64{0.5}}
	resp, err := get(t, newClient(s, 5, sl, r), http.MethodGet, s.url(), nil)
	wantStatus(t, resp, err, 200, "answer 4: 200", "503, 502, 504 then 200, MaxAttempts 5")
	if n := len(s.requests()); n != 4 {
		t.Fatalf("the server got %d requests, want 4", n)
	}
	// Ceilings 100ms, 200ms, 400ms; Rand returns 0.5.
	wantWaits(t, sl, "Rand()=0.5, BaseDelay 100ms", 50*time.Millisecond, 100*time.Millisecond, 200*time.Millisecond)
	s.rec.check(t)
}

func TestBackoffIsJitteredAndCapped(t *testing.T) {
	var script []reply
	for range 6 {
		script = append(script, reply{status: 503})
	}
	s := newServer(t, script...)
	sl, r := &fakeSleep{}, &randSeq{vals: []float64{0.25, 0.5, 0.75, 0, 0.999, 0.5}}
	c := newClient(s, 7, sl, r)
	c.BaseDelay, c.MaxDelay = 100*time.Millisecond, 500*time.Millisecond
	resp, err := get(t, c, http.MethodGet, s.url(), nil)
	wantStatus(t, resp, err, 200, "answer 7: 200", "six 503s then 200, MaxAttempts 7")
	// Ceilings: 100, 200, 400, 500 (capped), 500, 500 ms, each times one Rand() value.
	wantWaits(t, sl, "BaseDelay 100ms, MaxDelay 500ms, Rand() = 0.25, 0.5, 0.75, 0, 0.999, 0.5",
		25*time.Millisecond, 100*time.Millisecond, 300*time.Millisecond, 0, time.Duration(0.999*float64(500*time.Millisecond)), 250*time.Millisecond)
	if r.calls != 6 {
		t.Fatalf("Rand was called %d times for 6 backoffs, want 6 (once per backoff)", r.calls)
	}
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	s := newServer(t, reply{status: 503}, reply{status: 503}, reply{status: 503}, reply{status: 503})
	sl, r := &fakeSleep{}, &randSeq{vals: []float64{0.5}}
	resp, err := get(t, newClient(s, 3, sl, r), http.MethodGet, s.url(), nil)
	wantStatus(t, resp, err, 503, "answer 3: 503", "always 503, MaxAttempts 3")
	if n := len(s.requests()); n != 3 {
		t.Fatalf("the server got %d requests with MaxAttempts 3, want 3", n)
	}
	wantWaits(t, sl, "3 attempts (no wait after the last)", 50*time.Millisecond, 100*time.Millisecond)
	s.rec.check(t)

	s1 := newServer(t, reply{status: 503})
	sl1 := &fakeSleep{}
	resp, err = get(t, newClient(s1, 0, sl1, r), http.MethodGet, s1.url(), nil)
	wantStatus(t, resp, err, 503, "answer 1: 503", "MaxAttempts 0 (means one attempt)")
	wantWaits(t, sl1, "MaxAttempts 0")
}

func TestOtherStatusesAreFinal(t *testing.T) {
	for _, status := range []int{200, 201, 204, 400, 404, 409, 500, 501} {
		s := newServer(t, reply{status: status})
		sl := &fakeSleep{}
		resp, err := get(t, newClient(s, 5, sl, &randSeq{vals: []float64{0.5}}), http.MethodGet, s.url(), nil)
		prefix := fmt.Sprintf("answer 1: %d", status)
		if status == 204 {
			prefix = "" // a 204 has no body
		}
		wantStatus(t, resp, err, status, prefix, fmt.Sprintf("a %d response", status))
		if n := len(s.requests()); n != 1 {
			t.Fatalf("a %d response was retried: the server got %d requests, want 1 (only 429, 502, 503 and 504 are retried)", status, n)
		}
		wantWaits(t, sl, fmt.Sprintf("a %d response", status))
	}
}

func TestRetryAfter(t *testing.T) {
	s := newServer(t, reply{status: 429, retryAfter: "3"}, reply{status: 503}, reply{status: 503, retryAfter: "0"})
	sl, r := &fakeSleep{}, &randSeq{vals: []float64{0.5}}
	c := newClient(s, 5, sl, r)
	c.MaxDelay = 10 * time.Second
	resp, err := get(t, c, http.MethodGet, s.url(), nil)
	wantStatus(t, resp, err, 200, "answer 4: 200", "429 Retry-After 3, 503, 503 Retry-After 0, then 200")
	wantWaits(t, sl, "429 with Retry-After: 3, then 503 without it (second backoff, ceiling 200ms, Rand 0.5), then 503 with Retry-After: 0",
		3*time.Second, 100*time.Millisecond, 0)
	if r.calls != 1 {
		t.Fatalf("Rand was called %d times, want 1 (a Retry-After wait has no jitter)", r.calls)
	}
	s.rec.check(t)

	// An HTTP date is not a number of seconds: back off as usual.
	s2 := newServer(t, reply{status: 503, retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT"})
	sl2 := &fakeSleep{}
	resp, err = get(t, newClient(s2, 5, sl2, &randSeq{vals: []float64{0.5}}), http.MethodGet, s2.url(), nil)
	wantStatus(t, resp, err, 200, "answer 2: 200", "503 with a Retry-After date")
	wantWaits(t, sl2, "503 with a Retry-After date (ignored: back off)", 50*time.Millisecond)
}

func TestRetryAfterLongerThanMaxDelay(t *testing.T) {
	s := newServer(t, reply{status: 429, retryAfter: "120"})
	sl := &fakeSleep{}
	c := newClient(s, 5, sl, &randSeq{vals: []float64{0.5}})
	c.MaxDelay = time.Minute
	resp, err := get(t, c, http.MethodGet, s.url(), nil)
	wantStatus(t, resp, err, 429, "answer 1: 429", "429 with Retry-After 120s and MaxDelay 1m")
	if got := resp.Header.Get("Retry-After"); got != "120" {
		t.Fatalf("the 429 returned has Retry-After %q, want 120", got)
	}
	if n := len(s.requests()); n != 1 {
		t.Fatalf("the server got %d requests, want 1 (a Retry-After longer than MaxDelay means: do not retry, return the response)", n)
	}
	wantWaits(t, sl, "Retry-After longer than MaxDelay")
}

func TestOnlyIdempotentRequestsAreRetried(t *testing.T) {
	for _, method := range []string{http.MethodPost, http.MethodPatch} {
		s := newServer(t, reply{status: 503}, reply{status: 503})
		sl := &fakeSleep{}
		resp, err := get(t, newClient(s, 5, sl, &randSeq{vals: []float64{0.5}}), method, s.url(), strings.NewReader("payload"))
		wantStatus(t, resp, err, 503, "answer 1: 503", method+" without an Idempotency-Key")
		if n := len(s.requests()); n != 1 {
			t.Fatalf("a %s without an Idempotency-Key was sent %d times, want once (it is not idempotent)", method, n)
		}
	}

	// PUT, DELETE, and a POST with an Idempotency-Key are retried, and every attempt carries
	// the same body.
	for _, method := range []string{http.MethodPut, http.MethodDelete, http.MethodPost} {
		s := newServer(t, reply{status: 503}, reply{status: 502})
		sl := &fakeSleep{}
		req, err := http.NewRequestWithContext(t.Context(), method, s.url(), bytes.NewReader([]byte("payload-"+method)))
		if err != nil {
			t.Fatal(err)
		}
		if method == http.MethodPost {
			req.Header.Set("Idempotency-Key", "k-42")
		}
		resp, err := newClient(s, 5, sl, &randSeq{vals: []float64{0.5}}).Do(req)
		wantStatus(t, resp, err, 200, "answer 3: 200", method+" answered 503, 502, 200")
		for i, r := range s.requests() {
			if r.method != method || r.body != "payload-"+method {
				t.Fatalf("%s attempt %d reached the server as %s with body %q, want %s with body %q (rebuild the body with req.GetBody for every retry)", method, i+1, r.method, r.body, method, "payload-"+method)
			}
			if method == http.MethodPost && r.key != "k-42" {
				t.Fatalf("POST attempt %d carried Idempotency-Key %q, want k-42", i+1, r.key)
			}
		}
		if n := len(s.requests()); n != 3 {
			t.Fatalf("%s answered 503, 502, 200 reached the server %d times, want 3", method, n)
		}
		s.rec.check(t)
	}

	// A body that cannot be rewound (no GetBody) is sent once, even with PUT.
	s := newServer(t, reply{status: 503})
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, s.url(), io.NopCloser(strings.NewReader("once")))
	if err != nil {
		t.Fatal(err)
	}
	if req.GetBody != nil {
		t.Fatal("test bug: the request should have no GetBody")
	}
	resp, err := newClient(s, 5, &fakeSleep{}, &randSeq{vals: []float64{0.5}}).Do(req)
	wantStatus(t, resp, err, 503, "answer 1: 503", "a PUT whose body cannot be rewound")
	if n := len(s.requests()); n != 1 {
		t.Fatalf("a PUT with a body that cannot be rewound (GetBody nil) was sent %d times, want once", n)
	}
}

func TestContextEndsTheBackoff(t *testing.T) {
	s := newServer(t, reply{status: 503}, reply{status: 503})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var waits int
	c := newClient(s, 5, &fakeSleep{}, &randSeq{vals: []float64{0.5}})
	c.Sleep = func(sctx context.Context, d time.Duration) error {
		waits++
		cancel() // the caller gives up while we back off; sctx must be (derived from) ctx
		return sctx.Err()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url(), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if resp != nil {
		resp.Body.Close()
		t.Fatalf("Do returned a %d response after its ctx was cancelled during the backoff, want a nil response and an error", resp.StatusCode)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Do after its ctx was cancelled during the backoff = %v, want an error wrapping context.Canceled", err)
	}
	if waits != 1 {
		t.Fatalf("Sleep was called %d times, want 1", waits)
	}
	if n := s.rec.roundTrips(); n != 1 {
		t.Fatalf("the transport saw %d attempts, want 1 (stop as soon as Sleep reports the ctx done)", n)
	}
	s.rec.check(t)
	s.rec.mu.Lock()
	closed := len(s.rec.bodies) == 1 && s.rec.bodies[0].isClosed()
	s.rec.mu.Unlock()
	if !closed {
		t.Fatalf("the 503 response's body was left open when Do gave up")
	}
}

func TestConcurrentUse(t *testing.T) {
	// Each path fails once with 503 and then succeeds; Rand is nil, so Do must use a random
	// source that is safe for concurrent use.
	var mu sync.Mutex
	failed := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		first := !failed[r.URL.Path]
		failed[r.URL.Path] = true
		mu.Unlock()
		if first {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		fmt.Fprint(w, r.URL.Path)
	}))
	defer srv.Close()
	sl := &fakeSleep{}
	c := &Client{HTTP: srv.Client(), MaxAttempts: 3, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second, Sleep: sl.sleep}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			path := fmt.Sprintf("/p%d", i)
			resp, err := get(t, c, http.MethodGet, srv.URL+path, nil)
			if err != nil {
				t.Errorf("GET %s = %v", path, err)
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || string(body) != path {
				t.Errorf("GET %s = %d %q, want 200 %q", path, resp.StatusCode, body, path)
			}
		})
	}
	wg.Wait()
	waits := sl.got()
	if len(waits) != 8 {
		t.Fatalf("8 requests that each failed once caused %d backoffs, want 8", len(waits))
	}
	for _, d := range waits {
		if d < 0 || d >= 100*time.Millisecond {
			t.Fatalf("a first backoff with BaseDelay 100ms and the default Rand was %v, want within [0, 100ms)", d)
		}
	}
}
