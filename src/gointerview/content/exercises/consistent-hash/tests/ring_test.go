package consistenthash

import (
	"fmt"
	"hash/crc32"
	"strconv"
	"sync"
	"testing"
)

// atoiHash treats the data as a decimal number, so the tests can place virtual nodes and
// keys at exact points: virtual node 1 of node "4" is "14" and sits at 14.
func atoiHash(data []byte) uint32 {
	n, err := strconv.Atoi(string(data))
	if err != nil {
		panic(fmt.Sprintf("test hash: %q is not a number (virtual node i of node n must hash strconv.Itoa(i)+n)", data))
	}
	return uint32(n)
}

type want map[string]string // key -> node

func checkOwners(t *testing.T, r *Ring, cases want, when string) {
	t.Helper()
	for key, node := range cases {
		if got := r.Get(key); got != node {
			t.Errorf("%s: Get(%q) = %q, want %q", when, key, got, node)
		}
	}
}

func TestEmptyRing(t *testing.T) {
	r := New(3, nil)
	if got := r.Get("anything"); got != "" {
		t.Fatalf("Get on an empty ring = %q, want \"\"", got)
	}
	r.Add("a", "b")
	r.Remove("a")
	r.Remove("b")
	if got := r.Get("anything"); got != "" {
		t.Fatalf("Get after every node was removed = %q, want \"\"", got)
	}
}

func TestGetWithCustomHash(t *testing.T) {
	r := New(3, atoiHash)
	// Virtual nodes: "2" -> 2, 12, 22; "4" -> 4, 14, 24; "6" -> 6, 16, 26.
	r.Add("6", "4", "2")
	checkOwners(t, r, want{
		"1":  "2", // 1 -> next point 2
		"3":  "4", // 3 -> 4
		"11": "2", // 11 -> 12
		"13": "4", // 13 -> 14
		"23": "4", // 23 -> 24
		"25": "6", // 25 -> 26
	}, "nodes 2, 4, 6 with 3 replicas")
	// A fourth node takes over the keys just below its points: 8, 18, 28.
	r.Add("8")
	checkOwners(t, r, want{
		"7":  "8",
		"17": "8",
		"27": "8",
		"11": "2",
		"23": "4",
	}, "after Add(\"8\")")
}

func TestKeyOnAVirtualNodeBelongsToIt(t *testing.T) {
	r := New(3, atoiHash)
	r.Add("2", "4", "6") // points 2, 4, 6, 12, 14, 16, 22, 24, 26
	checkOwners(t, r, want{
		"2":  "2",
		"4":  "4",
		"12": "2",
		"16": "6",
		"26": "6",
	}, "a key whose hash equals a virtual node's hash (the first point at or after the key, >=)")
}

func TestWrapAround(t *testing.T) {
	r := New(3, atoiHash)
	r.Add("2", "4", "6") // the largest point is 26, the smallest is 2 (node "2")
	checkOwners(t, r, want{
		"0":          "2",
		"27":         "2",
		"1000":       "2",
		"4294967295": "2", // the very top of the ring
	}, "a key past the largest point must wrap around to the smallest point")
	r.Remove("2") // now the smallest point is 4
	checkOwners(t, r, want{"27": "4", "0": "4"}, "wrap-around after Remove(\"2\")")
}

func TestRemove(t *testing.T) {
	r := New(3, atoiHash)
	r.Add("2", "4", "6")
	r.Remove("4") // points left: 2, 6, 12, 16, 22, 26
	checkOwners(t, r, want{
		"3":  "6",
		"13": "6",
		"23": "6",
		"11": "2",
		"21": "2",
		"25": "6",
	}, "after Remove(\"4\")")
	r.Remove("nope") // not on the ring: no effect
	checkOwners(t, r, want{"3": "6", "11": "2"}, "after removing a node that is not on the ring")
	r.Add("4")
	checkOwners(t, r, want{"3": "4", "13": "4", "23": "4", "11": "2"}, "after adding \"4\" back")
}

func TestAddTwiceIsANoOp(t *testing.T) {
	r := New(3, atoiHash)
	r.Add("2", "4")
	r.Add("4")
	r.Add("2", "2")
	r.Remove("4")
	// If Add("4") had been counted twice, or Remove left a stale copy behind, 4 would remain.
	checkOwners(t, r, want{"3": "2", "13": "2", "23": "2", "25": "2"}, "after Add(2,4), Add(4), Add(2,2), Remove(4)")
}

// tableHash is a hash the test fully controls; unknown inputs are a test bug.
func tableHash(table map[string]uint32) Hash {
	return func(data []byte) uint32 {
		h, ok := table[string(data)]
		if !ok {
			panic(fmt.Sprintf("test hash: unexpected input %q", data))
		}
		return h
	}
}

