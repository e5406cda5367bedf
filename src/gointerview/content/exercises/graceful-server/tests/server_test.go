package graceful

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// The tests run Run on a real listener on 127.0.0.1. Ordering is done with channels: a
// handler that signals when a request arrives and then blocks until the test releases it
// stands for a request in flight, and a listener wrapper signals when Run closes it.

// notifyListener reports when it is closed.
type notifyListener struct {
	net.Listener
	once   sync.Once
	closed chan struct{}
}

func (l *notifyListener) Close() error {
	err := l.Listener.Close()
	l.once.Do(func() { close(l.closed) })
	return err
}

type server struct {
	addr   string
	ln     *notifyListener
	cancel context.CancelFunc
	done   chan error // Run's result
}

// start runs Run in a goroutine on a fresh loopback listener.
func start(t *testing.T, h http.Handler, drain time.Duration) *server {
	t.Helper()
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	ln := &notifyListener{Listener: raw, closed: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{addr: raw.Addr().String(), ln: ln, cancel: cancel, done: make(chan error, 1)}
	go func() { s.done <- Run(ctx, ln, h, drain) }()
	t.Cleanup(cancel)
	return s
}

// client returns an HTTP client with its own transport, closed when the test ends.
func client(t *testing.T, keepAlive bool) *http.Client {
	tr := &http.Transport{DisableKeepAlives: !keepAlive}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

type result struct {
	status int
	body   string
	err    error
}

func get(c *http.Client, url string) result {
	resp, err := c.Get(url)
	if err != nil {
		return result{err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return result{status: resp.StatusCode, body: string(body), err: err}
}

// blocker is a handler whose requests signal arrival and then wait for release.
type blocker struct {
	arrived chan struct{} // one value per request that has arrived
	release chan struct{} // closed to let every request finish
	once    sync.Once
	mu      sync.Mutex
	done    int // requests that finished
}

func newBlocker(t *testing.T) *blocker {
	b := &blocker{arrived: make(chan struct{}, 16), release: make(chan struct{})}
	t.Cleanup(b.Release) // never leave a handler blocked, whatever happens
	return b
}

func (b *blocker) Release() { b.once.Do(func() { close(b.release) }) }

func (b *blocker) finished() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.done
}

func (b *blocker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.arrived <- struct{}{}
	<-b.release
	io.WriteString(w, "finished")
	b.mu.Lock()
	b.done++
	b.mu.Unlock()
}

func hello() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello "+r.URL.Path)
	})
}

func wantRefused(t *testing.T, addr, when string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err == nil {
		conn.Close()
		t.Fatalf("%s: a new connection to %s was accepted, want it refused (the listener must be closed)", when, addr)
	}
}

func TestServesUntilCancelled(t *testing.T) {
	s := start(t, hello(), time.Minute)
	c := client(t, false)
	for _, path := range []string{"/a", "/b"} {
		r := get(c, "http://"+s.addr+path)
		if r.err != nil || r.status != http.StatusOK || r.body != "hello "+path {
			t.Fatalf("GET %s = %d %q, %v; want 200 %q", path, r.status, r.body, r.err, "hello "+path)
		}
	}
	select {
	case err := <-s.done:
		t.Fatalf("Run returned %v before its ctx was cancelled", err)
	default:
	}
	s.cancel()
	// If Run does not watch ctx, this waits forever and the test times out.
	if err := <-s.done; err != nil {
		t.Fatalf("Run after cancel with no requests in flight = %v, want nil", err)
	}
	wantRefused(t, s.addr, "after Run returned")
}

