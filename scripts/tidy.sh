#!/usr/bin/env bash
# clang-tidy (the checked-in .clang-tidy) over every source file of src/ and
# drivers/ in a build's compile_commands.json; any warning fails the run.
#   scripts/tidy.sh [build folder, default build/tidy]
# The folder is configured with clang-14 (only compile_commands.json and the
# generated version header are needed; nothing is compiled).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/tidy}
cmake -S . -B "$build" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DLOYALTY_BUILD_TESTS=OFF -DLOYALTY_BUILD_EXAMPLES=OFF >/dev/null
root=$(pwd)
files=$(grep -c "\"file\": \"$root/\(src\|drivers\)/" "$build/compile_commands.json" || true)
echo "clang-tidy: $files files of src/ and drivers/"
log=$build/tidy.log
# run-clang-tidy runs the files in parallel and sums the warnings.
status=0
run-clang-tidy-14 -quiet -p "$build" -j "${TIDY_JOBS:-$(nproc)}" \
  "^$root/(src|drivers)/" >"$log" 2>&1 || status=$?
if ((status != 0)) || grep -qE '(warning|error): ' "$log"; then
  grep -E '(warning|error): ' "$log" | sort -u | head -100
  echo "clang-tidy: FAILED (full output in $log)"
  exit 1
fi
echo "clang-tidy: clean"
