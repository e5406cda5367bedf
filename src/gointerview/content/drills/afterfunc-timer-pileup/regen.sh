#!/bin/bash
# The session service's heap profile (in use) after 20,000 requests from 200 users.
. ../lib.sh
build
GOMAXPROCS=2 "$work/prog" "$work/heap.pprof" 2>/dev/null
{
    pprof_top "$work/heap.pprof" -sample_index=inuse_space -nodecount=8
    echo
    echo '$ go tool pprof -top -sample_index=inuse_objects -nodecount=8 heap.pprof'
    pprof_top "$work/heap.pprof" -sample_index=inuse_objects -nodecount=8 | sed '1,/^Time: /d'
} > artefact.txt
