#!/bin/bash
# The goroutine profile of the search front end, as `curl .../debug/pprof/goroutine?debug=1`
# shows it (the program writes the same profile with pprof.Lookup("goroutine").WriteTo(w, 1)),
# taken twice: after 250 and after 500 requests.
. ../lib.sh
build
"$work/prog" | tidy > artefact.txt
