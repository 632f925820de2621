#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan + UBSan) and runs each one
# for the given number of seconds on a copy of its seed corpus, then prints
# executions and exec/s per target. Exits non-zero when a target crashes;
# the crashing input is left in $FUZZ_OUT/<target>/.
#   scripts/fuzz.sh [seconds=60] [target ...]
# FUZZ_BUILD (default build/fuzz) and FUZZ_OUT (default $FUZZ_BUILD/out) move
# the build and the grown corpora; FUZZ_JOBS sets the build's parallelism.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
build=${FUZZ_BUILD:-build/fuzz}
out=${FUZZ_OUT:-$build/out}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DLOYALTY_FUZZ=ON -DLOYALTY_BUILD_TESTS=OFF -DLOYALTY_BUILD_EXAMPLES=OFF \
  -DLOYALTY_WITH_READERS=OFF -DLOYALTY_WERROR=ON >/dev/null
cmake --build "$build" --target fuzzers -j"${FUZZ_JOBS:-$(nproc)}"
targets=("$@")
if ((${#targets[@]} == 0)); then
  for dir in fuzz/corpus/*/; do targets+=("$(basename "$dir")"); done
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
printf '%-18s %12s %10s %8s  %s\n' target executions exec/s corpus result
for t in "${targets[@]}"; do
  work=$out/$t
  rm -rf "$work" && mkdir -p "$work/corpus"
  cp fuzz/corpus/"$t"/* "$work/corpus/"
  # Inputs that once crashed a target are replayed as seeds too.
  if [[ -d fuzz/regressions/$t ]]; then cp fuzz/regressions/"$t"/* "$work/corpus/"; fi
  # The first directory gathers new inputs; the seeds stay as checked in.
  set +e
  "$build/fuzz/$t" -max_total_time="$seconds" -print_final_stats=1 -max_len=4096 \
    -artifact_prefix="$work/" -timeout=10 -rss_limit_mb=2048 \
    "$work/corpus" >"$work/log" 2>&1
  rc=$?
  set -e
  # A crash prints the statistics twice; the last ones are the run's.
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -1)
  size=$(find "$work/corpus" -type f | wc -l)
  result=ok
  if ((rc != 0)); then
    result="CRASH (see $work/log)"
    failed=1
  fi
  printf '%-18s %12s %10s %8s  %s\n' "$t" "${runs:-?}" "${rate:-?}" "$size" "$result"
done
exit $failed
