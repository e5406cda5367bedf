#!/usr/bin/env bash
# Check (and, as root on Debian/Ubuntu, install) what grading Go code needs beyond Python:
# Go, a C compiler (the race detector needs cgo) and bubblewrap (the sandbox).
set -euo pipefail

missing=()
command -v go >/dev/null || missing+=("go")
command -v gcc >/dev/null || missing+=("gcc")
command -v bwrap >/dev/null || missing+=("bubblewrap")
[ ${#missing[@]} -eq 0 ] && exit 0

apt_pkgs=()
for m in "${missing[@]}"; do
  case "$m" in
    go) echo "Go is not installed: see https://go.dev/doc/install (Go 1.25 or newer)" >&2; exit 1 ;;
    *) apt_pkgs+=("$m") ;;
  esac
done
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing ${apt_pkgs[*]}" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_pkgs[@]}" >/dev/null
else
  echo "missing: ${apt_pkgs[*]} — install them (e.g. sudo apt-get install ${apt_pkgs[*]})" >&2
  exit 1
fi
