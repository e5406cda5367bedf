// Package retryhttp implements an HTTP client that retries idempotent requests with
// exponential backoff and full jitter, and respects a server's rate limits.
package retryhttp

import (
	"context"
	"net/http"
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

// Do sends req and retries it as the exercise describes. The response returned, if any, has
// its body open for the caller to read and close.
func (c *Client) Do(req *http.Request) (*http.Response, error) {
	panic("TODO: implement Do")
}
