#!/usr/bin/env bash
# clang-tidy (the checked-in .clang-tidy) over every source file of src/ and
# drivers/ in a build's compile_commands.json; any warning fails the run.
# Files found clean before are skipped (scripts/tidy.py says how).
#   scripts/tidy.sh [build folder, default build/tidy]
# The folder is configured with clang-14 (only compile_commands.json and the
# generated version header are needed; nothing is compiled).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/tidy}
cmake -S . -B "$build" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DLOYALTY_BUILD_TESTS=OFF -DLOYALTY_BUILD_EXAMPLES=OFF >/dev/null
log=$build/tidy.log
# scripts/tidy.py checks the files in parallel and skips those found clean
# before with the same preprocessed text (a cache shared by clones).
if ! python3 scripts/tidy.py "$build" >"$log" 2>&1; then
  grep -E '(warning|error): ' "$log" | sort -u | head -100
  tail -1 "$log"
  echo "clang-tidy: FAILED (full output in $log)"
  exit 1
fi
head -1 "$log"
echo "clang-tidy: clean"
