// Package harness is the trusted part of every graded test binary. The grader compiles it
// into the binary together with the candidate's package and the hidden tests, and decides
// the verdict only from what this package reports — never from the binary's stdout, which
// candidate code shares.
//
// How the report stays out of the candidate's reach (docs/exercise-format.md has the whole
// threat model):
//
//   - The supervisor opens three descriptors before the process starts and names them in
//     GOINTERVIEW_HARNESS_FDS: a pipe holding the run's configuration and a fresh random key,
//     the report file, and the crash file.
//   - The package under test imports this package, so this init runs before any of the
//     candidate's code (package initialisation follows imports). It reads the key, closes
//     that pipe, marks the report descriptor close-on-exec, hands the crash descriptor to the
//     runtime (debug.SetCrashOutput) and removes the variable. By the time candidate code
//     runs, the key exists only in this package's memory.
//   - Every record carries a sequence number and an HMAC-SHA256 under that key. Junk written
//     to the report descriptor, records dropped or replayed, or a child process that re-runs
//     the binary cannot produce a valid, complete report.
//
// The report says, per declared test: started; ended pass/fail/skip; whether the race
// detector logged a report during it; goroutines it leaked. Then the exit code of m.Run and
// the leak check after all tests. A watchdog reports a timeout with the running tests and
// every goroutine's stack, then exits.
package harness

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// EnvFDs names the three descriptors: "config,report,crash".
const EnvFDs = "GOINTERVIEW_HARNESS_FDS"

const (
	maxConfigBytes = 64 << 10
	maxStackBytes  = 32 << 10
	exitTimeout    = 124
	exitBroken     = 125
)

type config struct {
	Key       string `json:"key"`        // hex, 32 random bytes
	TimeoutMS int64  `json:"timeout_ms"` // the whole run
	RaceLog   string `json:"race_log"`   // GORACE log_path prefix; the file is <prefix>.<pid>
	Scratch   string `json:"scratch"`    // the size-limited scratch directory
}

type recorder struct {
	mu  sync.Mutex
	out *os.File
	key []byte
	seq int
}

var (
	rec      *recorder
	cfg      config
	setupErr error

	state struct {
		sync.Mutex
		running  map[string]time.Time
		finished bool // m.Run returned: the watchdog stands down
		timedOut bool
		leakSeen bool
		leaks    map[string]string // top-level test -> what VerifyNone found during it
	}
)

func init() {
	spec, ok := os.LookupEnv(EnvFDs)
	if !ok {
		return // run by hand: no report (the grader never does this)
	}
	_ = os.Unsetenv(EnvFDs)
	setupErr = setup(spec)
}

func setup(spec string) error {
	parts := strings.Split(spec, ",")
	if len(parts) != 3 {
		return fmt.Errorf("%s=%q: want three descriptors", EnvFDs, spec)
	}
	fds := make([]int, 3)
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 3 {
			return fmt.Errorf("%s=%q: bad descriptor %q", EnvFDs, spec, p)
		}
		fds[i] = n
	}
	confFile := os.NewFile(uintptr(fds[0]), "harness-config")
	raw, err := io.ReadAll(io.LimitReader(confFile, maxConfigBytes))
	confFile.Close()
	if err != nil {
		return fmt.Errorf("reading the configuration: %w", err)
	}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return fmt.Errorf("parsing the configuration: %w", err)
	}
	key, err := hex.DecodeString(cfg.Key)
	if err != nil || len(key) < 16 {
		return errors.New("the configuration has no usable key")
	}
	cfg.Key = ""
	syscall.CloseOnExec(fds[1])
	rec = &recorder{out: os.NewFile(uintptr(fds[1]), "harness-report"), key: key}
	crash := os.NewFile(uintptr(fds[2]), "harness-crash")
	err = debug.SetCrashOutput(crash, debug.CrashOptions{}) // keeps its own close-on-exec copy
	crash.Close()
	if err != nil {
		return fmt.Errorf("SetCrashOutput: %w", err)
	}
	return nil
}

// emit writes one record: "<hex hmac> <json>\n", in a single write.
func (r *recorder) emit(event string, fields map[string]any) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	fields["ev"] = event
	fields["seq"] = r.seq
	r.seq++
	body, err := json.Marshal(fields)
	if err != nil {
		body, _ = json.Marshal(map[string]any{"ev": "broken", "seq": fields["seq"], "error": err.Error()})
	}
	mac := hmac.New(sha256.New, r.key)
	mac.Write(body)
	line := hex.EncodeToString(mac.Sum(nil)) + " " + string(body) + "\n"
	_, _ = r.out.WriteString(line)
}

