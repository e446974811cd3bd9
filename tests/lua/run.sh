#!/bin/sh
# run.sh -- run the busted specs of tests/lua with Lua 5.4 and print the
# summary line scripts/run-tests.sh adds up.
#
#   tests/lua/run.sh [busted args and spec files...]   (default: tests/lua)
#
# MW_LUA_BUILD   directory holding moonwasm/core.so (default build/lua)
# MW_SANITIZE=1  the module was built with ASan+UBSan: preload their
#                runtimes into the (uninstrumented) lua5.4; leak checks are
#                off because busted leaves through os.exit without closing
#                its Lua state
set -eu
cd "$(dirname "$0")/../.."
LUA=${LUA:-lua5.4}
BUSTED=${BUSTED:-$(command -v busted || true)}
if [ -z "$BUSTED" ]; then
  echo "run.sh: busted not found (apt-get install lua-busted)" >&2
  echo "lua: 0 passed, 1 failed"
  exit 1
fi
export MW_LUA_BUILD="${MW_LUA_BUILD:-build/lua}"
if [ "${MW_SANITIZE:-0}" = 1 ]; then
  CC=${CC:-cc}
  preload=$($CC -print-file-name=libasan.so)
  ubsan=$($CC -print-file-name=libubsan.so)
  [ -f "$ubsan" ] && preload="$preload:$ubsan"
  export LD_PRELOAD="$preload"
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
fi
[ $# -gt 0 ] || set -- tests/lua
exec "$LUA" "$BUSTED" -o tests/lua/output.lua "$@"
