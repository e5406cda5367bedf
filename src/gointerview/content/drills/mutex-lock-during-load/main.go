// A product-catalogue cache in front of a slow backend. Get holds the cache's one mutex while
// it loads a missing entry from the backend (about 2 ms), so every other request — hits
// included — waits for that load. Sixteen request goroutines run for a fixed time with the
// mutex profiler on (runtime.SetMutexProfileFraction(1): every contention event recorded).
package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

type product struct {
	id    int
	name  string
	cents int
}

type backend struct{}

func (backend) fetch(id int) product {
	time.Sleep(2 * time.Millisecond) // a database round trip
	return product{id: id, name: fmt.Sprintf("product %d", id), cents: 100 + id%900}
}

type cache struct {
	mu      sync.Mutex
	items   map[int]product
	backend backend
}

func (c *cache) Get(id int) product {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.items[id]; ok {
		return p
	}
	p := c.backend.fetch(id)
	c.items[id] = p
	return p
}

func main() {
	runtime.SetMutexProfileFraction(1)
	c := &cache{items: map[int]product{}}
	var wg sync.WaitGroup
	deadline := time.Now().Add(1500 * time.Millisecond)
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for time.Now().Before(deadline) {
				c.Get(rng.IntN(5000)) // 5,000 products, so misses continue all along
			}
		}()
	}
	wg.Wait()
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	pprof.Lookup("mutex").WriteTo(f, 0)
	f.Close()
}
