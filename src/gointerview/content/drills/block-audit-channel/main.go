// An API writes an audit record for every request. Handlers hand the record to a single
// writer goroutine over an unbuffered channel, and the writer flushes each record to disk on
// its own (about 1 ms per write, an fsync). Under load every handler waits for the writer:
// the audit log, meant to be off the request path, sets the request rate. Sixteen handler
// goroutines run for a fixed time with the block profiler on
// (runtime.SetBlockProfileRate(1): every blocking event recorded).
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

type auditRecord struct {
	user, action string
	at           time.Time
}

type auditLog struct {
	records chan auditRecord
	written int
}

func newAuditLog() *auditLog {
	a := &auditLog{records: make(chan auditRecord)}
	go a.writer()
	return a
}

func (a *auditLog) writer() {
	for r := range a.records {
		_ = fmt.Sprintf("%s %s %s", r.at.Format(time.RFC3339), r.user, r.action)
		time.Sleep(time.Millisecond) // write + fsync of one record
		a.written++
	}
}

func (a *auditLog) Record(user, action string) {
	a.records <- auditRecord{user: user, action: action, at: time.Now()}
}

func handleRequest(a *auditLog, user string) {
	// ... the request's real work: a few microseconds here
	a.Record(user, "GET /api/orders")
}

func main() {
	runtime.SetBlockProfileRate(1)
	a := newAuditLog()
	deadline := time.Now().Add(1500 * time.Millisecond)
	for h := range 16 {
		go func() {
			for time.Now().Before(deadline) {
				handleRequest(a, fmt.Sprintf("user-%d", h))
			}
		}()
	}
	time.Sleep(1700 * time.Millisecond) // the traffic, then the profile (as a scrape would)
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	pprof.Lookup("block").WriteTo(f, 0)
	f.Close()
}
