#!/bin/bash
# `go tool pprof -top` of the API's block profile (1.5 s of traffic).
. ../lib.sh
build
GOMAXPROCS=2 "$work/prog" "$work/block.pprof"
pprof_top "$work/block.pprof" -nodecount=10 > artefact.txt
