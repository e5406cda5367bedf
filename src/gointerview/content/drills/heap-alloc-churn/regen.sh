#!/bin/bash
# The consumer's heap profile after 3,000 messages, read twice: what is in use, and what was
# allocated since the process started.
. ../lib.sh
build
GOMAXPROCS=2 "$work/prog" "$work/heap.pprof"
{
    pprof_top "$work/heap.pprof" -sample_index=inuse_space -nodecount=8
    echo
    echo '$ go tool pprof -top -sample_index=alloc_space -nodecount=8 heap.pprof'
    pprof_top "$work/heap.pprof" -sample_index=alloc_space -nodecount=8 | sed '1,/^Time: /d'
} > artefact.txt
