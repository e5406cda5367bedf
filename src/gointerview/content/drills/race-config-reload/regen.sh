#!/bin/bash
# The gateway built with -race and run for a moment: the race detector's report.
. ../lib.sh
export CGO_ENABLED=1
build -race
status=0
GORACE="atexit_sleep_ms=0" "$work/prog" > "$work/out" 2>&1 || status=$?
{ tidy < "$work/out"; echo "exit status $status"; } > artefact.txt
