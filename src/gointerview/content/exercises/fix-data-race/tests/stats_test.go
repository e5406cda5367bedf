package stats

import (
	"fmt"
	"maps"
	"sync"
	"testing"
)

func wantCount(t *testing.T, c *Collector, route string, want int) {
	t.Helper()
	if got := c.Count(route); got != want {
		t.Errorf("Count(%q) = %d, want %d", route, got, want)
	}
}

func TestRecordAndCount(t *testing.T) {
	c := NewCollector()
	for _, p := range []string{"/users/42", "/users/7", "/health", "/orders/1/items/2", "/users/42"} {
		c.Record(p)
	}
	if got := c.Total(); got != 5 {
		t.Errorf("Total() = %d after 5 Records, want 5", got)
	}
	wantCount(t, c, "/users/:id", 3)
	wantCount(t, c, "/health", 1)
	wantCount(t, c, "/orders/:id/items/:id", 1)
	wantCount(t, c, "/users/42", 0) // counts are kept per normalised route
	wantCount(t, c, "/nope", 0)
	if got := c.Route("/v2/users/123/avatar"); got != "/v2/users/:id/avatar" {
		t.Errorf("Route(%q) = %q, want %q", "/v2/users/123/avatar", got, "/v2/users/:id/avatar")
	}
}

func TestSnapshotIsACopy(t *testing.T) {
	c := NewCollector()
	c.Record("/a")
	c.Record("/b/1")
	snap := c.Snapshot()
	if want := map[string]int{"/a": 1, "/b/:id": 1}; !maps.Equal(snap, want) {
		t.Fatalf("Snapshot() = %v, want %v", snap, want)
	}
	snap["/a"] = 100
	delete(snap, "/b/:id")
	wantCount(t, c, "/a", 1)
	wantCount(t, c, "/b/:id", 1)
	c.Record("/a")
	if snap["/a"] != 100 {
		t.Errorf("a Record changed a snapshot taken earlier; Snapshot must return a copy")
	}
}

var paths = []string{"/users/1", "/users/2", "/orders/3", "/health"}

func TestConcurrentRecord(t *testing.T) {
	const workers, perWorker = 8, 500
	c := NewCollector() // fresh: the first Records race to initialise it
	start := make(chan struct{})
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			<-start
			for i := range perWorker {
				c.Record(paths[(w+i)%len(paths)])
			}
		})
	}
	close(start)
	wg.Wait()
	if got := c.Total(); got != workers*perWorker {
		t.Errorf("Total() = %d after %d concurrent Records, want %d (lost updates)", got, workers*perWorker, workers*perWorker)
	}
	wantCount(t, c, "/users/:id", workers*perWorker/2)
	wantCount(t, c, "/orders/:id", workers*perWorker/4)
	wantCount(t, c, "/health", workers*perWorker/4)
}

func TestReadsDuringWrites(t *testing.T) {
	const writers, perWriter, readers = 4, 300, 4
	c := NewCollector()
	c.Record("/warmup")
	start := make(chan struct{})
	writersDone := make(chan struct{})
	var wg, rg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			<-start
			for i := range perWriter {
				c.Record(fmt.Sprintf("/items/%d", w*perWriter+i))
				c.Record("/health")
			}
		})
	}
	for range readers {
		rg.Go(func() {
			<-start
			last := int64(0)
			for {
				total := c.Total()
				if total < last {
					t.Errorf("Total() went down from %d to %d", last, total)
					return
				}
				last = total
				_ = c.Count("/health")
				for route, n := range c.Snapshot() {
					if n < 1 {
						t.Errorf("Snapshot()[%q] = %d, want at least 1", route, n)
						return
					}
				}
				select {
				case <-writersDone:
					return
				default:
				}
			}
		})
	}
	close(start)
	wg.Wait()
	close(writersDone)
	rg.Wait()
	if got, want := c.Total(), int64(1+2*writers*perWriter); got != want {
		t.Errorf("Total() = %d, want %d", got, want)
	}
	wantCount(t, c, "/items/:id", writers*perWriter)
	wantCount(t, c, "/health", writers*perWriter)
}
