#!/usr/bin/env bash
# ThreadSanitizer over the tests that run threads: the terminal's
# concurrency tests and the sync tests (the sync thread beside the till
# thread, against the reference server's threads); with `--readers`, the
# card readers' threads too (their emulators).
#   scripts/tsan.sh [--readers] [build folder, default build/tsan]
# -O1 -g1 (line tables): TSan reports keep file and line, the build
# stays short enough for CI.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(terminal_test sync_parts_test sync_test)
filter='ConcurrencyTest|Sync|PushBody|RemoteShare|Backoff'
if [[ ${1:-} == --readers ]]; then
  targets+=(readers_test)
  filter="$filter|Reader|Pn532|NfcSun"
  shift
fi
build=${1:-build/tsan}
jobs=$(nproc)
cmake -S . -B "$build" -DLOYALTY_WERROR=ON -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_CXX_FLAGS="-O1 -g1" -DCMAKE_C_FLAGS="-O1 -g1" \
  -DLOYALTY_SANITIZE_THREAD=ON -DLOYALTY_BUILD_EXAMPLES=ON >/dev/null
cmake --build "$build" -j"$jobs" --target "${targets[@]}"
TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1} \
  ctest --test-dir "$build" -j"$jobs" --output-on-failure --timeout 300 -R "$filter" \
  -E '^CapiReaders[.]'  # libloyalty.so's tests: not among the targets built here
