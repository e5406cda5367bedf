#!/bin/bash
# The service's stderr with GODEBUG=gctrace=1, as deployed (GOGC=off, GOMEMLIMIT=120MiB).
. ../lib.sh
build
GOMAXPROCS=2 GOGC=off GOMEMLIMIT=120MiB GODEBUG=gctrace=1 "$work/prog" > /dev/null 2> "$work/err"
# the process may exit while the runtime is printing a line: drop a cut-off last line
tidy < "$work/err" | sed '$ { / P$/!d }' > artefact.txt