func TestCollidingVirtualNodesResolvedByName(t *testing.T) {
	// One replica each; "0apple" and "0banana" collide at 100, "0cherry" sits at 200.
	hash := tableHash(map[string]uint32{
		"0apple": 100, "0banana": 100, "0cherry": 200,
		"k50": 50, "k100": 100, "k150": 150,
	})
	for _, order := range [][]string{{"apple", "banana", "cherry"}, {"cherry", "banana", "apple"}} {
		r := New(1, hash)
		for _, n := range order {
			r.Add(n)
		}
		when := fmt.Sprintf("nodes added in the order %v, apple and banana both at 100", order)
		checkOwners(t, r, want{"k50": "apple", "k100": "apple", "k150": "cherry"}, when+" (a tie goes to the smaller name)")
		r.Remove("apple")
		checkOwners(t, r, want{"k50": "banana", "k100": "banana"}, when+", after Remove(\"apple\") (banana's point must still be there)")
		r.Add("apple")
		r.Remove("banana")
		checkOwners(t, r, want{"k50": "apple", "k100": "apple"}, when+", after re-adding apple and removing banana")
	}
}

func keys(n int) []string {
	ks := make([]string, n)
	for i := range ks {
		ks[i] = "key-" + strconv.Itoa(i)
	}
	return ks
}

func nodeNames(n int) []string {
	ns := make([]string, n)
	for i := range ns {
		ns[i] = "node-" + strconv.Itoa(i)
	}
	return ns
}

func TestNilHashIsCRC32(t *testing.T) {
	a, b := New(20, nil), New(20, crc32.ChecksumIEEE)
	a.Add(nodeNames(5)...)
	b.Add(nodeNames(5)...)
	for _, k := range keys(1000) {
		if ga, gb := a.Get(k), b.Get(k); ga != gb {
			t.Fatalf("Get(%q) = %q with a nil hash but %q with crc32.ChecksumIEEE; a nil hash must mean crc32.ChecksumIEEE", k, ga, gb)
		}
	}
}

// The hash is deterministic, so the counts below are fixed numbers; the bounds still leave
// room for any correct implementation of the rules in the prompt.

func TestAddingANodeMovesFewKeys(t *testing.T) {
	r := New(100, nil)
	r.Add(nodeNames(10)...)
	ks := keys(10000)
	before := make(map[string]string, len(ks))
	for _, k := range ks {
		before[k] = r.Get(k)
	}
	r.Add("node-10")
	moved := 0
	for _, k := range ks {
		got := r.Get(k)
		if got == before[k] {
			continue
		}
		moved++
		if got != "node-10" {
			t.Fatalf("after adding node-10, key %q moved from %q to %q; a new node may only take keys, the others must not move between old nodes", k, before[k], got)
		}
	}
	// The fair share of an 11th node is 10000/11 ≈ 909 keys.
	if moved == 0 || moved > 2*10000/11 {
		t.Fatalf("adding an 11th node moved %d of 10000 keys, want about 1/11 (at most %d); rehashing everything is not consistent hashing", moved, 2*10000/11)
	}
}

func TestRemovingANodeMovesOnlyItsKeys(t *testing.T) {
	r := New(100, nil)
	r.Add(nodeNames(10)...)
	ks := keys(10000)
	before := make(map[string]string, len(ks))
	for _, k := range ks {
		before[k] = r.Get(k)
	}
	r.Remove("node-3")
	for _, k := range ks {
		got := r.Get(k)
		if got == "node-3" {
			t.Fatalf("Get(%q) = node-3 after Remove(\"node-3\")", k)
		}
		if before[k] != "node-3" && got != before[k] {
			t.Fatalf("after removing node-3, key %q moved from %q to %q; only node-3's keys may move", k, before[k], got)
		}
	}
}

func TestBalanceWithManyReplicas(t *testing.T) {
	r := New(200, nil)
	r.Add(nodeNames(10)...)
	count := make(map[string]int)
	for _, k := range keys(10000) {
		count[r.Get(k)]++
	}
	for _, n := range nodeNames(10) {
		// Fair share: 1000 keys. With 200 virtual nodes each, every node is within ±40%.
		if c := count[n]; c < 600 || c > 1400 {
			t.Errorf("with 10 nodes × 200 replicas, %s owns %d of 10000 keys, want 600..1400 (are the virtual nodes really on the ring?)", n, c)
		}
	}
}

func TestInvalidReplicasPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("New(0, nil) should panic")
		}
	}()
	New(0, nil)
}

func TestConcurrentUse(t *testing.T) {
	r := New(50, nil)
	r.Add(nodeNames(5)...)
	ks := keys(200)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Go(func() {
			for i := 0; i < 5; i++ {
				for _, k := range ks {
					if r.Get(k) == "" {
						t.Errorf("Get(%q) = \"\" while 5 nodes are on the ring", k)
						return
					}
				}
			}
		})
	}
	for g := 0; g < 2; g++ {
		wg.Go(func() {
			for i := 0; i < 20; i++ {
				n := fmt.Sprintf("extra-%d-%d", g, i)
				r.Add(n)
				r.Get(n)
				r.Remove(n)
			}
		})
	}
	wg.Wait()
	for _, k := range ks {
		if got := r.Get(k); got == "" || got[:5] != "node-" {
			t.Fatalf("after concurrent Add/Remove of extra nodes, Get(%q) = %q, want one of the node-N nodes", k, got)
		}
	}
}
