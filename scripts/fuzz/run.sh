#!/bin/sh
# run.sh -- run one libFuzzer target for a while; print `N passed, N failed`.
#
#   scripts/fuzz/run.sh FUZZ_DIR NAME SECONDS
#
# Runs FUZZ_DIR/fuzz_NAME on FUZZ_DIR/corpus/NAME (kept between runs),
# seeded from FUZZ_DIR/seeds/NAME (scripts/fuzz/seeds.sh).  A crash, a
# sanitizer report, a timeout (10 s for one input) or running out of
# memory is a finding: its input is saved in FUZZ_DIR/artifacts/NAME/ and
# the run counts as failed ("0 passed, 1 failed"); otherwise "1 passed".
set -u
dir=$1 name=$2 seconds=$3
bin=$dir/fuzz_$name
corpus=$dir/corpus/$name
seeds=$dir/seeds/$name
artifacts=$dir/artifacts/$name
mkdir -p "$corpus" "$seeds" "$artifacts"
log=$dir/fuzz_$name.log
echo "fuzz $name: ${seconds}s, corpus $corpus, log $log"
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -max_len=8192 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "$seeds" >"$log" 2>&1
rc=$?
grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$log" | tail -n 2
if [ $rc -ne 0 ]; then
  grep -E 'ERROR|runtime error|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -n 20
  echo "fuzz $name: FINDING (exit $rc); see $log and $artifacts"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "1 passed, 0 failed"
