package lru

import (
	"fmt"
	"sync"
	"testing"
)

func mustGet(t *testing.T, c *Cache[string, int], key string, want int) {
	t.Helper()
	got, ok := c.Get(key)
	if !ok || got != want {
		t.Fatalf("Get(%q) = %d, %v; want %d, true", key, got, ok, want)
	}
}

func mustMiss(t *testing.T, c *Cache[string, int], key string) {
	t.Helper()
	if got, ok := c.Get(key); ok {
		t.Fatalf("Get(%q) = %d, true; want a miss (it should have been evicted)", key, got)
	}
}

func TestGetPutBasics(t *testing.T) {
	c := New[string, int](2)
	mustMiss(t, c, "a")
	c.Put("a", 1)
	c.Put("b", 2)
	mustGet(t, c, "a", 1)
	mustGet(t, c, "b", 2)
	if c.Len() != 2 {
		t.Fatalf("Len() = %d, want 2", c.Len())
	}
}

func TestEvictsLeastRecentlyUsed(t *testing.T) {
	c := New[string, int](2)
	c.Put("a", 1)
	c.Put("b", 2)
	c.Put("c", 3) // evicts a
	mustMiss(t, c, "a")
	mustGet(t, c, "b", 2)
	mustGet(t, c, "c", 3)
	if c.Len() != 2 {
		t.Fatalf("Len() = %d after eviction, want 2", c.Len())
	}
}

func TestGetRefreshesRecency(t *testing.T) {
	c := New[string, int](2)
	c.Put("a", 1)
	c.Put("b", 2)
	mustGet(t, c, "a", 1) // a is now the most recently used
	c.Put("c", 3)         // so b is evicted
	mustMiss(t, c, "b")
	mustGet(t, c, "a", 1)
	mustGet(t, c, "c", 3)
}

func TestPutUpdatesAndRefreshes(t *testing.T) {
	c := New[string, int](2)
	c.Put("a", 1)
	c.Put("b", 2)
	c.Put("a", 10) // update counts as a use
	c.Put("c", 3)  // evicts b
	mustGet(t, c, "a", 10)
	mustMiss(t, c, "b")
	if c.Len() != 2 {
		t.Fatalf("Len() = %d, want 2 (an update must not add an entry)", c.Len())
	}
}

func TestCapacityOne(t *testing.T) {
	c := New[string, int](1)
	c.Put("a", 1)
	c.Put("b", 2)
	mustMiss(t, c, "a")
	mustGet(t, c, "b", 2)
	if c.Len() != 1 {
		t.Fatalf("Len() = %d, want 1", c.Len())
	}
}

func TestNeverExceedsCapacity(t *testing.T) {
	c := New[string, int](100)
	for i := 0; i < 1000; i++ {
		c.Put(fmt.Sprint(i), i)
		if c.Len() > 100 {
			t.Fatalf("after %d puts Len() = %d, want at most 100", i+1, c.Len())
		}
	}
	for i := 900; i < 1000; i++ {
		mustGet(t, c, fmt.Sprint(i), i)
	}
	mustMiss(t, c, "899")
}

func TestInvalidCapacityPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("New(0) should panic")
		}
	}()
	New[string, int](0)
}

func TestConcurrentUse(t *testing.T) {
	c := New[string, int](64)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				key := fmt.Sprint((g*31 + i) % 128)
				c.Put(key, i)
				c.Get(key)
				c.Len()
			}
		}()
	}
	wg.Wait()
	if c.Len() > 64 {
		t.Fatalf("Len() = %d after concurrent use, want at most 64", c.Len())
	}
}
