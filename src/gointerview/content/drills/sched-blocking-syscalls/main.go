// A report exporter appends every finished report to one shared spool file and takes an
// exclusive flock(2) on it around each append, so that a second process can read the file
// safely. flock blocks in the kernel: a goroutine waiting for it holds its OS thread (M) for
// the whole wait, and the runtime hands the P to a new thread to keep running the others.
// With 150 exports finishing at once, 150 threads sit in the kernel waiting for one lock.
// Run with GODEBUG=schedtrace=1000: the scheduler's one-line summary every second.
package main

import (
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"
)

func appendReport(spool *os.File, report []byte) error {
	if err := syscall.Flock(int(spool.Fd()), syscall.LOCK_EX); err != nil {
		return err
	}
	defer syscall.Flock(int(spool.Fd()), syscall.LOCK_UN)
	_, err := spool.Write(report)
	time.Sleep(20 * time.Millisecond) // (the slow part of a real append: compress, fsync)
	return err
}

func main() {
	path := os.Args[1]
	var wg sync.WaitGroup
	for i := range 150 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// each export opens the spool itself, as the exporter's workers do
			spool, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
			if err != nil {
				panic(err)
			}
			defer spool.Close()
			if err := appendReport(spool, fmt.Appendf(nil, "report %d\n", i)); err != nil {
				panic(err)
			}
		}()
	}
	wg.Wait()
	time.Sleep(1100 * time.Millisecond) // the exporter stays up, waiting for the next batch
}