// Main runs the tests through the testing package (start builds the *testing.M the way the
// go command's generated main does) and reports them. It never returns.
func Main(tests []testing.InternalTest, start func([]testing.InternalTest) *testing.M) {
	if setupErr != nil {
		fmt.Fprintln(os.Stderr, "gointerview harness:", setupErr)
		os.Exit(exitBroken)
	}
	names := make([]string, len(tests))
	wrapped := make([]testing.InternalTest, len(tests))
	for i, t := range tests {
		names[i] = t.Name
		wrapped[i] = testing.InternalTest{Name: t.Name, F: wrap(t.Name, t.F)}
	}
	state.running = map[string]time.Time{}
	rec.emit("hello", map[string]any{"tests": names, "go": runtime.Version(), "pid": os.Getpid()})
	if rec != nil && cfg.TimeoutMS > 0 {
		time.AfterFunc(time.Duration(cfg.TimeoutMS)*time.Millisecond, watchdog)
	}

	code := start(wrapped).Run()

	state.Lock()
	if state.timedOut {
		state.Unlock()
		select {} // the watchdog is writing its record and will exit
	}
	state.finished = true
	leakSeen := state.leakSeen
	state.Unlock()

	fields := map[string]any{"code": code, "scratch_full": scratchFull()}
	if code == 0 && !leakSeen {
		// Like goleak.VerifyTestMain: anything still running now leaked, including
		// goroutines started before the first test.
		if err := goleak.Find(); err != nil {
			fields["leak"] = capText(err.Error(), maxStackBytes)
			code = 1
		}
	}
	rec.emit("done", fields)
	os.Exit(code)
}

func wrap(name string, f func(*testing.T)) func(*testing.T) {
	return func(t *testing.T) {
		state.Lock()
		state.running[name] = time.Now()
		checkLeaks := !state.leakSeen
		state.Unlock()
		var before goleak.Option
		if checkLeaks {
			before = goleak.IgnoreCurrent() // goroutines that exist now are not this test's
		}
		raceBefore := raceLogSize()
		rec.emit("start", map[string]any{"test": name})
		begin := time.Now()
		// returned is set only when f comes back normally: a panic or runtime.Goexit unwinds
		// past it. The testing package runs cleanups *before* it marks a panicking test
		// failed, so t.Failed() alone would call a panicking test a pass.
		returned := false
		// Registered first, so it runs after the test's own cleanups and its subtests.
		t.Cleanup(func() {
			status := "pass"
			switch {
			case t.Skipped():
				status = "skip"
			case t.Failed() || !returned:
				status = "fail"
			}
			fields := map[string]any{
				"test":         name,
				"status":       status,
				"ms":           float64(time.Since(begin).Microseconds()) / 1000,
				"race":         raceLogSize() > raceBefore,
				"scratch_full": scratchFull(),
			}
			state.Lock()
			found, reported := state.leaks[name]
			state.Unlock()
			if reported {
				fields["leak"] = found
			} else if checkLeaks && status == "pass" {
				if err := goleak.Find(before); err != nil {
					fields["leak"] = capText(err.Error(), maxStackBytes)
					state.Lock()
					state.leakSeen = true // later tests would only re-find the same goroutines
					state.Unlock()
				}
			}
			state.Lock()
			delete(state.running, name)
			state.Unlock()
			rec.emit("end", fields)
		})
		f(t)
		returned = true
	}
}

// VerifyNone is for hidden tests that check for leaked goroutines themselves, at a point of
// their choosing (say, right after Stop returns): it fails t with why (if not empty) and
// goleak's report, like goleak.VerifyNone, and records the leak in the report, so that the
// run is classed as a leak and not a plain test failure. Goroutines about to exit get about a
// second (two goleak.Find rounds of ~0.4 s).
func VerifyNone(t testing.TB, why string, options ...goleak.Option) {
	t.Helper()
	var err error
	for range 2 {
		if err = goleak.Find(options...); err == nil {
			return
		}
	}
	top, _, _ := strings.Cut(t.Name(), "/")
	state.Lock()
	if state.leaks == nil {
		state.leaks = map[string]string{}
	}
	if _, seen := state.leaks[top]; !seen {
		state.leaks[top] = capText(err.Error(), maxStackBytes)
	}
	state.leakSeen = true
	state.Unlock()
	if why != "" {
		t.Errorf("%s:\n%v", why, err)
		return
	}
	t.Error(err)
}

func watchdog() {
	state.Lock()
	if state.finished {
		state.Unlock()
		return
	}
	state.timedOut = true
	running := make([]string, 0, len(state.running))
	for name := range state.running {
		running = append(running, name)
	}
	state.Unlock()
	sort.Strings(running)
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	rec.emit("timeout", map[string]any{
		"running": running,
		"stacks":  capText(string(buf), maxStackBytes),
	})
	os.Exit(exitTimeout)
}

// raceLogSize is how much the race detector has written to its log (GORACE log_path), which
// it does synchronously when it finds a race.
func raceLogSize() int64 {
	if cfg.RaceLog == "" {
		return 0
	}
	info, err := os.Stat(cfg.RaceLog + "." + strconv.Itoa(os.Getpid()))
	if err != nil {
		return 0
	}
	return info.Size()
}

// scratchFull reports a scratch file system with less than 1 MiB left: the kernel's count,
// not anything the candidate prints.
func scratchFull() bool {
	if cfg.Scratch == "" {
		return false
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(cfg.Scratch, &st); err != nil {
		return false
	}
	return st.Bavail*uint64(st.Bsize) < 1<<20
}

func capText(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "\n…[truncated]"
}
