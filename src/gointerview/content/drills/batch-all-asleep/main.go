// A nightly import job parses a day's export files in parallel and totals the rows. Each
// worker sends its count on an unbuffered channel, but main waits for every worker to finish
// (wg.Wait) before it starts receiving: the workers block on their send, main blocks on the
// WaitGroup, nothing else can run, and the runtime stops the program.
package main

import (
	"fmt"
	"strings"
	"sync"
)

type file struct {
	name string
	body string
}

func countRows(f file) int {
	return strings.Count(f.body, "\n")
}

func importAll(files []file) int {
	counts := make(chan int)
	var wg sync.WaitGroup
	for _, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts <- countRows(f)
		}()
	}
	wg.Wait()
	close(counts)
	total := 0
	for n := range counts {
		total += n
	}
	return total
}

func main() {
	var files []file
	for i := range 3 {
		files = append(files, file{
			name: fmt.Sprintf("orders-%02d.csv", i),
			body: strings.Repeat("id,sku,qty\n", 100+i),
		})
	}
	fmt.Println("imported rows:", importAll(files))
}
