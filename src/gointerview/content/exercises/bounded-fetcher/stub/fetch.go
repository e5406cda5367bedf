// Package fetcher fetches many URLs concurrently, with a bound on the requests in flight and
// a timeout on each request.
package fetcher

import (
	"context"
	"net/http"
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
	panic("TODO: implement Fetch")
}
