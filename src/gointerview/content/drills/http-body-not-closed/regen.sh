#!/bin/bash
# The checkout service's goroutine profile (`curl .../debug/pprof/goroutine?debug=1`), after
# 200 and after 400 price lookups against a pricing service in another process on loopback.
. ../lib.sh
build
"$work/prog" -serve "$work/addr" &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
    [ -s "$work/addr" ] && break
    sleep 0.1
done
"$work/prog" -client "http://$(cat "$work/addr")" | tidy > artefact.txt
