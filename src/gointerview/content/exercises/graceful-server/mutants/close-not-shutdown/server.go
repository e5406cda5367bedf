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
	srv := &http.Server{Handler: h}

	// Buffered, so the Serve goroutine can always deliver its result and exit, whether or not
	// anyone is still waiting for it.
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	select {
	case err := <-serveErr:
		return err // the server failed on its own; Serve never returns nil
	case <-ctx.Done():
	}

	err := srv.Close() // closes ln and every connection

	// Serve returned http.ErrServerClosed as soon as Shutdown began; collect it so that no
	// goroutine outlives Run.
	if serr := <-serveErr; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}
