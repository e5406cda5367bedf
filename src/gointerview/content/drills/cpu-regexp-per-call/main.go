// A log-ingestion endpoint checks every incoming line against the access-log format before
// it forwards it. isAccessLine compiles the pattern on every call, so the service spends its
// CPU building the same regular expression over and over. The program feeds it a fixed set
// of lines for a fixed time with the CPU profiler on (what /debug/pprof/profile records).
package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"runtime/pprof"
	"time"
)

const accessLine = `^(\d{1,3}\.){3}\d{1,3} - (\S+) \[[^\]]+\] "(GET|POST|PUT|DELETE) (\S+) HTTP/1\.[01]" (\d{3}) (\d+)$`

func isAccessLine(line string) bool {
	re := regexp.MustCompile(accessLine)
	return re.MatchString(line)
}

func ingest(lines []string) (accepted int) {
	for _, l := range lines {
		if isAccessLine(l) {
			accepted++
		}
	}
	return accepted
}

func sampleLines(n int) []string {
	rng := rand.New(rand.NewPCG(1, 2)) // fixed seed: the same lines on every run
	methods := []string{"GET", "POST", "PUT"}
	lines := make([]string, n)
	for i := range lines {
		lines[i] = fmt.Sprintf(`10.0.%d.%d - u%d [07/Dec/2026:10:00:00 +0000] "%s /api/v1/items/%d HTTP/1.1" %d %d`,
			rng.IntN(256), rng.IntN(256), rng.IntN(1000), methods[rng.IntN(3)], rng.IntN(1e6),
			200+rng.IntN(3)*100, rng.IntN(5000))
	}
	return lines
}

func main() {
	lines := sampleLines(1000)
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	pprof.StartCPUProfile(f)
	total := 0
	for start := time.Now(); time.Since(start) < 2*time.Second; {
		total += ingest(lines)
	}
	pprof.StopCPUProfile()
	f.Close()
	fmt.Fprintln(os.Stderr, "accepted", total)
}
