package lockfree

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

func wantPop[T comparable](t *testing.T, s *Stack[T], want T, wantOK bool, when string) {
	t.Helper()
	got, ok := s.Pop()
	if got != want || ok != wantOK {
		t.Fatalf("%s: Pop() = (%v, %v), want (%v, %v)", when, got, ok, want, wantOK)
	}
}

func TestZeroValueIsEmpty(t *testing.T) {
	var s Stack[int]
	if n := s.Len(); n != 0 {
		t.Fatalf("Len() of a zero Stack = %d, want 0", n)
	}
	if v, ok := s.Peek(); v != 0 || ok {
		t.Fatalf("Peek() on a zero Stack = (%v, %v), want (0, false)", v, ok)
	}
	wantPop(t, &s, 0, false, "a zero Stack")
	for v := range s.All() {
		t.Fatalf("All() on a zero Stack yielded %v, want nothing", v)
	}
}

func TestLastInFirstOut(t *testing.T) {
	var s Stack[int]
	for i := 1; i <= 5; i++ {
		s.Push(i)
	}
	if n := s.Len(); n != 5 {
		t.Fatalf("Len() after 5 Pushes = %d, want 5", n)
	}
	if v, ok := s.Peek(); v != 5 || !ok {
		t.Fatalf("Peek() after pushing 1..5 = (%v, %v), want (5, true)", v, ok)
	}
	if n := s.Len(); n != 5 {
		t.Fatalf("Len() after Peek = %d, want 5 (Peek must not remove)", n)
	}
	if got := slices.Collect(s.All()); !slices.Equal(got, []int{5, 4, 3, 2, 1}) {
		t.Fatalf("All() after pushing 1..5 yielded %v, want [5 4 3 2 1] (top first)", got)
	}
	for want := 5; want >= 3; want-- {
		wantPop(t, &s, want, true, "popping after pushes of 1..5")
	}
	s.Push(10)
	wantPop(t, &s, 10, true, "after pushing 10 onto [2 1]")
	wantPop(t, &s, 2, true, "second pop after pushing 10")
	wantPop(t, &s, 1, true, "third pop after pushing 10")
	wantPop(t, &s, 0, false, "a stack emptied by Pop")
	wantPop(t, &s, 0, false, "a stack emptied by Pop, again")
	if n := s.Len(); n != 0 {
		t.Fatalf("Len() after popping everything and two Pops on the empty stack = %d, want 0", n)
	}
	s.Push(7)
	if n := s.Len(); n != 1 {
		t.Fatalf("Len() after one Push onto an emptied stack = %d, want 1", n)
	}
	wantPop(t, &s, 7, true, "a stack reused after being emptied")
}

func TestGenericTypes(t *testing.T) {
	var strs Stack[string]
	strs.Push("a")
	strs.Push("")
	wantPop(t, &strs, "", true, "a Stack[string] holding an empty string on top")
	wantPop(t, &strs, "a", true, "a Stack[string]")
	wantPop(t, &strs, "", false, "an empty Stack[string]")

	type big struct {
		id   int
		name string
		data [8]int
	}
	var ptrs Stack[*big]
	a, b := &big{id: 1}, &big{id: 2}
	ptrs.Push(a)
	ptrs.Push(b)
	ptrs.Push(nil)
	wantPop(t, &ptrs, nil, true, "a Stack[*T] with a nil pointer on top (a nil value is still an element)")
	wantPop(t, &ptrs, b, true, "a Stack[*T] (the same pointer must come back)")
	wantPop(t, &ptrs, a, true, "a Stack[*T] (the same pointer must come back)")

	var vals Stack[big]
	vals.Push(big{id: 3, name: "x", data: [8]int{7: 9}})
	if v, ok := vals.Pop(); !ok || v.id != 3 || v.name != "x" || v.data[7] != 9 {
		t.Fatalf("Pop() of a Stack[struct] = (%+v, %v), want the struct pushed", v, ok)
	}
}

func TestAllStopsOnBreak(t *testing.T) {
	var s Stack[int]
	for i := 1; i <= 10; i++ {
		s.Push(i)
	}
	var seen []int
	for v := range s.All() {
		seen = append(seen, v)
		if v == 8 {
			break // All must stop calling yield once it returns false
		}
	}
	if !slices.Equal(seen, []int{10, 9, 8}) {
		t.Fatalf("ranging over All() with a break at 8 saw %v, want [10 9 8]", seen)
	}
	if n := s.Len(); n != 10 {
		t.Fatalf("Len() after ranging over All() = %d, want 10 (All must not remove anything)", n)
	}
}

