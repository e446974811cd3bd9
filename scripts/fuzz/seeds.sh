#!/bin/sh
# seeds.sh -- starting inputs for the fuzz targets.
#
#   scripts/fuzz/seeds.sh OUT_DIR NAME...
#
# OUT_DIR/NAME/ receives the regression corpus tests/fuzz/regress/NAME
# (hex files decoded) and, for `module`, every built fixture
# (build/wasm/*.wasm: the .wat and C test programs).  Also the generator
# of the regression corpus itself: `seeds.sh --hex FILE` prints FILE as
# the hex text tests/fuzz/regress/ keeps (16 bytes a line).
set -eu
if [ "${1:-}" = "--hex" ]; then
  od -An -v -tx1 "$2" | tr -s ' \n' ' ' | fold -w 48 | sed 's/^ *//; s/ *$//'
  echo
  exit 0
fi
out=$1
shift
for name in "$@"; do
  mkdir -p "$out/$name"
  for f in tests/fuzz/regress/"$name"/*.hex; do
    [ -f "$f" ] || continue
    base=$(basename "$f" .hex)
    # hex pairs -> \ooo escapes -> bytes (no xxd needed)
    printf '%b' "$(sed 's/#.*//' "$f" | tr -d ' \n\t\r' | tr 'A-F' 'a-f' | awk '{
      for (i = 1; i < length($0); i += 2)
        printf "\\0%03o", (index(h, substr($0, i, 1)) - 1) * 16 + index(h, substr($0, i + 1, 1)) - 1
    }' h=0123456789abcdef)" \
      > "$out/$name/$base"
  done
  if [ "$name" = module ]; then
    for w in build/wasm/*.wasm; do
      [ -f "$w" ] && cp "$w" "$out/$name/"
    done
  fi
done
