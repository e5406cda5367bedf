#!/bin/bash
# The exporter's stderr with GODEBUG=schedtrace=1000, on a machine given GOMAXPROCS=4.
. ../lib.sh
build
GOMAXPROCS=4 GODEBUG=schedtrace=1000 "$work/prog" "$work/spool" 2> "$work/err"
tidy < "$work/err" | sed '$ { /\]$/!d }' > artefact.txt
