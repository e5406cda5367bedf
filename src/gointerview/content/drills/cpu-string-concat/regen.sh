#!/bin/bash
# A 2-second CPU profile taken while the export endpoint was busy: `go tool pprof -top`, then
# `-peek` for who calls the top function.
. ../lib.sh
build
GOMAXPROCS=2 "$work/prog" "$work/cpu.pprof" 2>/dev/null
{
    pprof_top "$work/cpu.pprof" -nodecount=10
    echo
    echo "\$ go tool pprof -peek 'runtime\\.(memmove|concatstrings)\$' cpu.pprof"
    go tool pprof -peek 'runtime\.(memmove|concatstrings)$' "$work/prog" "$work/cpu.pprof" 2>/dev/null | tidy |
        sed -n '/flat  flat%/,$p'
} > artefact.txt
