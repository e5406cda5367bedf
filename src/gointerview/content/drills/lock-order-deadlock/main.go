// A wallet service moves money between accounts. transfer locks the source account, then the
// destination. Two transfers in opposite directions between the same two accounts, at the
// same moment, each hold one lock and wait for the other's: neither ever finishes, and every
// later request touching either account queues behind them. The process stays up (its other
// goroutines keep it alive), so the runtime never reports a deadlock; the program writes the
// full goroutine dump a stuck service would give (pprof goroutine?debug=2, or SIGQUIT).
package main

import (
	"os"
	"runtime/pprof"
	"sync"
	"time"
)

type account struct {
	id      string
	mu      sync.Mutex
	balance int64
}

type wallet struct {
	accounts map[string]*account
}

// afterCheck runs between the two locks; main uses it to line the two transfers up.
var afterCheck = func() {}

func (w *wallet) transfer(from, to string, amount int64) {
	src, dst := w.accounts[from], w.accounts[to]
	src.mu.Lock()
	defer src.mu.Unlock()
	if src.balance < amount {
		return
	}
	afterCheck()
	dst.mu.Lock()
	defer dst.mu.Unlock()
	src.balance -= amount
	dst.balance += amount
}

func (w *wallet) balance(id string) int64 {
	a := w.accounts[id]
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance
}

func main() {
	w := &wallet{accounts: map[string]*account{
		"alice": {id: "alice", balance: 500},
		"bob":   {id: "bob", balance: 500},
	}}
	// The two transfers meet after their checks so the interleaving that deadlocks happens on every run; in
	// production it happens when the two requests arrive within microseconds of each other.
	var both sync.WaitGroup
	both.Add(2)
	afterCheck = func() { both.Done(); both.Wait() }
	go w.transfer("alice", "bob", 100)
	go w.transfer("bob", "alice", 50)
	time.Sleep(100 * time.Millisecond)
	for _, id := range []string{"alice", "bob", "alice"} { // later balance queries
		go w.balance(id)
	}
	time.Sleep(100 * time.Millisecond)
	pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
}
