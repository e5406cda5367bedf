#!/bin/bash
# The wallet service's full goroutine dump (`curl .../debug/pprof/goroutine?debug=2`; the
# program writes the same with pprof.Lookup("goroutine").WriteTo(w, 2)) once it has hung.
. ../lib.sh
build
"$work/prog" | tidy > artefact.txt
