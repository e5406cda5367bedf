// Package retryhttp implements an HTTP client that retries idempotent requests with
// exponential backoff and full jitter, and respects a server's rate limits.
package retryhttp

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// Client retries requests that are safe to repeat when the response or error says that
// trying again later may work.
type Client struct {
	HTTP        *http.Client  // nil means http.DefaultClient
	MaxAttempts int           // attempts in all, the first included; < 1 means 1
	BaseDelay   time.Duration // ceiling of the first backoff
	MaxDelay    time.Duration // cap on every backoff ceiling, and the longest Retry-After honoured
	// Rand returns a number in [0, 1); nil means math/rand/v2's Float64.
	Rand func() float64
	// Sleep waits d or until ctx is done, returning ctx.Err() then; nil means a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// retryableStatus are the statuses that say "try again later".
var retryableStatus = map[int]bool{
	http.StatusTooManyRequests:    true,
	http.StatusBadGateway:         true,
	http.StatusServiceUnavailable: true,
	http.StatusGatewayTimeout:     true,
}

// maxDrain bounds how much of a response we are discarding we read to let the connection
// be reused; past it, closing the body closes the connection, which is cheaper.
const maxDrain = 64 << 10

// Do sends req and retries it, while attempts remain, when the request is safe to repeat
// and the answer was a transport error or a 429, 502, 503 or 504. Between attempts it closes
// the response it is discarding and waits for the server's Retry-After (whole seconds, at
// most MaxDelay) or a backoff with full jitter; it stops when req's context is done. The
// response returned, if any, has its body open for the caller to read and close.
func (c *Client) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	attempts := max(c.MaxAttempts, 1)
	if !replayable(req) {
		attempts = 1
	}
	for attempt := 1; ; attempt++ {
		r := req
		if attempt > 1 {
			var err error
			if r, err = rewind(req); err != nil {
				return nil, err
			}
		}
		resp, err := c.httpClient().Do(r)
		if err != nil && ctx.Err() != nil {
			return nil, err // the caller gave up; this is not the server's fault
		}
		if attempt == attempts || !retryable(resp, err) {
			return resp, err
		}
		delay, ok := c.delay(resp, attempt)
		if !ok {
			return resp, nil // the server asks for a longer pause than we wait: its answer stands
		}
		if resp != nil {
			// Drain a little so the connection can be reused, and always close.
			_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
			resp.Body.Close()
		}
		if err := c.sleep(ctx, delay); err != nil {
			return nil, fmt.Errorf("retryhttp: %s %s: gave up after %d attempts: %w", req.Method, req.URL, attempt, err)
		}
	}
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return http.DefaultClient
}

// replayable reports whether req may be sent more than once: its method is idempotent (or
// it carries an Idempotency-Key) and its body, if any, can be produced again.
func replayable(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace, http.MethodPut, http.MethodDelete:
	default:
		if req.Header.Get("Idempotency-Key") == "" {
			return false
		}
	}
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// rewind returns a copy of req with a fresh body for another attempt.
func rewind(req *http.Request) (*http.Request, error) {
	r := req.Clone(req.Context())
	if req.Body != nil && req.Body != http.NoBody {
		body, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("retryhttp: rewinding the request body: %w", err)
		}
		r.Body = body
	}
	return r, nil
}

func retryable(resp *http.Response, err error) bool {
	return err != nil || retryableStatus[resp.StatusCode]
}

// delay is how long to wait before attempt+1. ok is false if the server's Retry-After asks
// for longer than MaxDelay.
func (c *Client) delay(resp *http.Response, attempt int) (d time.Duration, ok bool) {
	if resp != nil {
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 {
			if int64(s) > int64(c.MaxDelay/time.Second) {
				return 0, false
			}
			return time.Duration(s) * time.Second, true
		}
	}
	// Full jitter over a ceiling that doubles per retry, capped at MaxDelay; the shift is
	// bounded so the ceiling cannot overflow.
	ceiling := c.MaxDelay
	if shift := attempt - 1; shift < 62 && c.BaseDelay <= c.MaxDelay>>shift {
		ceiling = c.BaseDelay << shift
	}
	r := rand.Float64
	if c.Rand != nil {
		r = c.Rand
	}
	return time.Duration(r() * float64(ceiling)), true
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
