package leakfix

import (
	"testing"

	"go.uber.org/goleak"

	"gointerview.local/exercise/internal/harness"
)

// verifyNoLeak fails t, with goleak's report, if goroutines other than those ignored are
// still running, and tells the grader it was a leak. Goroutines that are about to exit get
// about a second to do so, which is plenty even on a loaded machine.
func verifyNoLeak(t *testing.T, ignore goleak.Option) {
	t.Helper()
	harness.VerifyNone(t, "", ignore)
}
