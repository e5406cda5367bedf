package fetcher

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recordingTransport wraps a real transport and records whether every body is closed.
type recordingTransport struct {
	base   http.RoundTripper
	mu     sync.Mutex
	bodies int
	closed int
}

type recordedBody struct {
	io.ReadCloser
	t    *recordingTransport
	once sync.Once
}

func (b *recordedBody) Close() error {
	b.once.Do(func() {
		b.t.mu.Lock()
		b.t.closed++
		b.t.mu.Unlock()
	})
	return b.ReadCloser.Close()
}

func (rt *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := rt.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	rt.mu.Lock()
	rt.bodies++
	rt.mu.Unlock()
	resp.Body = &recordedBody{ReadCloser: resp.Body, t: rt}
	return resp, nil
}

func TestAgainstLocalServer(t *testing.T) {
	// The server counts the requests it is handling at once and keeps the maximum.
	var active, maxActive atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := active.Add(1)
		for {
			m := maxActive.Load()
			if n <= m || maxActive.CompareAndSwap(m, n) {
				break
			}
		}
		kind, arg, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		v, _ := strconv.Atoi(arg)
		active.Add(-1) // before the response is sent, so the client cannot be done earlier
		switch kind {
		case "bytes":
			io.WriteString(w, strings.Repeat("b", v))
		case "status":
			w.WriteHeader(v)
			io.WriteString(w, "no")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	tr := &recordingTransport{base: &http.Transport{}}
	defer tr.base.(*http.Transport).CloseIdleConnections()
	client := &http.Client{Transport: tr}

	const limit = 4
	var urls []string
	for i := 0; i < 30; i++ {
		if i%5 == 4 {
			urls = append(urls, fmt.Sprintf("%s/status/%d", srv.URL, 404+i%2*96)) // 404 or 500
		} else {
			urls = append(urls, fmt.Sprintf("%s/bytes/%d", srv.URL, 100*i))
		}
	}
	results := Fetch(context.Background(), client, urls, limit, 30*time.Second)
	if len(results) != len(urls) {
		t.Fatalf("Fetch returned %d results for %d URLs", len(results), len(urls))
	}
	for i, r := range results {
		if i%5 == 4 {
			want := 404 + i%2*96
			if r.URL != urls[i] || r.Status != want || r.Bytes != 2 || r.Err != nil {
				t.Errorf("result %d = %+v; want URL %s, Status %d, Bytes 2, Err nil", i, r, urls[i], want)
			}
		} else {
			checkOK(t, r, urls[i], int64(100*i))
		}
	}
	if m := maxActive.Load(); m > limit {
		t.Errorf("the server handled %d requests at once, want at most the limit %d", m, limit)
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.closed != tr.bodies || tr.bodies != len(urls) {
		t.Errorf("%d of %d response bodies were closed when Fetch returned (for %d URLs); every body must be closed, "+
			"whatever the status", tr.closed, tr.bodies, len(urls))
	}
}
