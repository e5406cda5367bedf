#!/bin/bash
# `go tool pprof -top` of the catalogue service's mutex profile (1.5 s of traffic).
. ../lib.sh
build
GOMAXPROCS=2 "$work/prog" "$work/mutex.pprof"
pprof_top "$work/mutex.pprof" -nodecount=10 > artefact.txt
