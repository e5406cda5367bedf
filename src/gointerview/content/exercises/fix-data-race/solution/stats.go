// Package stats counts the requests a web service handles, in total and per route.
//
// Record is called from every request goroutine at once, while a metrics endpoint calls
// Total, Count and Snapshot. Under load the totals come out too low, `go test -race` reports
// data races, and now and then the process dies with "fatal error: concurrent map writes".
// Fix the races without changing the API or the behaviour.
package stats

import (
	"maps"
	"regexp"
	"sync"
	"sync/atomic"
)

// Collector counts requests. It must be safe for concurrent use.
type Collector struct {
	total atomic.Int64 // requests recorded: a lone counter needs no lock

	mu      sync.Mutex     // guards byRoute, for reads as well as writes
	byRoute map[string]int // requests per normalised route

	idOnce sync.Once      // compiles idRE exactly once, whoever calls first
	idRE   *regexp.Regexp // compiled on first use: most collectors never need it
}

// NewCollector returns an empty collector.
func NewCollector() *Collector {
	return &Collector{byRoute: make(map[string]int)}
}

// idPattern returns the regexp that finds numeric path segments, compiling it the first time.
// Once.Do also publishes idRE: every caller that returns from Do sees the write.
func (c *Collector) idPattern() *regexp.Regexp {
	c.idOnce.Do(func() { c.idRE = regexp.MustCompile(`/[0-9]+`) })
	return c.idRE
}

// Route normalises a request path: every run of digits right after a '/' becomes ":id",
// so /users/42 and /users/7 both count as /users/:id.
func (c *Collector) Route(path string) string {
	// A *regexp.Regexp is safe for concurrent use once compiled.
	return c.idPattern().ReplaceAllString(path, "/:id")
}

// Record counts one request for path.
func (c *Collector) Record(path string) {
	route := c.Route(path) // outside the lock: no shared state, and it is the slow part
	c.total.Add(1)
	c.mu.Lock()
	c.byRoute[route]++
	c.mu.Unlock()
}

// Total returns the number of requests recorded.
func (c *Collector) Total() int64 {
	return c.total.Load()
}

// Count returns the number of requests recorded for a normalised route such as /users/:id.
func (c *Collector) Count(route string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byRoute[route]
}

// Snapshot returns a copy of the per-route counts; the caller may modify it.
func (c *Collector) Snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.byRoute) // a copy made under the lock, so the caller reads it freely
}
