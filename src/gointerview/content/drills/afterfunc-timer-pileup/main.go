// A session store expires each session 30 minutes after its last use. Touch stores the
// refreshed session and arms a time.AfterFunc to delete it, but never stops the timer armed
// by the previous Touch: every request leaves one more pending timer, and each timer's
// closure keeps that request's copy of the session alive until it fires, half an hour later.
// The store holds 200 sessions; memory grows with the number of requests. The program serves
// a fixed number of requests, then writes the heap profile.
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

const ttl = 30 * time.Minute

type session struct {
	user  string
	perms []string
	blob  []byte // serialized claims and preferences, about 2 KiB
}

type store struct {
	mu       sync.Mutex
	sessions map[string]*session
}

func (s *store) Touch(id string, sess *session) {
	s.mu.Lock()
	s.sessions[id] = sess
	s.mu.Unlock()
	time.AfterFunc(ttl, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.sessions[id] == sess {
			delete(s.sessions, id)
		}
	})
}

func load(id string, n int) *session {
	return &session{
		user:  id,
		perms: []string{"orders:read", "orders:write"},
		blob:  make([]byte, 2048+n%64),
	}
}

func main() {
	runtime.MemProfileRate = 1 // record every allocation: the counts below are exact
	s := &store{sessions: map[string]*session{}}
	for i := range 20000 { // 20,000 requests from 200 users
		id := fmt.Sprintf("sess-%03d", i%200)
		s.Touch(id, load(id, i))
	}
	runtime.GC()
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	pprof.WriteHeapProfile(f)
	f.Close()
	s.mu.Lock()
	fmt.Fprintln(os.Stderr, "sessions:", len(s.sessions))
	s.mu.Unlock()
}
