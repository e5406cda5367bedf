package orderedmap

import (
	"fmt"
	"iter"
	"maps"
	"slices"
	"testing"
)

type pair struct {
	k string
	v int
}

func collect(seq iter.Seq2[string, int]) []pair {
	var out []pair
	for k, v := range seq {
		out = append(out, pair{k, v})
	}
	return out
}

func build(keys ...string) *Map[string, int] {
	m := New[string, int]()
	for i, k := range keys {
		m.Set(k, i)
	}
	return m
}

func wantPairs(t *testing.T, what string, got []pair, want ...pair) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

func TestSetGetDeleteLen(t *testing.T) {
	m := New[string, int]()
	if m.Len() != 0 {
		t.Fatalf("Len() of a new map = %d, want 0", m.Len())
	}
	if _, ok := m.Get("a"); ok {
		t.Fatal(`Get("a") on an empty map reported ok`)
	}
	m.Set("a", 1)
	m.Set("b", 2)
	m.Set("a", 10)
	if v, ok := m.Get("a"); !ok || v != 10 {
		t.Fatalf(`Get("a") after Set("a", 1), Set("a", 10) = %d, %v; want 10, true`, v, ok)
	}
	if m.Len() != 2 {
		t.Fatalf("Len() = %d after setting a, b, a; want 2", m.Len())
	}
	if !m.Delete("a") {
		t.Fatal(`Delete("a") of a present key = false, want true`)
	}
	if m.Delete("a") {
		t.Fatal(`second Delete("a") = true, want false`)
	}
	if _, ok := m.Get("a"); ok {
		t.Fatal(`Get("a") after Delete("a") reported ok`)
	}
	if m.Len() != 1 {
		t.Fatalf("Len() = %d after deleting one of two keys, want 1", m.Len())
	}
	if m.Delete("never") {
		t.Fatal(`Delete of a key never set = true, want false`)
	}
}

func TestInsertionOrder(t *testing.T) {
	m := build("c", "a", "d", "b")
	wantPairs(t, "All() after setting c, a, d, b", collect(m.All()),
		pair{"c", 0}, pair{"a", 1}, pair{"d", 2}, pair{"b", 3})
	if got := slices.Collect(m.Keys()); !slices.Equal(got, []string{"c", "a", "d", "b"}) {
		t.Fatalf("Keys() = %v, want [c a d b]", got)
	}
	wantPairs(t, "Backward()", collect(m.Backward()),
		pair{"b", 3}, pair{"d", 2}, pair{"a", 1}, pair{"c", 0})
}

func TestUpdateKeepsPlace(t *testing.T) {
	m := build("x", "y", "z")
	m.Set("x", 100) // an update: x stays first
	wantPairs(t, "All() after updating the first key", collect(m.All()),
		pair{"x", 100}, pair{"y", 1}, pair{"z", 2})
	m.Delete("y")
	m.Set("y", 7) // deleted, then set again: a new key, at the end
	wantPairs(t, "All() after deleting y and setting it again", collect(m.All()),
		pair{"x", 100}, pair{"z", 2}, pair{"y", 7})
	wantPairs(t, "Backward() after the same", collect(m.Backward()),
		pair{"y", 7}, pair{"z", 2}, pair{"x", 100})
}

func TestDeleteEnds(t *testing.T) {
	m := build("a", "b", "c", "d")
	m.Delete("a")
	m.Delete("d")
	wantPairs(t, "All() after deleting the first and the last key", collect(m.All()),
		pair{"b", 1}, pair{"c", 2})
	wantPairs(t, "Backward() after the same", collect(m.Backward()), pair{"c", 2}, pair{"b", 1})
	m.Delete("b")
	m.Delete("c")
	wantPairs(t, "All() after deleting every key", collect(m.All()))
	m.Set("e", 9)
	wantPairs(t, "All() after emptying the map and setting e", collect(m.All()), pair{"e", 9})
	wantPairs(t, "Backward() after the same", collect(m.Backward()), pair{"e", 9})
}

func TestBreakStopsTheIterator(t *testing.T) {
	m := build("a", "b", "c", "d", "e")
	var seen []string
	for k := range m.All() {
		seen = append(seen, k)
		if k == "b" {
			break
		}
	}
	if !slices.Equal(seen, []string{"a", "b"}) {
		t.Fatalf("range over All() with break at b saw %v, want [a b]", seen)
	}
	seen = nil
	for k := range m.Backward() {
		seen = append(seen, k)
		if len(seen) == 2 {
			break
		}
	}
	if !slices.Equal(seen, []string{"e", "d"}) {
		t.Fatalf("range over Backward() with break after two keys saw %v, want [e d]", seen)
	}
	seen = nil
	for k := range m.Keys() {
		seen = append(seen, k)
		if k == "c" {
			break
		}
	}
	if !slices.Equal(seen, []string{"a", "b", "c"}) {
		t.Fatalf("range over Keys() with break at c saw %v, want [a b c]", seen)
	}
	// A function that stops early on purpose: the standard library's own consumers.
	if k, ok := firstKey(m.Keys(), func(k string) bool { return k > "b" }); !ok || k != "c" {
		t.Fatalf("first key after b = %q, %v; want c, true", k, ok)
	}
}

