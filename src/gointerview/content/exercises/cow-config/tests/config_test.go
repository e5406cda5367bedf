package cowconfig

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sync"
	"testing"
)

func sample() Config {
	return Config{
		Revision: 1,
		Backends: []string{"a:80", "b:80"},
		Weights:  map[string]int{"a:80": 1, "b:80": 2},
	}
}

// deepCopy is the test's own copy, so a comparison does not depend on the code under test.
func deepCopy(c Config) Config {
	c.Backends = slices.Clone(c.Backends)
	c.Weights = maps.Clone(c.Weights)
	return c
}

func newStore(t *testing.T, c Config) *Store {
	t.Helper()
	s, err := NewStore(c)
	if err != nil {
		t.Fatalf("NewStore(%+v) = %v, want no error", c, err)
	}
	if s == nil {
		t.Fatalf("NewStore(%+v) returned a nil *Store", c)
	}
	return s
}

func wantConfig(t *testing.T, got *Config, want Config, when string) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: Load() = nil, want %+v", when, want)
	}
	if !reflect.DeepEqual(*got, want) {
		t.Fatalf("%s: config = %+v, want %+v", when, *got, want)
	}
}

func TestNewStoreValidates(t *testing.T) {
	bad := sample()
	bad.Weights["b:80"] = 0
	s, err := NewStore(bad)
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("NewStore with a zero weight: error = %v, want one wrapping ErrInvalid", err)
	}
	if s != nil {
		t.Fatalf("NewStore with an invalid config returned a non-nil *Store")
	}
	s = newStore(t, sample())
	wantConfig(t, s.Load(), sample(), "right after NewStore")
}

func TestNewStoreCopiesInitial(t *testing.T) {
	initial := sample()
	s := newStore(t, initial)
	// The caller goes on using its own config: the store must not share its map or slice.
	initial.Weights["a:80"] = 100
	initial.Weights["c:80"] = 3
	initial.Backends[0] = "changed:80"
	wantConfig(t, s.Load(), sample(), "after the caller modified the Config it passed to NewStore "+
		"(NewStore must keep a deep copy, not share the caller's map and slice)")
}

func TestUpdateReplacesConfig(t *testing.T) {
	s := newStore(t, sample())
	err := s.Update(func(old Config) Config {
		if !reflect.DeepEqual(old, sample()) {
			t.Errorf("Update passed fn %+v, want the current config %+v", old, sample())
		}
		old.Revision = 2
		old.Backends = append(old.Backends, "c:80")
		old.Weights["c:80"] = 5
		return old
	})
	if err != nil {
		t.Fatalf("a valid Update returned %v, want nil", err)
	}
	want := Config{Revision: 2, Backends: []string{"a:80", "b:80", "c:80"}, Weights: map[string]int{"a:80": 1, "b:80": 2, "c:80": 5}}
	wantConfig(t, s.Load(), want, "after a valid Update")
	if s.Load() != s.Load() {
		t.Fatalf("two Loads with no Update in between returned different pointers; Load must return the stored snapshot, not a copy")
	}

	// A fn may also build a brand-new Config.
	err = s.Update(func(Config) Config {
		return Config{Revision: 3, Backends: []string{"z:80"}, Weights: map[string]int{"z:80": 1}}
	})
	if err != nil {
		t.Fatalf("a valid Update returned %v, want nil", err)
	}
	wantConfig(t, s.Load(), Config{Revision: 3, Backends: []string{"z:80"}, Weights: map[string]int{"z:80": 1}}, "after a second Update")
}

func TestLoadedSnapshotNeverChanges(t *testing.T) {
	s := newStore(t, sample())
	snap := s.Load()
	before := deepCopy(*snap)
	err := s.Update(func(c Config) Config {
		// Modify the map and the slice that fn was given, in place.
		c.Revision = 2
		c.Weights["a:80"] = 7
		c.Backends[1] = "d:80"
		delete(c.Weights, "b:80")
		c.Weights["d:80"] = 4
		return c
	})
	if err != nil {
		t.Fatalf("a valid Update returned %v, want nil", err)
	}
	wantConfig(t, snap, before, "a *Config loaded before an Update, after the Update "+
		"(fn must get a deep copy: modifying its map or slice must not touch the snapshot readers hold)")
	wantConfig(t, s.Load(), Config{Revision: 2, Backends: []string{"a:80", "d:80"}, Weights: map[string]int{"a:80": 7, "d:80": 4}}, "after the Update")
}

func TestRejectedUpdateKeepsConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func(Config) Config
	}{
		{"zero weight", func(c Config) Config { c.Revision = 9; c.Weights["a:80"] = 0; return c }},
		{"backend without a weight", func(c Config) Config { c.Revision = 9; c.Backends = append(c.Backends, "c:80"); return c }},
		{"duplicate backend", func(c Config) Config { c.Revision = 9; c.Backends[1] = "a:80"; delete(c.Weights, "b:80"); return c }},
		{"no backends", func(c Config) Config { c.Revision = 9; clear(c.Weights); c.Backends = c.Backends[:0]; return c }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t, sample())
			snap := s.Load()
			err := s.Update(tc.fn)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Update producing an invalid config (%s): error = %v, want one wrapping ErrInvalid", tc.name, err)
			}
			if s.Load() != snap {
				t.Fatalf("after a rejected Update (%s), Load() returned a different *Config: the invalid config must never be stored (validate before swapping)", tc.name)
			}
			wantConfig(t, s.Load(), sample(), fmt.Sprintf("after a rejected Update (%s), "+
				"which modified the copy fn was given (that copy must not share the live config's map or slice)", tc.name))

			// The store still accepts valid updates afterwards.
			if err := s.Update(func(c Config) Config { c.Revision = 2; return c }); err != nil {
				t.Fatalf("a valid Update after a rejected one returned %v", err)
			}
			if got := s.Load().Revision; got != 2 {
				t.Fatalf("after a valid Update that set Revision 2, Revision = %d", got)
			}
		})
	}
}

