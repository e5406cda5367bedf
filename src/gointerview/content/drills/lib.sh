# Shared by every drill's regen.sh (sourced, not run). A regen script runs with its drill's
# folder as the working directory, builds the program with the Go on PATH, runs it with fixed
# sizes and seeds, and writes artefact.txt: the tool's real output, with only the machine
# addresses and timestamps that would change on every run taken out (see `tidy`).
set -euo pipefail
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS="-trimpath -buildvcs=false"
work=$(mktemp -d "${TMPDIR:-/tmp}/drill.XXXXXX")
trap 'rm -rf "$work"' EXIT

# build [go build flags...]: the drill's program as $work/prog
build() {
    go build "$@" -o "$work/prog" .
}

# tidy: drop what churns between runs and says nothing about the diagnosis — program counters
# and frame offsets, pointer arguments, build ids, wall-clock dates.
tidy() {
    sed -E \
        -e 's/ @( 0x[0-9a-f]+)+$/ @ .../' \
        -e 's/^#\t0x[0-9a-f]+\t/#\t/' \
        -e 's/ ?\+0x[0-9a-f]+$//' \
        -e 's/\+0x[0-9a-f]+//g' \
        -e 's/^([^\t# ][^ ]*)\([^()]+\)$/\1(...)/' \
        -e 's/ 0x[0-9a-f]{8,}/ 0x…/g' \
        -e 's/[ \t]+$//' \
        -e '/^Build ID: /d' \
        -e 's/^Time: .*/Time: (removed)/'
}

# pprof_top PROFILE [flags...]: `go tool pprof -top` of a profile, tidied
pprof_top() {
    local profile=$1
    shift
    go tool pprof -top "$@" "$work/prog" "$profile" 2>/dev/null | tidy
}