func firstKey(seq iter.Seq[string], match func(string) bool) (string, bool) {
	for k := range seq {
		if match(k) {
			return k, true
		}
	}
	return "", false
}

func TestPull(t *testing.T) {
	m := build("a", "b", "c")
	next, stop := iter.Pull2(m.All())
	k, v, ok := next()
	if !ok || k != "a" || v != 0 {
		t.Fatalf("first pull = %q, %d, %v; want a, 0, true", k, v, ok)
	}
	k, _, _ = next()
	if k != "b" {
		t.Fatalf("second pull = %q, want b", k)
	}
	stop() // stops the iterator half way
	if _, _, ok := next(); ok {
		t.Fatal("next() after stop() reported ok")
	}
}

func TestDeleteCurrentKeyWhileRanging(t *testing.T) {
	m := build("a", "b", "c", "d", "e", "f")
	var seen []string
	for k := range m.All() {
		seen = append(seen, k)
		m.Delete(k) // deleting the key the loop stands on must not end the loop
	}
	if !slices.Equal(seen, []string{"a", "b", "c", "d", "e", "f"}) {
		t.Fatalf("a loop deleting each key it visits saw %v, want all six keys in order", seen)
	}
	if m.Len() != 0 {
		t.Fatalf("Len() = %d after the loop deleted every key, want 0", m.Len())
	}

	m = build("a", "b", "c", "d", "e", "f")
	seen = nil
	for k := range m.Backward() {
		seen = append(seen, k)
		if k == "e" || k == "c" {
			m.Delete(k)
		}
	}
	if !slices.Equal(seen, []string{"f", "e", "d", "c", "b", "a"}) {
		t.Fatalf("Backward() with the body deleting e and c saw %v, want [f e d c b a]", seen)
	}
	if got := slices.Collect(m.Keys()); !slices.Equal(got, []string{"a", "b", "d", "f"}) {
		t.Fatalf("Keys() afterwards = %v, want [a b d f]", got)
	}
}

func TestDeleteAheadWhileRanging(t *testing.T) {
	m := build("a", "b", "c", "d", "e")
	var seen []string
	for k := range m.All() {
		seen = append(seen, k)
		if k == "a" {
			m.Delete("b") // the very next key
			m.Delete("d")
		}
		if k == "c" {
			m.Delete("c")
			m.Delete("e") // the current key and the last one
		}
	}
	if !slices.Equal(seen, []string{"a", "c"}) {
		t.Fatalf("deleting keys ahead of the loop: it saw %v, want [a c] (deleted keys are not produced)", seen)
	}
	if got := slices.Collect(m.Keys()); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("Keys() afterwards = %v, want [a]", got)
	}
}

func TestUpdateWhileRanging(t *testing.T) {
	m := build("a", "b", "c")
	visits := 0
	for k, v := range m.All() {
		if visits++; visits > 3 {
			t.Fatalf("a loop updating each value it visits over 3 keys made more than 3 visits (an update must not move the key)")
		}
		if k == "a" {
			m.Set("c", 30) // a later key's new value is what the loop sees
		}
		m.Set(k, v+100)
	}
	wantPairs(t, "All() after a loop that updated values", collect(m.All()),
		pair{"a", 100}, pair{"b", 101}, pair{"c", 130})
}

func TestGenericKeys(t *testing.T) {
	type point struct{ x, y int }
	m := New[point, []string]()
	for i := range 100 {
		m.Set(point{i % 10, i / 10}, []string{fmt.Sprint(i)})
	}
	if m.Len() != 100 {
		t.Fatalf("Len() = %d, want 100", m.Len())
	}
	for i := 0; i < 100; i += 2 {
		m.Delete(point{i % 10, i / 10})
	}
	got := maps.Collect(m.All())
	if len(got) != 50 {
		t.Fatalf("All() produced %d entries after deleting half of 100, want 50", len(got))
	}
	i := 1
	for p, v := range m.All() {
		if p != (point{i % 10, i / 10}) || v[0] != fmt.Sprint(i) {
			t.Fatalf("entry %v = %v out of insertion order; want %v", p, v, point{i % 10, i / 10})
		}
		i += 2
	}
}
