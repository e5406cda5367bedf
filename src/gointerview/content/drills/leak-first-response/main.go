// A search front end that asks three replicas and answers with the first reply. The
// result channel is unbuffered, so the two slower replicas block forever on their send:
// every request leaves two goroutines behind. The program serves two batches of
// requests, writing the goroutine profile after each (what /debug/pprof/goroutine?debug=1 shows).
package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/pprof"
	"time"
)

type replica struct {
	name    string
	latency time.Duration
}

func (r replica) query(ctx context.Context, q string) string {
	select {
	case <-time.After(r.latency):
	case <-ctx.Done():
	}
	return r.name + ":" + q
}

type searchHandler struct {
	replicas []replica
}

func (h *searchHandler) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	q := req.URL.Query().Get("q")
	results := make(chan string)
	for _, r := range h.replicas {
		go func() {
			results <- r.query(req.Context(), q)
		}()
	}
	select {
	case res := <-results:
		fmt.Fprintln(w, res)
	case <-time.After(200 * time.Millisecond):
		http.Error(w, "timeout", http.StatusGatewayTimeout)
	}
}

const batch = 250

func main() {
	h := &searchHandler{replicas: []replica{
		{"r1", 1 * time.Millisecond},
		{"r2", 3 * time.Millisecond},
		{"r3", 5 * time.Millisecond},
	}}
	for round := range 2 {
		if round > 0 {
			fmt.Println("\n# the same command, 250 search requests later:")
		}
		for i := range batch {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", fmt.Sprintf("/search?q=k%d", i), nil))
		}
		time.Sleep(50 * time.Millisecond) // let the slow replicas reach their send
		pprof.Lookup("goroutine").WriteTo(os.Stdout, 1)
	}
}
