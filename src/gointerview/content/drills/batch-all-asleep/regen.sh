#!/bin/bash
# What the import job prints when it runs (it dies: exit status 2).
. ../lib.sh
build
status=0
"$work/prog" > "$work/out" 2>&1 || status=$?
{ tidy < "$work/out"; echo "exit status $status"; } > artefact.txt
