#!/usr/bin/env bash
# Check (and, as root on Debian/Ubuntu, install) what gointerview needs beyond Python:
# Go, a C compiler (the race detector needs cgo) and bubblewrap (the sandbox) are required;
# Chromium and the Noto CJK fonts are for the tests that render reports and kits in a real
# browser, the PostgreSQL server for the test that stores sessions in it (those tests skip
# without them, so failing to install them is only a warning).
set -euo pipefail

required=()
command -v go >/dev/null || { echo "Go is not installed: see https://go.dev/doc/install (Go 1.25 or newer)" >&2; exit 1; }
command -v gcc >/dev/null || required+=("gcc")
command -v bwrap >/dev/null || required+=("bubblewrap")
optional=()
command -v chromium >/dev/null || optional+=("chromium")
{ command -v fc-list >/dev/null && fc-list | grep -i "Noto Sans CJK" >/dev/null; } || optional+=("fonts-noto-cjk")
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || optional+=("postgresql")
[ ${#required[@]} -eq 0 ] && [ ${#optional[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  [ ${#optional[@]} -gt 0 ] && echo "optional, for the browser and PostgreSQL tests: ${optional[*]}" >&2
  if [ ${#required[@]} -gt 0 ]; then
    echo "missing: ${required[*]} — install them (e.g. sudo apt-get install ${required[*]})" >&2
    exit 1
  fi
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq >/dev/null; then
  [ ${#required[@]} -gt 0 ] && { echo "apt-get update failed; cannot install ${required[*]}" >&2; exit 1; }
  echo "warning: apt-get update failed; the browser and PostgreSQL tests will skip" >&2
  exit 0
fi
if [ ${#required[@]} -gt 0 ]; then
  echo "installing ${required[*]}" >&2
  apt-get install -y -qq "${required[@]}" >/dev/null
fi
if [ ${#optional[@]} -gt 0 ]; then
  echo "installing ${optional[*]} (browser and PostgreSQL tests)" >&2
  apt-get install -y -qq --no-install-recommends "${optional[@]}" >/dev/null \
    || echo "warning: could not install ${optional[*]}; the tests that need them will skip" >&2
fi
