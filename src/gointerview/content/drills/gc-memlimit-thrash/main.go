// A pricing service keeps a warm in-memory cache and runs with GOGC=off and
// GOMEMLIMIT=120MiB, set months ago "to save GC CPU" when the cache was small. The cache has
// since grown to about 100 MiB of live data. Each request still allocates short-lived
// garbage, and the heap can now only grow by the few MiB between the live data and the limit
// before the next collection: the GC runs back to back. The program fills the cache, then
// serves requests for a fixed time; run with GODEBUG=gctrace=1.
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

type quote struct {
	sku   string
	tiers [30]int64
}

var cache = map[int]*quote{}

func warm(n int) {
	for i := range n {
		q := &quote{sku: "SKU-" + strconv.Itoa(i)}
		for t := range q.tiers {
			q.tiers[t] = int64(100 + i%977 + t)
		}
		cache[i] = q
	}
}

// price builds the response for one request: a little garbage, as every handler makes.
func price(id int) string {
	q := cache[id%len(cache)]
	parts := make([]string, 0, len(q.tiers))
	for _, t := range q.tiers {
		parts = append(parts, strconv.FormatInt(t, 10))
	}
	return fmt.Sprintf("%s:%v", q.sku, parts)
}

func main() {
	warm(330_000) // about 100 MiB live: the catalogue today
	fmt.Fprintln(os.Stderr, "cache warm; serving")
	for i, start := 0, time.Now(); time.Since(start) < 3*time.Second; i++ {
		_ = price(i)
	}
}