func TestAllIsASnapshot(t *testing.T) {
	var s Stack[int]
	for i := 1; i <= 3; i++ {
		s.Push(i)
	}
	var seen []int
	for v := range s.All() {
		seen = append(seen, v)
		if v == 3 {
			s.Pop()    // removes 3, already seen
			s.Push(99) // pushed after the iteration began
			s.Push(98)
		}
	}
	if !slices.Equal(seen, []int{3, 2, 1}) {
		t.Fatalf("All() while the loop body pushed and popped yielded %v, want [3 2 1] (the stack as it was when iteration began)", seen)
	}
	if got := slices.Collect(s.All()); !slices.Equal(got, []int{98, 99, 2, 1}) {
		t.Fatalf("All() afterwards yielded %v, want [98 99 2 1]", got)
	}
}

// TestConcurrentPushPop runs producers and consumers at once: every value pushed must be
// popped exactly once or still be on the stack at the end.
func TestConcurrentPushPop(t *testing.T) {
	const producers, consumers, perProducer = 4, 4, 3000
	var s Stack[int]
	var producing sync.WaitGroup
	var producersDone atomic.Bool
	popped := make([][]int, consumers)

	var consuming sync.WaitGroup
	for c := range consumers {
		consuming.Go(func() {
			for {
				if v, ok := s.Pop(); ok {
					popped[c] = append(popped[c], v)
					continue
				}
				if producersDone.Load() {
					return
				}
				s.Peek()
				runtime.Gosched()
			}
		})
	}
	for p := range producers {
		producing.Go(func() {
			for i := range perProducer {
				s.Push(p*perProducer + i)
				if i%64 == 0 {
					s.Len()
					for range s.All() {
						break
					}
				}
			}
		})
	}
	producing.Wait()
	producersDone.Store(true)
	consuming.Wait()

	var all []int
	for _, vs := range popped {
		all = append(all, vs...)
	}
	left := slices.Collect(s.All())
	if n := s.Len(); n != len(left) {
		t.Fatalf("after all goroutines finished, Len() = %d but All() yields %d elements", n, len(left))
	}
	all = append(all, left...)
	slices.Sort(all)
	total := producers * perProducer
	if len(all) != total {
		t.Fatalf("%d producers pushed %d values in all; popped plus left on the stack = %d (lost or duplicated under contention)", producers, total, len(all))
	}
	for i, v := range all {
		if v != i {
			t.Fatalf("value %d was popped or left %s (every value pushed must come out exactly once)", i, describe(all, i))
		}
	}
}

func describe(sorted []int, i int) string {
	if i > 0 && sorted[i] == sorted[i-1] {
		return fmt.Sprintf("twice (%d appears more than once)", sorted[i])
	}
	return "zero times"
}

// TestConcurrentPushThenPop pushes from many goroutines at once, then pops from many: each
// goroutine pops exactly as many as it pushed, so no Pop may find the stack empty.
func TestConcurrentPushThenPop(t *testing.T) {
	const goroutines, each = 8, 1000
	var s Stack[int]
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				s.Push(g*each + i)
			}
		})
	}
	wg.Wait()
	if n := s.Len(); n != goroutines*each {
		t.Fatalf("Len() after %d goroutines pushed %d each = %d, want %d", goroutines, each, n, goroutines*each)
	}
	var empties atomic.Int64
	seen := make([]atomic.Int32, goroutines*each)
	for range goroutines {
		wg.Go(func() {
			for range each {
				v, ok := s.Pop()
				if !ok {
					empties.Add(1)
					continue
				}
				seen[v].Add(1)
			}
		})
	}
	wg.Wait()
	if n := empties.Load(); n != 0 {
		t.Fatalf("%d Pops found the stack empty although it held exactly as many elements as there were Pops", n)
	}
	for v := range seen {
		if c := seen[v].Load(); c != 1 {
			t.Fatalf("value %d was popped %d times, want once", v, c)
		}
	}
	wantPop(t, &s, 0, false, "a stack emptied by concurrent Pops")
}