func TestConcurrentUpdatesAreSerialised(t *testing.T) {
	s := newStore(t, sample())
	const writers, each = 8, 50
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Go(func() {
			for i := 0; i < each; i++ {
				err := s.Update(func(c Config) Config {
					c.Revision++
					c.Weights["a:80"]++
					return c
				})
				if err != nil {
					t.Errorf("Update = %v, want nil", err)
					return
				}
			}
		})
	}
	wg.Wait()
	got := s.Load()
	if got.Revision != 1+writers*each || got.Weights["a:80"] != 1+writers*each {
		t.Fatalf("after %d concurrent increments, Revision = %d and weight = %d, want %d for both "+
			"(writers must be serialised: each fn must see the result of the previous Update)",
			writers*each, got.Revision, got.Weights["a:80"], 1+writers*each)
	}
}

func TestLoadDoesNotWaitForWriters(t *testing.T) {
	s := newStore(t, sample())
	inFn := make(chan struct{})
	release := make(chan struct{})
	updated := make(chan error)
	go func() {
		updated <- s.Update(func(c Config) Config {
			close(inFn)
			<-release // the writer is slow, e.g. it is reading a file
			c.Revision = 2
			return c
		})
	}()
	<-inFn
	// Update is in the middle of fn. Load must not block on it (a read lock would):
	// if it does, this test hangs.
	wantConfig(t, s.Load(), sample(), "while an Update's fn is running")
	close(release)
	if err := <-updated; err != nil {
		t.Fatalf("Update = %v, want nil", err)
	}
	if got := s.Load().Revision; got != 2 {
		t.Fatalf("after the Update finished, Revision = %d, want 2", got)
	}
}

// generation builds revision r of the config the concurrent test cycles through: r%5+1
// backends, every one with weight r. A reader that sees a mix of two revisions notices.
func generation(c Config, r int) Config {
	c.Revision = r
	clear(c.Weights) // rebuild the copy in place, as a reload would
	c.Backends = c.Backends[:0]
	for i := 0; i <= r%5; i++ {
		b := fmt.Sprintf("b%d:80", i)
		c.Backends = append(c.Backends, b)
		c.Weights[b] = r
	}
	return c
}

// checkSnapshot reports what is wrong with a config a reader loaded, or "".
func checkSnapshot(c *Config) string {
	if c == nil {
		return "Load returned nil"
	}
	r := c.Revision
	if err := c.Validate(); err != nil {
		return fmt.Sprintf("revision %d is invalid: %v", r, err)
	}
	if len(c.Backends) != r%5+1 {
		return fmt.Sprintf("revision %d has %d backends, want %d (a mix of two revisions)", r, len(c.Backends), r%5+1)
	}
	for _, b := range c.Backends {
		if c.Weights[b] != r {
			return fmt.Sprintf("revision %d has weight %d for %s, want %d (a mix of two revisions)", r, c.Weights[b], b, r)
		}
	}
	if c.Revision != r {
		return fmt.Sprintf("the snapshot's Revision changed from %d to %d while a reader was using it", r, c.Revision)
	}
	return ""
}

func TestReadersSeeWholeSnapshots(t *testing.T) {
	s := newStore(t, generation(Config{Weights: map[string]int{}}, 1))
	const updates = 300
	stop := make(chan struct{})
	seen := make(chan int) // the watching reader reports the revision it loaded
	var problem sync.Once
	report := func(msg string) { problem.Do(func() { t.Error(msg) }) }

	var readers sync.WaitGroup
	// The watching reader: it reports each revision it loads and only then looks inside it,
	// so its reads are concurrent with the writer's next Update.
	readers.Go(func() {
		for {
			c := s.Load()
			select {
			case seen <- c.Revision:
			case <-stop:
				return
			}
			if msg := checkSnapshot(c); msg != "" {
				report(msg)
			}
		}
	})
	// Free-running readers.
	for i := 0; i < 3; i++ {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if msg := checkSnapshot(s.Load()); msg != "" {
					report(msg)
				}
			}
		})
	}

	for r := 2; r <= updates; r++ {
		if err := s.Update(func(c Config) Config { return generation(c, r) }); err != nil {
			t.Errorf("Update to revision %d = %v, want nil", r, err)
			break
		}
		for got := range seen { // wait until the watching reader has loaded revision r
			if got >= r {
				break
			}
		}
	}
	close(stop)
	readers.Wait()
	if got := s.Load().Revision; got != updates {
		t.Fatalf("after the last Update, Revision = %d, want %d", got, updates)
	}
}