func TestInFlightRequestCompletes(t *testing.T) {
	b := newBlocker(t)
	s := start(t, b, time.Minute)
	c := client(t, false)
	res := make(chan result, 1)
	go func() { res <- get(c, "http://"+s.addr+"/slow") }()
	<-b.arrived // the request is in the handler

	s.cancel()
	<-s.ln.closed // Run has begun shutting down: it closed the listener
	wantRefused(t, s.addr, "after cancel, while a request is in flight")
	select {
	case err := <-s.done:
		t.Fatalf("Run returned %v while a request was still in flight (it must wait for it, up to drain)", err)
	case r := <-res:
		t.Fatalf("the request in flight ended (%d %q, %v) before its handler returned: shutting down must not cut it", r.status, r.body, r.err)
	default:
	}

	b.Release() // the handler finishes its work
	if r := <-res; r.err != nil || r.status != http.StatusOK || r.body != "finished" {
		t.Fatalf("the request in flight when ctx was cancelled got %d %q, %v; want 200 %q "+
			"(graceful shutdown lets in-flight requests finish; http.Server.Close cuts them)", r.status, r.body, r.err, "finished")
	}
	if err := <-s.done; err != nil {
		t.Fatalf("Run after the in-flight request finished within drain = %v, want nil", err)
	}
	if n := b.finished(); n != 1 {
		t.Fatalf("Run returned with %d finished handlers, want 1", n)
	}
}

func TestIdleKeepAliveConnectionsDoNotHoldShutdown(t *testing.T) {
	s := start(t, hello(), time.Minute)
	c := client(t, true) // the connection stays open and idle after the response
	if r := get(c, "http://"+s.addr+"/x"); r.err != nil || r.status != http.StatusOK {
		t.Fatalf("GET = %d, %v; want 200", r.status, r.err)
	}
	s.cancel()
	// An idle connection is closed at once; Run must not wait out the minute of drain.
	// (If it does, the test times out.)
	if err := <-s.done; err != nil {
		t.Fatalf("Run after cancel with only an idle keep-alive connection = %v, want nil", err)
	}
}

func TestDrainTimeout(t *testing.T) {
	// The one place the test needs real time: the handler outlives a short drain.
	const drain = 100 * time.Millisecond
	b := newBlocker(t)
	s := start(t, b, drain)
	c := client(t, false)
	res := make(chan result, 1)
	go func() { res <- get(c, "http://"+s.addr+"/stuck") }()
	<-b.arrived

	cancelled := time.Now()
	s.cancel()
	err := <-s.done
	took := time.Since(cancelled)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run with a handler still running when drain (%v) ran out = %v, want an error wrapping context.DeadlineExceeded", drain, err)
	}
	if took < drain {
		t.Fatalf("Run returned %v after cancel, before the %v drain was over", took, drain)
	}
	// Run must have cut the connection still open before returning, so the client gets an
	// error, not the response the handler writes once it is released now.
	b.Release()
	r := <-res
	if r.err == nil {
		t.Fatalf("the request still running when drain ran out got %d %q, want a connection error "+
			"(Run must close the remaining connections before returning)", r.status, r.body)
	}
	wantRefused(t, s.addr, "after Run returned")
}

func TestAlreadyCancelled(t *testing.T) {
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	ln := &notifyListener{Listener: raw, closed: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Run(ctx, ln, hello(), time.Minute); err != nil {
		t.Fatalf("Run with an already-cancelled ctx = %v, want nil", err)
	}
	<-ln.closed // if the listener is never closed, the test times out
}

// brokenListener fails every Accept with a permanent error.
type brokenListener struct{ err error }

func (l brokenListener) Accept() (net.Conn, error) { return nil, l.err }
func (l brokenListener) Close() error              { return nil }
func (l brokenListener) Addr() net.Addr            { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }

func TestServeErrorIsReturned(t *testing.T) {
	broken := errors.New("listener broken")
	// ctx is never cancelled: Run must notice on its own that the server has stopped.
	// (If it only waits for ctx, the test times out.)
	err := Run(context.Background(), brokenListener{broken}, hello(), time.Minute)
	if !errors.Is(err, broken) {
		t.Fatalf("Run on a listener whose Accept fails = %v, want the Accept error %q", err, broken)
	}
}
