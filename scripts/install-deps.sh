#!/bin/sh
# install-deps.sh -- install the Debian 12 packages moonwasm builds and tests
# with.  Idempotent: asks apt only for what `dpkg` says is missing, and runs
# `apt-get update` only then.  Needs no terminal (CI=true, no stdin).
#
#   scripts/install-deps.sh          install what is missing (as root)
#   scripts/install-deps.sh --check  only report; exit 1 if anything is missing
set -eu

# Compiler and make; clang + lld (wasm-ld) + the wasm32 builtins build the C
# fixtures to wasm; wabt (wat2wasm) builds the .wat fixtures; Lua 5.4 and its
# rocks come with the Lua module and its busted specs.
PACKAGES="build-essential clang lld wabt lua5.4 liblua5.4-dev lua-busted
lua-cjson lua-argparse lua-filesystem luarocks wasi-libc
libclang-rt-14-dev-wasm32"
# make test's fuzz smoke: clang's libFuzzer and sanitizer runtimes.
PACKAGES="$PACKAGES libclang-rt-14-dev"
# make docs: LDoc builds the HTML reference of the Lua API.
PACKAGES="$PACKAGES lua-ldoc"

installed() {
  # `dpkg -s` also succeeds for a removed package whose config files remain,
  # so read its status line.
  dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}

if ! command -v dpkg >/dev/null 2>&1; then
  echo "install-deps: no dpkg here: this script knows Debian 12 only." >&2
  echo "install-deps: needed: a C11 compiler, make, clang and wasm-ld (LLVM 14+)," >&2
  echo "  wat2wasm (wabt), Lua 5.4 with headers, busted, lua-cjson, argparse, lfs." >&2
  exit 1
fi

missing=""
for p in $PACKAGES; do
  installed "$p" || missing="$missing $p"
done

if [ -z "$missing" ]; then
  echo "install-deps: all packages present."
  exit 0
fi

echo "install-deps: missing:$missing"
if [ "${1:-}" = "--check" ]; then
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: not root; install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-deps: apt-get update"
if ! apt-get update </dev/null; then
  echo "install-deps: apt-get update failed" >&2
  exit 1
fi
echo "install-deps: apt-get install$missing"
# shellcheck disable=SC2086  # the list is meant to split into words
if ! apt-get install -y --no-install-recommends $missing </dev/null; then
  echo "install-deps: apt-get install failed" >&2
  exit 1
fi

still=""
for p in $missing; do
  installed "$p" || still="$still $p"
done
if [ -n "$still" ]; then
  echo "install-deps: still missing after install:$still" >&2
  exit 1
fi
echo "install-deps: installed$missing"
