// A gateway re-reads its rate-limit configuration every few seconds and swaps it in with a
// plain assignment to a package variable, while request handlers read the same variable.
// Nothing orders the write before the reads: a data race. In production it "works" (a
// pointer-sized store happens to be atomic on amd64) until the compiler keeps the old value
// in a register, or a handler sees the new pointer before the fields it points to. The
// program runs the reload loop beside a few handlers, built with -race.
package main

import (
	"fmt"
	"sync"
	"time"
)

type limits struct {
	perClient map[string]int
	fallback  int
}

var current = &limits{perClient: map[string]int{"mobile": 50}, fallback: 10}

func reloadLoop(stop <-chan struct{}, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			next := &limits{perClient: map[string]int{"mobile": 60, "web": 30}, fallback: 10}
			current = next
		}
	}
}

func allowed(client string) int {
	cfg := current
	if n, ok := cfg.perClient[client]; ok {
		return n
	}
	return cfg.fallback
}

func main() {
	stop := make(chan struct{})
	go reloadLoop(stop, 5*time.Millisecond)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sum := 0
			for i := range 200 {
				sum += allowed([]string{"mobile", "web", "cli"}[i%3])
				time.Sleep(100 * time.Microsecond)
			}
			_ = sum
		}()
	}
	wg.Wait()
	close(stop)
	fmt.Println("done")
}
