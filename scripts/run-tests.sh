#!/usr/bin/env bash
# run-tests.sh -- run test suites and add up their results.
#
#   scripts/run-tests.sh 'CMD' ['CMD' ...]
#
# Each argument is one suite: a shell command whose output ends with a line
# `N passed, N failed` (an optional `word:` may precede it; `, N skipped`
# may follow).  Every suite's output is shown as it runs.  A suite that
# exits non-zero without reporting a failure, prints no summary, or runs
# past MW_TEST_TIMEOUT seconds (default 600) counts as one failed test, so
# a crash can never vanish from the total.  The last line printed is the
# sum, `N passed, N failed`; the exit status is 1 if anything failed.
set -u

timeout_s=${MW_TEST_TIMEOUT:-600}
total_pass=0
total_fail=0
bad_suites=()
tmp=$(mktemp "${TMPDIR:-/tmp}/mw-tests.XXXXXX")
trap 'rm -f "$tmp"' EXIT

summary_re='^([A-Za-z_-]+:[[:space:]]*)?([0-9]+) passed, ([0-9]+) failed(, [0-9]+ skipped)?[[:space:]]*$'

if [ $# -eq 0 ]; then
  echo "run-tests: no suites given" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

runner=()
if command -v timeout >/dev/null 2>&1; then
  runner=(timeout "$timeout_s")
fi

for suite in "$@"; do
  echo "=== $suite"
  "${runner[@]}" bash -c "$suite" 2>&1 | tee "$tmp"
  rc=${PIPESTATUS[0]}
  line=$(grep -E "$summary_re" "$tmp" | tail -n 1)
  if [ -n "$line" ]; then
    [[ $line =~ $summary_re ]]
    p=${BASH_REMATCH[2]}
    f=${BASH_REMATCH[3]}
  else
    p=0
    f=0
  fi
  why=""
  if [ -z "$line" ]; then
    why="no summary line (exit status $rc)"
  elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    why="exit status $rc with no failure reported"
  fi
  if [ "$rc" -eq 124 ] && [ ${#runner[@]} -gt 0 ]; then
    why="timed out after ${timeout_s}s"
  elif [ "$rc" -gt 128 ]; then
    why="killed by signal $((rc - 128))${why:+; $why}"
  fi
  if [ -n "$why" ]; then
    echo "run-tests: suite crashed: $suite: $why"
    f=$((f + 1))
  fi
  [ "$f" -gt 0 ] && bad_suites+=("$suite")
  total_pass=$((total_pass + p))
  total_fail=$((total_fail + f))
done

echo "==="
for s in "${bad_suites[@]+"${bad_suites[@]}"}"; do
  echo "run-tests: failures in: $s"
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
