#!/bin/bash
# `go tool pprof -top -cum` of a 2-second CPU profile of the ingestion loop.
. ../lib.sh
build
GOMAXPROCS=2 "$work/prog" "$work/cpu.pprof" 2>/dev/null
pprof_top "$work/cpu.pprof" -cum -nodecount=22 > artefact.txt
