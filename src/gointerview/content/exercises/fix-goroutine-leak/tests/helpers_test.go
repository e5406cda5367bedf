package leakfix

import (
	"testing"

	"go.uber.org/goleak"
)

// verifyNoLeak fails t, with goleak's report, if goroutines other than those ignored are
// still running. Goroutines that are about to exit get about a second to do so (goleak.Find
// itself retries for ~0.4s), which is plenty even on a loaded machine.
func verifyNoLeak(t *testing.T, ignore goleak.Option) {
	t.Helper()
	var err error
	for range 2 {
		if err = goleak.Find(ignore); err == nil {
			return
		}
	}
	t.Error(err)
}
