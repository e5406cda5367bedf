package shardmap

import (
	"fmt"
	"sync"
	"testing"
)

func TestStoreLoadDelete(t *testing.T) {
	m := New[string, int](4)
	if _, ok := m.Load("a"); ok {
		t.Fatal(`Load("a") on an empty map reported a value`)
	}
	m.Store("a", 1)
	m.Store("b", 2)
	m.Store("a", 3)
	if v, ok := m.Load("a"); !ok || v != 3 {
		t.Fatalf(`Load("a") = %d, %v; want 3, true`, v, ok)
	}
	if n := m.Len(); n != 2 {
		t.Fatalf("Len = %d with keys a and b, want 2", n)
	}
	m.Delete("a")
	m.Delete("missing")
	if _, ok := m.Load("a"); ok {
		t.Fatal(`Load("a") after Delete reported a value`)
	}
	if v, ok := m.Load("b"); !ok || v != 2 {
		t.Fatalf(`Load("b") = %d, %v; want 2, true`, v, ok)
	}
	if n := m.Len(); n != 1 {
		t.Fatalf("Len = %d after deleting a, want 1", n)
	}
}

func TestManyKeys(t *testing.T) {
	m := New[int, string](8)
	for i := range 1000 {
		m.Store(i, fmt.Sprint(i))
	}
	for i := range 1000 {
		if v, ok := m.Load(i); !ok || v != fmt.Sprint(i) {
			t.Fatalf("Load(%d) = %q, %v; want %q, true", i, v, ok, fmt.Sprint(i))
		}
	}
	if n := m.Len(); n != 1000 {
		t.Fatalf("Len = %d after storing 1000 keys, want 1000", n)
	}
}

func TestLoadOrStore(t *testing.T) {
	m := New[string, int](2)
	if v, loaded := m.LoadOrStore("k", 1); loaded || v != 1 {
		t.Fatalf(`first LoadOrStore("k", 1) = %d, %v; want 1, false`, v, loaded)
	}
	if v, loaded := m.LoadOrStore("k", 2); !loaded || v != 1 {
		t.Fatalf(`second LoadOrStore("k", 2) = %d, %v; want 1, true`, v, loaded)
	}
}

func TestUpdate(t *testing.T) {
	m := New[string, int](4)
	m.Update("n", func(old int, loaded bool) (int, bool) {
		if loaded {
			t.Errorf("Update on a missing key passed loaded = true (old %d)", old)
		}
		return 10, true
	})
	m.Update("n", func(old int, loaded bool) (int, bool) {
		if !loaded || old != 10 {
			t.Errorf("Update passed %d, %v; want 10, true", old, loaded)
		}
		return old + 1, true
	})
	if v, _ := m.Load("n"); v != 11 {
		t.Fatalf(`Load("n") = %d after two Updates, want 11`, v)
	}
	m.Update("n", func(int, bool) (int, bool) { return 0, false })
	if _, ok := m.Load("n"); ok || m.Len() != 0 {
		t.Fatal("Update returning keep = false must delete the key")
	}
}

func TestShardIsStableAndSpread(t *testing.T) {
	const shards = 16
	m := New[int, int](shards)
	used := make(map[int]bool)
	for k := range 2000 {
		s := m.Shard(k)
		if s < 0 || s >= shards {
			t.Fatalf("Shard(%d) = %d, want a value in [0, %d)", k, s, shards)
		}
		if again := m.Shard(k); again != s {
			t.Fatalf("Shard(%d) = %d, then %d: a key must always map to the same shard", k, s, again)
		}
		used[s] = true
	}
	if len(used) != shards {
		t.Fatalf("2000 keys landed in only %d of %d shards: the hash does not spread them", len(used), shards)
	}
	if s := New[string, int](1).Shard("x"); s != 0 {
		t.Fatalf("Shard on a map of one shard = %d, want 0", s)
	}
}

// Two keys in different shards: writing one while the other's shard is locked must not wait.
func TestShardsDoNotBlockEachOther(t *testing.T) {
	m := New[int, int](8)
	a, b := 0, 1
	for range 20 { // an unstable Shard could pick the same lock twice below and hang
		if m.Shard(a) != m.Shard(a) {
			t.Fatalf("Shard(%d) changed between calls: a key must always map to the same shard", a)
		}
	}
	for m.Shard(b) == m.Shard(a) {
		b++
	}
	m.Update(a, func(int, bool) (int, bool) {
		// Shard(a) is locked here. A global lock would make this Store wait forever.
		done := make(chan struct{})
		go func() {
			defer close(done)
			m.Store(b, 2)
			if v, ok := m.Load(b); !ok || v != 2 {
				t.Errorf("Load(%d) = %d, %v; want 2, true", b, v, ok)
			}
		}()
		<-done
		return 1, true
	})
	if v, _ := m.Load(a); v != 1 {
		t.Fatalf("Load(%d) = %d, want 1", a, v)
	}
}

func TestUpdateIsAtomic(t *testing.T) {
	m := New[int, int](4)
	const goroutines, rounds, keys = 8, 300, 3
	start := make(chan struct{})
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			<-start // all at once, so they contend
			for i := range rounds {
				m.Update(i%keys, func(old int, _ bool) (int, bool) { return old + 1, true })
			}
		})
	}
	close(start)
	wg.Wait()
	for k := range keys {
		if v, _ := m.Load(k); v != goroutines*rounds/keys {
			t.Fatalf("key %d counted %d increments, want %d: Update must be atomic", k, v, goroutines*rounds/keys)
		}
	}
}

func TestAllVisitsEveryKeyOnce(t *testing.T) {
	m := New[int, int](8)
	for i := range 100 {
		m.Store(i, i*i)
	}
	seen := make(map[int]int)
	for k, v := range m.All() {
		if v != k*k {
			t.Fatalf("All yielded %d, %d; want %d, %d", k, v, k, k*k)
		}
		seen[k]++
	}
	if len(seen) != 100 {
		t.Fatalf("All yielded %d distinct keys, want 100", len(seen))
	}
	for k, n := range seen {
		if n != 1 {
			t.Fatalf("All yielded key %d %d times, want once", k, n)
		}
	}
}

func TestAllLetsTheBodyWrite(t *testing.T) {
	m := New[int, int](4)
	for i := range 20 {
		m.Store(i, i)
	}
	// A shard still locked while its entries are yielded would deadlock here.
	for k, v := range m.All() {
		m.Store(k, v+100)
		m.Delete(k + 1000)
	}
	for i := range 20 {
		if v, _ := m.Load(i); v != i+100 {
			t.Fatalf("Load(%d) = %d after the loop, want %d", i, v, i+100)
		}
	}
}

func TestAllStopsOnBreak(t *testing.T) {
	m := New[int, int](4)
	for i := range 50 {
		m.Store(i, i)
	}
	n := 0
	for range m.All() {
		n++
		if n == 3 {
			break
		}
	}
	if n != 3 {
		t.Fatalf("the loop body ran %d times, want 3", n)
	}
}

func TestConcurrentUse(t *testing.T) {
	m := New[int, int](4)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for g := range 4 {
		wg.Go(func() {
			<-start
			for i := range 200 {
				k := g*1000 + i
				m.Store(k, i)
				if v, ok := m.Load(k); !ok || v != i {
					t.Errorf("Load(%d) = %d, %v right after Store, want %d, true", k, v, ok, i)
					return
				}
				m.LoadOrStore(k+500, i)
				if i%3 == 0 {
					m.Delete(k)
				}
			}
		})
	}
	wg.Go(func() {
		<-start
		for range 50 {
			if n := m.Len(); n < 0 || n > 1600 {
				t.Errorf("Len = %d while 4 goroutines store at most 1600 keys", n)
				return
			}
			for range m.All() {
			}
		}
	})
	close(start)
	wg.Wait()
	if n := m.Len(); n != 4*(200-67)+4*200 {
		t.Fatalf("Len = %d after the writers finished, want %d", n, 4*(200-67)+4*200)
	}
}

func TestNewPanicsOnNoShards(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("New(0) should panic")
		}
	}()
	New[int, int](0)
}
